import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Chat Completions request as the openai plugin sends it. */
export interface ChatRequest {
  model: string;
  stream?: boolean;
  messages: { role: string; content?: unknown; tool_calls?: { function: { name: string; arguments: string } }[]; tool_call_id?: string }[];
  tools?: { type: 'function'; function: { name: string; description?: string; parameters?: unknown } }[];
}

export type ChatReply = { text: string } | { toolCalls: { name: string; args: Record<string, unknown> }[] };

export interface SpeechRequest {
  model: string;
  voice: string;
  input: string;
  instructions?: string;
  response_format?: string;
}

export interface FakeOpenAIOptions {
  /** Decides each chat completion's answer. */
  chat: (req: ChatRequest) => ChatReply;
  /** Milliseconds of 24 kHz PCM per character of TTS input (default 10, at most 3 s). */
  speechMsPerChar?: number;
  transcribe?: () => string;
}

/** Text of a message's content (string or content parts). */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === 'object' && p && 'text' in p ? String((p as { text: unknown }).text) : '')).join('');
  return '';
}

export const lastMessage = (req: ChatRequest) => req.messages[req.messages.length - 1];
export const lastUserText = (req: ChatRequest) => textOf([...req.messages].reverse().find((m) => m.role === 'user')?.content);
export const systemText = (req: ChatRequest) => req.messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => textOf(m.content)).join('\n');

/**
 * A local stand-in for the OpenAI API on port 0: streaming Chat Completions (text or tool
 * calls, with a usage chunk), `/audio/speech` (PCM 24 kHz 16-bit mono) and `/models`.
 * Every request is kept for assertions.
 */
export class FakeOpenAI {
  readonly chats: ChatRequest[] = [];
  readonly speech: SpeechRequest[] = [];
  private server: Server | undefined;
  baseURL = '';

  constructor(private readonly opts: FakeOpenAIOptions) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        ({ status, type, body }) => {
          res.writeHead(status, { 'content-type': type });
          res.end(body);
        },
        () => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end('{"error":{"message":"fake failed"}}');
        },
      );
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    this.baseURL = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; type: string; body: string | Buffer }> {
    const url = req.url ?? '';
    const raw = await readBody(req);
    if (req.method === 'GET' && url.startsWith('/v1/models')) return json({ object: 'list', data: [{ id: 'fake', object: 'model' }] });
    if (req.method === 'POST' && url.startsWith('/v1/chat/completions')) {
      const body = JSON.parse(raw.toString('utf8')) as ChatRequest;
      this.chats.push(body);
      const reply = this.opts.chat(body);
      return body.stream ? { status: 200, type: 'text/event-stream', body: sse(body.model, reply) } : json(completion(body.model, reply));
    }
    if (req.method === 'POST' && url.startsWith('/v1/audio/speech')) {
      const body = JSON.parse(raw.toString('utf8')) as SpeechRequest;
      this.speech.push(body);
      return { status: 200, type: 'application/octet-stream', body: tone(Math.min(3000, body.input.length * (this.opts.speechMsPerChar ?? 10))) };
    }
    if (req.method === 'POST' && url.startsWith('/v1/audio/transcriptions')) return json({ text: this.opts.transcribe?.() ?? '' });
    return { status: 404, type: 'application/json', body: '{"error":{"message":"not found"}}' };
  }
}

function json(value: unknown) {
  return { status: 200, type: 'application/json', body: JSON.stringify(value) };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

let ids = 0;

function sse(model: string, reply: ChatReply): string {
  const id = `chatcmpl-${++ids}`;
  const chunk = (choices: unknown[], extra: object = {}) => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices, ...extra })}\n\n`;
  const out: string[] = [];
  if ('text' in reply) {
    out.push(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
    for (const word of reply.text.match(/\S+\s*/g) ?? []) out.push(chunk([{ index: 0, delta: { content: word }, finish_reason: null }]));
    out.push(chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]));
  } else {
    reply.toolCalls.forEach((c, index) => {
      out.push(chunk([{ index: 0, delta: { role: 'assistant', tool_calls: [{ index, id: `call_${ids}_${index}`, type: 'function', function: { name: c.name, arguments: '' } }] }, finish_reason: null }]));
      out.push(chunk([{ index: 0, delta: { tool_calls: [{ index, function: { arguments: JSON.stringify(c.args) } }] }, finish_reason: null }]));
    });
    out.push(chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }]));
  }
  out.push(chunk([], { usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 } }));
  out.push('data: [DONE]\n\n');
  return out.join('');
}

function completion(model: string, reply: ChatReply) {
  const message = 'text' in reply ? { role: 'assistant', content: reply.text } : { role: 'assistant', content: null, tool_calls: reply.toolCalls.map((c, i) => ({ id: `call_${i}`, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.args) } })) };
  return { id: `chatcmpl-${++ids}`, object: 'chat.completion', created: 0, model, choices: [{ index: 0, message, finish_reason: 'text' in reply ? 'stop' : 'tool_calls' }], usage: { prompt_tokens: 50, completion_tokens: 5, total_tokens: 55 } };
}

/** A quiet 440 Hz tone, 24 kHz 16-bit mono PCM (what `response_format: pcm` returns). */
export function tone(ms: number): Buffer {
  const samples = Math.max(1, Math.round((24_000 * ms) / 1000));
  const buf = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) buf.writeInt16LE(Math.round(3000 * Math.sin((2 * Math.PI * 440 * i) / 24_000)), i * 2);
  return buf;
}
