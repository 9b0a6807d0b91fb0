import { constants, fstatSync, openSync } from 'node:fs';
import sonicBoom from 'sonic-boom';

/** Log bytes held in memory while the output is slow; beyond it lines are dropped, not queued. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Lines are written in batches of this many bytes (or every 250 ms): one write per ~150 request lines, not per line. */
const BATCH_BYTES = 32 * 1024;

/**
 * Where the process writes its log lines (standard output), so that logging can never
 * stop the event loop: lines are buffered and written asynchronously in batches, lines
 * beyond MAX_BUFFERED_BYTES are dropped while the output is slow, and a reader that is gone
 * costs nothing but the lines.
 *
 * A pipe is reopened as its own non-blocking file description (Linux, /proc/self/fd/1):
 * a full pipe whose reader stopped answers EAGAIN and the write is retried later, where a
 * blocking write would hold a thread (and the process's exit, which waits for it) forever.
 * The descriptor standard output shares with other processes keeps its flags.
 */
export interface LogOutput {
  write(line: string): void;
  /** Resolves when what was written has reached the output, or after `timeoutMs` regardless. */
  flush(timeoutMs: number): Promise<void>;
  /** Lines dropped because the output could not keep up. */
  readonly dropped: number;
}

export function stdoutLogOutput(): LogOutput {
  return logOutput(outputFd(1));
}

function outputFd(fd: number): number {
  try {
    if (fstatSync(fd).isFIFO()) return openSync(`/proc/self/fd/${fd}`, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch {
    // Not Linux, or not reopenable: the descriptor as it is (files and terminals do not block for long).
  }
  return fd;
}

export function logOutput(fd: number): LogOutput {
  let dropped = 0;
  let broken = false;
  // The lines of this turn of the event loop, handed to the stream as one buffer when it
  // ends: encoding each line into its own Buffer cost the hottest line a fifth of its price.
  let pending: string[] = [];
  let handing = false;
  // Bytes the stream took and bytes it has written: sonic-boom's flush callback fires when its
  // current write ends, even with a batch smaller than minLength still held.
  let queued = 0;
  let written = 0;
  const stream = new sonicBoom.SonicBoom({ fd, sync: false, minLength: BATCH_BYTES, maxWrite: 2 * BATCH_BYTES, contentMode: 'buffer', periodicFlush: 250, maxLength: MAX_BUFFERED_BYTES });
  // The stream emits 'drop' inside the write it refuses.
  let refused = false;
  stream.on('drop', () => {
    refused = true;
  });
  stream.on('write', (n: number) => {
    written += n;
  });
  // EPIPE (the reader is gone) and the like: there is nobody to tell, and nothing to stop for.
  stream.on('error', () => {
    broken = true;
  });
  stream.on('close', () => {
    broken = true;
  });
  const handOff = () => {
    handing = false;
    if (pending.length === 0) return;
    const lines = pending;
    pending = [];
    if (broken) {
      dropped += lines.length;
      return;
    }
    const batch = Buffer.from(lines.join(''));
    refused = false;
    stream.write(batch as unknown as string);
    if (refused) dropped += lines.length;
    else queued += batch.length;
  };
  const drained = () =>
    new Promise<void>((resolve) => {
      try {
        stream.flush(() => resolve());
      } catch {
        resolve();
      }
    });
  return {
    get dropped() {
      return dropped;
    },
    write(line) {
      if (broken) {
        dropped++;
        return;
      }
      pending.push(line);
      if (!handing) {
        handing = true;
        setImmediate(handOff);
      }
    },
    async flush(timeoutMs) {
      handOff();
      const deadline = Date.now() + timeoutMs;
      while (written < queued && !broken && Date.now() < deadline) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([drained(), new Promise((resolve) => (timer = setTimeout(resolve, deadline - Date.now())))]);
        clearTimeout(timer);
      }
    },
  };
}
