import { afterEach, describe, expect, it } from 'vitest';
import { type ChatRequest, systemText } from '../testing/fake-openai.js';
import { sessionInfo } from '../testing/fake-platform.js';
import { type TextCall, textCall, until } from '../testing/harness.js';

let call: TextCall | undefined;
afterEach(async () => {
  await call?.close();
  call = undefined;
});

/** The instructions the clock gave for each reply, in order (greeting first). */
const asked = (chats: ChatRequest[]) => chats.map((c) => systemText(c));

describe('the call clock', () => {
  it('warns before the end of the budget, then says goodbye, ends the session (budget) and closes the room', async () => {
    const ended: string[] = [];
    call = await textCall({
      info: sessionInfo({ budget: { seconds_left: 3 } }),
      timing: { warningSeconds: 2 },
      chat: () => ({ text: 'Noted.' }),
      extra: { onEnded: (reason) => void ended.push(reason) },
    });
    await until(() => ended.length > 0, 15_000, 'the end');
    const said = asked(call.openai.chats);
    expect(said.some((s) => /less than a minute remains of this call/.test(s))).toBe(true);
    expect(said.some((s) => /time for this call is up/.test(s))).toBe(true);
    expect(said.findIndex((s) => /remains of this call/.test(s))).toBeLessThan(said.findIndex((s) => /is up/.test(s)));
    expect(call.platform.endReasons).toEqual(['budget']);
    expect(ended).toEqual(['budget']);
  });

  it('a call that starts inside the warning window is warned once, at once', async () => {
    call = await textCall({ info: sessionInfo({ budget: { seconds_left: 90 } }), timing: { warningSeconds: 120 }, chat: () => ({ text: 'Okay.' }) });
    await until(() => asked(call!.openai.chats).some((s) => /about 2 minutes remain of this call/.test(s)), 10_000, 'the warning');
    await new Promise((r) => setTimeout(r, 500));
    expect(asked(call.openai.chats).filter((s) => /remain/.test(s))).toHaveLength(1);
    expect(call.platform.calls.filter((c) => c.route === 'get').length).toBeLessThan(3);
  });

  it('follows a top-up: the call goes on past the first budget', async () => {
    const ended: string[] = [];
    call = await textCall({
      info: sessionInfo({ budget: { seconds_left: 2 } }),
      timing: { warningSeconds: 1 },
      chat: () => ({ text: 'Sure.' }),
      extra: { onEnded: (reason) => void ended.push(reason) },
    });
    call.platform.topUp(3);
    await new Promise((r) => setTimeout(r, 2600));
    expect(ended).toEqual([]);
    await until(() => ended.length > 0, 15_000, 'the end');
    expect(call.platform.endReasons).toEqual(['budget']);
  });

  it('asks a silent user once whether they are there, then ends the call (idle)', async () => {
    const ended: string[] = [];
    call = await textCall({
      timing: { idleSeconds: 1 },
      chat: () => ({ text: 'Are you still there?' }),
      extra: { onEnded: (reason) => void ended.push(reason) },
    });
    await until(() => ended.length > 0, 15_000, 'the idle end');
    const said = asked(call.openai.chats);
    expect(said.filter((s) => /whether they are still there/.test(s))).toHaveLength(1);
    expect(call.platform.endReasons).toEqual(['idle']);
  });

  it('a user who answers is not ended as idle', async () => {
    const ended: string[] = [];
    call = await textCall({
      timing: { idleSeconds: 1.5 },
      chat: () => ({ text: 'Okay.' }),
      extra: { onEnded: (reason) => void ended.push(reason) },
    });
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 700));
      await call.session.run({ userInput: `still here ${i}` }).wait();
    }
    expect(ended).toEqual([]);
    expect(asked(call.openai.chats).some((s) => /whether they are still there/.test(s))).toBe(false);
  });

  it('reports usage and latency once; the transcript only when the platform stores transcripts', async () => {
    call = await textCall({ chat: () => ({ text: 'Hello there.' }), info: sessionInfo({ store_transcripts: false }) });
    await call.session.run({ userInput: 'hi' }).wait();
    const reason = await call.call.end('user_left');
    await call.call.finish(reason);
    await call.call.finish(reason);
    expect(call.platform.reports).toHaveLength(1);
    const report = call.platform.reports[0]!;
    expect(report.ended_reason).toBe('user_left');
    expect(report.usage.llm).toEqual([{ model: 'gpt-4.1-mini', prompt_tokens: 200, completion_tokens: 20 }]);
    expect(report.latency.llm_ttft_ms).not.toBeNull();
    expect(report.transcript).toBeUndefined();

    await call.close();
    call = await textCall({ chat: () => ({ text: 'Hello there.' }), info: sessionInfo({ store_transcripts: true }) });
    await call.session.run({ userInput: 'hi' }).wait();
    await call.call.finish(await call.call.end('user_left'));
    expect(call.platform.reports[0]?.transcript).toContainEqual({ role: 'user', text: 'hi' });
  });
});
