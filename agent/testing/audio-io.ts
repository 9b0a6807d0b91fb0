import { voice } from '@livekit/agents';
import { AudioFrame } from '@livekit/rtc-node';
import { ReadableStream } from 'node:stream/web';

const RATE = 16_000;
const FRAME = RATE / 50; // 20 ms

/**
 * A microphone in real time: 20 ms frames at their pace, silence between utterances (as a
 * room's track would carry). `say` queues speech and resolves when its last frame is sent.
 */
export class PacedAudioInput extends voice.AudioInput {
  private queue: Int16Array[] = [];
  private waiters: { remaining: number; resolve: () => void }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private controller: ReadableStreamDefaultController<AudioFrame> | undefined;
  /** When the last speech frame of the latest utterance was sent. */
  lastSpeechEndedAt = 0;

  constructor() {
    super();
    const source = new ReadableStream<AudioFrame>({
      start: (c) => {
        this.controller = c;
      },
    });
    this.multiStream.addInputStream(source);
    const started = Date.now();
    let sent = 0;
    // Frames go out by the wall clock (catching up after a late tick), never in bursts ahead of it.
    this.timer = setInterval(() => {
      const due = Math.floor((Date.now() - started) / 20);
      while (sent < due) {
        sent++;
        this.tick();
      }
    }, 10);
  }

  say(pcm: Int16Array): Promise<void> {
    for (let i = 0; i < pcm.length; i += FRAME) {
      const chunk = new Int16Array(FRAME);
      chunk.set(pcm.subarray(i, Math.min(i + FRAME, pcm.length)));
      this.queue.push(chunk);
    }
    return new Promise((resolve) => this.waiters.push({ remaining: this.queue.length, resolve }));
  }

  private tick(): void {
    const speech = this.queue.shift();
    this.controller?.enqueue(new AudioFrame(speech ?? new Int16Array(FRAME), RATE, 1, FRAME));
    if (speech) {
      for (const w of this.waiters) w.remaining--;
      const done = this.waiters.filter((w) => w.remaining <= 0);
      this.waiters = this.waiters.filter((w) => w.remaining > 0);
      if (done.length > 0) this.lastSpeechEndedAt = Date.now();
      for (const w of done) w.resolve();
    }
  }

  override async close(): Promise<void> {
    clearInterval(this.timer);
    try {
      this.controller?.close();
    } catch {
      // already closed
    }
    await super.close();
  }
}

export interface PlayedSegment {
  firstFrameAt: number;
  samples: number;
  sampleRate: number;
  interrupted: boolean;
}

/**
 * A speaker that plays in real time: playback starts at the first frame and finishes when
 * the captured audio has had time to play; `clearBuffer` (barge-in) stops it at once.
 */
export class CapturingAudioOutput extends voice.AudioOutput {
  readonly segments: PlayedSegment[] = [];
  cleared = 0;
  private current: PlayedSegment | undefined;
  private finishTimer: NodeJS.Timeout | undefined;

  constructor() {
    super(24_000);
  }

  override async captureFrame(frame: AudioFrame): Promise<void> {
    await super.captureFrame(frame);
    if (!this.current) {
      this.current = { firstFrameAt: Date.now(), samples: 0, sampleRate: frame.sampleRate, interrupted: false };
      this.segments.push(this.current);
      this.onPlaybackStarted(this.current.firstFrameAt);
    }
    this.current.samples += frame.samplesPerChannel;
  }

  override flush(): void {
    super.flush();
    const seg = this.current;
    if (!seg) return;
    const endsAt = seg.firstFrameAt + (seg.samples / seg.sampleRate) * 1000;
    this.finishTimer = setTimeout(() => this.finish(false), Math.max(0, endsAt - Date.now()));
  }

  clearBuffer(): void {
    this.cleared++;
    if (this.current) this.finish(true);
  }

  private finish(interrupted: boolean): void {
    const seg = this.current;
    if (!seg) return;
    clearTimeout(this.finishTimer);
    this.current = undefined;
    seg.interrupted = interrupted;
    const played = Math.min(seg.samples / seg.sampleRate, (Date.now() - seg.firstFrameAt) / 1000);
    this.onPlaybackFinished({ playbackPosition: played, interrupted });
  }
}
