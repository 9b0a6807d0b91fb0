import { afterEach, describe, expect, it } from 'vitest';
import { type ChatRequest, lastMessage, lastUserText, systemText } from '../testing/fake-openai.js';
import { type TextCall, textCall, until } from '../testing/harness.js';

let call: TextCall | undefined;
afterEach(async () => {
  await call?.close();
  call = undefined;
});

const offered = (req: ChatRequest | undefined) => (req?.tools ?? []).map((t) => t.function.name).sort();

describe('persona agent in text', () => {
  it('greets first with the platform instructions and offers exactly the persona tools', async () => {
    call = await textCall({ chat: () => ({ text: 'Hello Ada, I am Professor Oak.' }) });
    await until(() => call!.openai.chats.length >= 1, 10_000, 'greeting');
    const greeting = call.openai.chats[0];
    expect(systemText(greeting!)).toContain('You are Professor Oak, a patient tutor.');
    expect(offered(greeting)).toEqual(['check_time_balance', 'create_quiz', 'explain_concept', 'suggest_resources']);
  });

  it('answers a turn; check_time_balance reads the live budget through the platform', async () => {
    call = await textCall({
      chat: (req) => {
        const last = lastMessage(req);
        if (last?.role === 'tool') return { text: 'You have about 30 minutes left.' };
        if (lastUserText(req).includes('time')) return { toolCalls: [{ name: 'check_time_balance', args: {} }] };
        return { text: 'Hello!' };
      },
    });
    await call.session.waitForIdle();
    const gets = call.platform.calls.filter((c) => c.route === 'get').length;
    call.platform.topUp(600); // bought during the call
    const result = call.session.run({ userInput: 'How much time do I have?' });
    await result.wait();
    result.expect.skipNextEventIf({ type: 'message', role: 'assistant' });
    result.expect.nextEvent().isFunctionCall({ name: 'check_time_balance' });
    const output = result.expect.nextEvent().isFunctionCallOutput();
    const said = JSON.parse(output.event().item.output) as { seconds_left: number; say: string };
    expect(said.seconds_left).toBeGreaterThan(2390);
    expect(said.say).toMatch(/minutes left/);
    result.expect.nextEvent().isMessage({ role: 'assistant' });
    expect(call.platform.calls.filter((c) => c.route === 'get').length).toBeGreaterThan(gets);
  });
});
