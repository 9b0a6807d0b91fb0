import { execFileSync, spawnSync } from 'node:child_process';

/** Whether espeak-ng and sox are installed (.ci/run installs both). */
export function canSynthesizeSpeech(): boolean {
  return ['espeak-ng', 'sox'].every((cmd) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0);
}

/**
 * Spoken English from espeak-ng, as 16 kHz 16-bit mono PCM (made in memory, no files),
 * trimmed of espeak's leading and trailing silence so the last sample is the end of speech.
 */
export function speak(text: string): Int16Array {
  const wav = execFileSync('espeak-ng', ['-v', 'en-us', '-s', '170', '--stdout', text], { maxBuffer: 32 * 1024 * 1024 });
  const raw = execFileSync('sox', ['-t', 'wav', '-', '-t', 'raw', '-r', '16000', '-e', 'signed', '-b', '16', '-c', '1', '-'], { input: wav, maxBuffer: 32 * 1024 * 1024 });
  const pcm = new Int16Array(raw.buffer, raw.byteOffset, Math.floor(raw.byteLength / 2));
  const voiced = (x: number) => Math.abs(x) > 300;
  const first = pcm.findIndex(voiced);
  let last = pcm.length - 1;
  while (last > first && !voiced(pcm[last] ?? 0)) last--;
  return first < 0 ? pcm : pcm.slice(first, last + 1);
}
