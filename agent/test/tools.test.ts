import { afterEach, describe, expect, it } from 'vitest';
import { TOOLS } from '../tools/index.js';
import { evaluateArithmetic } from '../tools/premium.js';
import { type ChatRequest, lastMessage } from '../testing/fake-openai.js';
import { sessionInfo } from '../testing/fake-platform.js';
import { type TextCall, textCall, until } from '../testing/harness.js';

let call: TextCall | undefined;
afterEach(async () => {
  await call?.close();
  call = undefined;
});

const offered = (req: ChatRequest | undefined) => (req?.tools ?? []).map((t) => t.function.name).sort();

/** Scripts one tool call for the user's turn and answers with the tool's output afterwards. */
function callsTool(name: string, args: Record<string, unknown>) {
  return (req: ChatRequest) => {
    const last = lastMessage(req);
    if (last?.role === 'tool') return { text: 'Done.' };
    if (last?.role === 'user') return { toolCalls: [{ name, args }] };
    return { text: 'Hello!' };
  };
}

async function runTool(persona: Parameters<typeof sessionInfo>[0], name: string, args: Record<string, unknown>) {
  call = await textCall({ info: sessionInfo(persona), chat: callsTool(name, args) });
  await call.session.waitForIdle();
  const result = call.session.run({ userInput: `please use ${name}` });
  await result.wait();
  result.expect.nextEvent().isFunctionCall({ name });
  return result.expect.nextEvent().isFunctionCallOutput().event().item;
}

// Every tool named in the seeded catalogue (migrations/0005_personas.sql).
const CATALOGUE = [
  'check_time_balance', 'web_summary', 'set_reminder', 'create_task_list', 'estimate_duration', 'recipe_search', 'unit_converter', 'cooking_timer',
  'create_quiz', 'explain_concept', 'suggest_resources', 'timeline_lookup', 'translate_phrase', 'vocabulary_drill', 'pronunciation_feedback',
  'breathing_timer', 'guided_meditation', 'ambient_sounds', 'workout_timer', 'rep_counter', 'create_workout_plan', 'sleep_timer',
  'joke_generator', 'improv_prompt', 'trivia_game', 'word_game', 'scoreboard', 'dice_roller', 'story_state', 'inventory',
  'explain_code', 'run_snippet', 'debugging_checklist', 'explain_error', 'capacity_estimator', 'design_checklist', 'mock_interview',
];

describe('persona tools', () => {
  it('the worker has every tool of the seeded catalogue', () => {
    expect(Object.keys(TOOLS).sort()).toEqual([...CATALOGUE].sort());
  });

  it('offers a persona only its own tools', async () => {
    call = await textCall({
      info: sessionInfo({ persona: { slug: 'chef-basil', tools: ['check_time_balance', 'recipe_search', 'unit_converter', 'cooking_timer'] } }),
      chat: () => ({ text: 'Welcome to my kitchen!' }),
    });
    await until(() => call!.openai.chats.length > 0);
    expect(offered(call.openai.chats[0])).toEqual(['check_time_balance', 'cooking_timer', 'recipe_search', 'unit_converter']);
  });

  it('premium features are offered only when the platform lists them for this user', async () => {
    const tools = ['check_time_balance', 'create_quiz'];
    call = await textCall({ info: sessionInfo({ persona: { tools, premium_features: [] } }), chat: () => ({ text: 'Hi.' }) });
    await until(() => call!.openai.chats.length > 0);
    expect(offered(call.openai.chats[0])).toEqual(['check_time_balance', 'create_quiz']);
    await call.close();

    call = await textCall({
      info: sessionInfo({ user: { id: 'u', first_name: 'Ada', tier: 'premium' }, persona: { tools, premium_features: ['homework_checker', 'study_plan_generator', 'progress_tracking'] } }),
      chat: () => ({ text: 'Hi.' }),
    });
    await until(() => call!.openai.chats.length > 0);
    expect(offered(call.openai.chats[0])).toEqual(['check_time_balance', 'create_quiz', 'homework_checker', 'progress_tracking', 'study_plan_generator']);
  });

  it('unit_converter converts, and a conversion it cannot do answers with a sentence to say', async () => {
    const ok = await runTool({ persona: { tools: ['unit_converter'] } }, 'unit_converter', { value: 2, from: 'cups', to: 'ml' });
    expect(JSON.parse(ok.output)).toEqual({ value: 473.18, unit: 'ml' });
    await call?.close();
    const bad = await runTool({ persona: { tools: ['unit_converter'] } }, 'unit_converter', { value: 2, from: 'cups', to: 'kg' });
    expect(bad.isError).toBe(true);
    expect(bad.output).toMatch(/volume.*mass|density/);
  });

  it('bad arguments reach the model as an error it can correct, not a crash', async () => {
    const out = await runTool({ persona: { tools: ['dice_roller'] } }, 'dice_roller', { notation: 'roll a lot' });
    expect(out.isError).toBe(true);
  });

  it('a tool that fails inside answers with a sayable error', async () => {
    const out = await runTool({ persona: { tools: ['web_summary'] } }, 'web_summary', { url: 'http://127.0.0.1:9/' });
    expect(out.isError).toBe(true);
    expect(out.output).toMatch(/public web pages/);
  });

  it('create_quiz keeps the score across turns', async () => {
    call = await textCall({
      info: sessionInfo(),
      chat: (req) => {
        const last = lastMessage(req);
        if (last?.role === 'tool') return { text: 'Next question.' };
        if (last?.role === 'user' && JSON.stringify(last.content).includes('start'))
          return { toolCalls: [{ name: 'create_quiz', args: { topic: 'fractions', questions: [{ question: '1/2 + 1/4?', answer: '3/4' }, { question: '2/3 of 9?', answer: '6' }] } }] };
        if (last?.role === 'user') return { toolCalls: [{ name: 'create_quiz', args: { topic: 'fractions', last_answer_correct: true } }] };
        return { text: 'Hello!' };
      },
    });
    await call.session.waitForIdle();
    const first = call.session.run({ userInput: 'start a quiz' });
    await first.wait();
    first.expect.nextEvent().isFunctionCall({ name: 'create_quiz' });
    expect(JSON.parse(first.expect.nextEvent().isFunctionCallOutput().event().item.output)).toMatchObject({ question_number: 1, of: 2, ask: '1/2 + 1/4?' });
    const second = call.session.run({ userInput: 'three quarters' });
    await second.wait();
    second.expect.nextEvent().isFunctionCall({ name: 'create_quiz' });
    expect(JSON.parse(second.expect.nextEvent().isFunctionCallOutput().event().item.output)).toMatchObject({ question_number: 2, score: 1 });
  });

  it('run_snippet runs JavaScript without access to the file system', async () => {
    const out = await runTool({ persona: { tools: ['run_snippet'] } }, 'run_snippet', { code: 'console.log([1,2,3].map(x => x * 2).join(","))' });
    expect(JSON.parse(out.output)).toMatchObject({ output: '2,4,6' });
    await call?.close();
    const escaped = await runTool({ persona: { tools: ['run_snippet'] } }, 'run_snippet', {
      code: "const p = this.constructor.constructor('return process')(); p.mainModule.require('fs').readFileSync('/etc/hostname', 'utf8')",
    });
    expect(escaped.output).toMatch(/Error/);
  });

  it('homework_checker finds the first wrong step without giving the answer', async () => {
    const out = await runTool(
      { user: { id: 'u', first_name: 'Ada', tier: 'premium' }, persona: { tools: [], premium_features: ['homework_checker'] } },
      'homework_checker',
      { problem: '3 * (4 + 2)', steps: ['4 + 2 = 6', '3 * 6 = 21', '21 = 21'] },
    );
    const body = JSON.parse(out.output);
    expect(body.first_incorrect_step).toBe(2);
    expect(out.output).not.toContain('18');
  });

  it('study_plan_generator returns a dated plan before the goal date', async () => {
    const goal = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    const out = await runTool(
      { user: { id: 'u', first_name: 'Ada', tier: 'premium' }, persona: { tools: [], premium_features: ['study_plan_generator'] } },
      'study_plan_generator',
      { topics: ['linear equations', 'inequalities', 'graphs'], goal_date: goal },
    );
    const { plan } = JSON.parse(out.output) as { plan: { date: string; topics: string[] }[] };
    expect(plan.flatMap((p) => p.topics)).toEqual(expect.arrayContaining(['linear equations', 'inequalities', 'graphs']));
    expect(plan.every((p) => p.date < goal)).toBe(true);
  });

  it('arithmetic evaluation for the homework checker', () => {
    expect(evaluateArithmetic('3 * (4 + 2)')).toBe(18);
    expect(evaluateArithmetic('2^3^2')).toBe(512);
    expect(evaluateArithmetic('x + 1')).toBeUndefined();
  });
});
