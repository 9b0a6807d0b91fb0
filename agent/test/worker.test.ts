import { JobType, ServerMessage } from '@livekit/protocol';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { createServer as createHttpServer, type Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeLiveKitDispatch } from '../testing/fake-livekit.js';
import { until } from '../testing/harness.js';

const root = path.resolve(import.meta.dirname, '../..');
const SECRET = 'secret';

function agentProcess(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'agent/main.ts', ...(env.ARGS ? env.ARGS.split(' ') : [])], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ONNXRUNTIME_NODE_INSTALL: 'skip', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The framework treats port 0 as "its default" (8081), so a free port is picked here. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((r) => child.on('exit', (code) => r({ code, stderr })));
}

describe('worker start-up', () => {
  it('exits at once with one message naming what is missing', async () => {
    const { code, stderr } = await exited(agentProcess({ NODE_ENV: 'development', MINDBOT_DATA_DIR: '/nonexistent' }));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/missing LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET, OPENAI_API_KEY .*, AGENT_API_KEY/);
  });
});

describe('worker registration and dispatch (a fake LiveKit agent endpoint)', () => {
  let livekit: FakeLiveKitDispatch;
  let worker: ChildProcess;
  let platform: Server;
  const platformRequests: { method?: string; url?: string; key?: string | string[] }[] = [];

  beforeAll(async () => {
    livekit = await new FakeLiveKitDispatch(SECRET).start();
    platform = createHttpServer((req, res) => {
      platformRequests.push({ method: req.method, url: req.url, key: req.headers['x-agent-key'] });
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"no","code":"session_not_found"}');
    });
    await new Promise<void>((r) => platform.listen(0, '127.0.0.1', r));
    // livekit-server --dev's own key and secret are accepted in development.
    worker = agentProcess({
      NODE_ENV: 'development',
      LIVEKIT_URL: livekit.url,
      LIVEKIT_API_KEY: 'devkey',
      LIVEKIT_API_SECRET: SECRET,
      LIVEKIT_AGENT_NAME: 'mindbot-voice-agent',
      AGENT_API_KEY: 'k'.repeat(32),
      OPENAI_API_BASE: 'http://127.0.0.1:9/v1',
      MINDBOT_API_URL: `http://127.0.0.1:${(platform.address() as AddressInfo).port}`,
      AGENT_PORT: String(await freePort()),
      AGENT_IDLE_PROCESSES: '1',
      LOG_LEVEL: 'warn',
    });
    if (process.env.AGENT_TEST_DEBUG) {
      worker.stdout?.pipe(process.stderr);
      worker.stderr?.pipe(process.stderr);
    } else {
      worker.stdout?.resume();
      worker.stderr?.resume();
    }
  }, 60_000);

  afterAll(async () => {
    worker?.kill('SIGKILL');
    await livekit?.close();
    platform?.close();
  });

  it('registers under LIVEKIT_AGENT_NAME for explicit dispatch, with an agent grant', async () => {
    const reg = await livekit.next('register', () => true, 45_000);
    expect(reg.agentName).toBe('mindbot-voice-agent');
    expect(reg.type).toBe(JobType.JT_ROOM);
    expect(livekit.tokens[0]?.agent).toBe(true);
  });

  it('takes a persona job offered with its session metadata, and refuses one without', { timeout: 120_000 }, async () => {
    const metadata = JSON.stringify({ persona_slug: 'professor-oak-tutor', session_id: 'persona_abc', time_session_id: '00000000-0000-4000-8000-000000000009', user_id: 'user-9' });
    const job = (id: string, meta: string) => ({ id, type: JobType.JT_ROOM, room: { sid: `RM_${id}`, name: 'persona_abc' }, metadata: meta, agentName: 'mindbot-voice-agent' });
    await livekit.next('register', () => true, 45_000);
    livekit.send(new ServerMessage({ message: { case: 'availability', value: { job: job('AJ_good', metadata) } } }));
    livekit.send(new ServerMessage({ message: { case: 'availability', value: { job: job('AJ_bad', '{"hello":"world"}') } } }));
    const good = await livekit.next('availability', (a) => a.jobId === 'AJ_good').catch((e) => {
      console.error(livekit.received.map((m) => m.message.case));
      throw e;
    });
    const bad = await livekit.next('availability', (a) => a.jobId === 'AJ_bad');
    expect(good.available).toBe(true);
    expect(bad.available).toBe(false);

    // Assigned, the job runs in a job process: it reads its session from the platform with
    // the agent key (joining the room itself needs a real LiveKit server).
    livekit.send(new ServerMessage({ message: { case: 'assignment', value: { job: job('AJ_good', metadata), token: 'room-token', url: 'ws://127.0.0.1:9' } } }));
    await until(() => platformRequests.length > 0, 60_000, 'the job to ask the platform');
    expect(platformRequests[0]).toEqual({ method: 'GET', url: '/agent/sessions/00000000-0000-4000-8000-000000000009', key: 'k'.repeat(32) });
  });
});
