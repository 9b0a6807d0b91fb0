import { execFileSync, spawnSync } from 'node:child_process';

/** Whether espeak-ng and sox are installed (.ci/run installs both). */
export function canSynthesizeSpeech(): boolean {
  return ['espeak-ng', 'sox'].every((cmd) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0);
}

/** Spoken English from espeak-ng, as 16 kHz 16-bit mono PCM (made in memory, no files). */
export function speak(text: string): Int16Array {
  const wav = execFileSync('espeak-ng', ['-v', 'en-us', '-s', '170', '--stdout', text], { maxBuffer: 32 * 1024 * 1024 });
  const raw = execFileSync('sox', ['-t', 'wav', '-', '-t', 'raw', '-r', '16000', '-e', 'signed', '-b', '16', '-c', '1', '-'], { input: wav, maxBuffer: 32 * 1024 * 1024 });
  return new Int16Array(raw.buffer, raw.byteOffset, Math.floor(raw.byteLength / 2));
}
