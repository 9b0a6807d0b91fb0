import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * Deepgram's streaming endpoint (`/v1/listen`) on port 0. It cannot understand speech, so
 * it finds utterances by their energy in the 16 kHz linear16 audio and answers each with
 * the next scripted transcript: SpeechStarted, interim Results, then a final Result with
 * `speech_final` after `endSilenceMs` of quiet, and UtteranceEnd.
 */
export class FakeDeepgram {
  readonly connections: { url: string; auth: string | undefined }[] = [];
  audioSeconds = 0;
  private wss: WebSocketServer | undefined;
  url = '';

  constructor(
    private readonly transcripts: string[],
    private readonly endSilenceMs = 300,
  ) {}

  async start(): Promise<this> {
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.wss.on('connection', (socket, req) => this.serve(socket, req));
    await new Promise<void>((r) => this.wss?.once('listening', r));
    this.url = `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}`;
    return this;
  }

  private serve(socket: WebSocket, req: IncomingMessage): void {
    this.connections.push({ url: req.url ?? '', auth: req.headers.authorization });
    let streamSeconds = 0;
    let speechStart = -1;
    let lastVoice = -1;
    let interimSent = false;
    const send = (msg: object) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(msg));
    const result = (text: string, isFinal: boolean, start: number, end: number) => ({
      type: 'Results',
      channel_index: [0, 1],
      duration: end - start,
      start,
      is_final: isFinal,
      speech_final: isFinal,
      from_finalize: false,
      channel: { alternatives: [{ transcript: text, confidence: 0.98, words: text.split(/\s+/).filter(Boolean).map((w, i, all) => ({ word: w.toLowerCase(), punctuated_word: w, start: start + ((end - start) * i) / all.length, end: start + ((end - start) * (i + 1)) / all.length, confidence: 0.98 })) }] },
      metadata: { request_id: 'fake-request', model_info: { name: 'nova-3', version: 'fake', arch: 'fake' } },
    });
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return; // KeepAlive, Finalize, CloseStream
      const samples = new Int16Array(data.buffer, data.byteOffset, Math.floor(data.byteLength / 2));
      let energy = 0;
      for (const s of samples) energy += s * s;
      const rms = Math.sqrt(energy / Math.max(1, samples.length));
      const chunkSeconds = samples.length / 16_000;
      streamSeconds += chunkSeconds;
      this.audioSeconds += chunkSeconds;
      if (rms > 500) {
        if (speechStart < 0) {
          speechStart = streamSeconds - chunkSeconds;
          interimSent = false;
          send({ type: 'SpeechStarted', channel: [0], timestamp: speechStart });
        }
        lastVoice = streamSeconds;
        if (!interimSent && streamSeconds - speechStart > 0.3) {
          interimSent = true;
          send(result((this.transcripts[0] ?? '').split(' ')[0] ?? '', false, speechStart, streamSeconds));
        }
      } else if (speechStart >= 0 && (streamSeconds - lastVoice) * 1000 >= this.endSilenceMs) {
        const text = this.transcripts.shift() ?? '';
        send(result(text, true, speechStart, lastVoice));
        send({ type: 'UtteranceEnd', channel: [0, 1], last_word_end: lastVoice });
        speechStart = -1;
      }
    });
  }

  async close(): Promise<void> {
    for (const c of this.wss?.clients ?? []) c.terminate();
    await new Promise<void>((r) => (this.wss ? this.wss.close(() => r()) : r()));
  }
}
