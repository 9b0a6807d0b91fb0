import { z } from 'zod';
import { fromFields, keep, readKept, toFields, withoutKept } from './kept.js';
import { SayableError, defineTool } from './types.js';

/** Arithmetic only (numbers, + - * / ^, parentheses): enough to check a worked step. */
export function evaluateArithmetic(expr: string): number | undefined {
  const src = expr.replace(/\s+/g, '').replace(/×/g, '*').replace(/÷/g, '/').replace(/−/g, '-');
  if (!/^[\d.+\-*/^()]+$/.test(src)) return undefined;
  let i = 0;
  const peek = () => src[i];
  const number = (): number => {
    if (peek() === '(') {
      i++;
      const v = sum();
      if (src[i++] !== ')') throw new Error('paren');
      return v;
    }
    if (peek() === '-') {
      i++;
      return -number();
    }
    const m = /^\d+(\.\d+)?|^\.\d+/.exec(src.slice(i));
    if (!m) throw new Error('number');
    i += m[0].length;
    return Number(m[0]);
  };
  const power = (): number => {
    const base = number();
    if (peek() === '^') {
      i++;
      return base ** power();
    }
    return base;
  };
  const product = (): number => {
    let v = power();
    while (peek() === '*' || peek() === '/') v = src[i++] === '*' ? v * power() : v / power();
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (peek() === '+' || peek() === '-') v = src[i++] === '+' ? v + product() : v - product();
    return v;
  };
  try {
    const v = sum();
    return i === src.length && Number.isFinite(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export const homeworkChecker = defineTool(
  'homework_checker',
  'Check the student\'s worked answer step by step (each step like "3 * (4 + 2) = 18"): finds the first step that does not hold, without giving the solution away.',
  z.object({ problem: z.string().min(1).max(500), steps: z.array(z.string().min(1).max(300)).min(1).max(30) }),
  ({ steps }) => {
    const checked = steps.map((step, n) => {
      const sides = step.split('=').map((s) => s.trim()).filter(Boolean);
      if (sides.length < 2) return { step: n + 1, status: 'not_checked' as const };
      const values = sides.map(evaluateArithmetic);
      if (values.some((v) => v === undefined)) return { step: n + 1, status: 'not_checked' as const };
      const ok = values.every((v) => Math.abs((v as number) - (values[0] as number)) < 1e-9 * Math.max(1, Math.abs(values[0] as number)));
      return { step: n + 1, status: ok ? ('correct' as const) : ('incorrect' as const) };
    });
    const firstWrong = checked.find((c) => c.status === 'incorrect');
    return {
      steps: checked,
      first_incorrect_step: firstWrong?.step ?? null,
      guidance: firstWrong
        ? `Point the student to step ${firstWrong.step} and ask them to recompute it; do not give the right value.`
        : 'Every checkable step holds; praise the method and ask them to explain the unchecked steps in words.',
    };
  },
);

export const studyPlanGenerator = defineTool(
  'study_plan_generator',
  'A dated study plan: the topics spread over study days until the goal date, with review days before it.',
  z.object({
    topics: z.array(z.string().min(1).max(80)).min(1).max(30),
    goal_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
    minutes_per_day: z.number().int().min(10).max(300).default(30),
    study_weekdays: z.array(z.number().int().min(0).max(6)).min(1).max(7).default([1, 2, 3, 4, 5]).describe('0 = Sunday'),
  }),
  ({ topics, goal_date, minutes_per_day, study_weekdays }, d) => {
    const today = new Date(`${d.now().toISOString().slice(0, 10)}T00:00:00Z`);
    const goal = new Date(`${goal_date}T00:00:00Z`);
    if (!(goal > today)) throw new SayableError('The goal date needs to be in the future.');
    const days: string[] = [];
    for (let t = today.getTime() + 86_400_000; t < goal.getTime() && days.length < 366; t += 86_400_000) {
      if (study_weekdays.includes(new Date(t).getUTCDay())) days.push(new Date(t).toISOString().slice(0, 10));
    }
    if (days.length === 0) throw new SayableError('There are no study days before that date; pick a later date or more days.');
    const reviewDays = days.length >= topics.length + 2 ? Math.min(2, days.length - topics.length) : 0;
    const learnDays = days.slice(0, days.length - reviewDays);
    const plan = learnDays.map((date, i) => ({ date, minutes: minutes_per_day, topics: topics.filter((_, t) => Math.floor((t * learnDays.length) / topics.length) === i) }));
    const filled = plan.filter((p) => p.topics.length > 0);
    const review = days.slice(days.length - reviewDays).map((date) => ({ date, minutes: minutes_per_day, topics: ['review and practice questions'] }));
    return { plan: [...filled, ...review], study_days: filled.length + review.length };
  },
);

export const progressTracking = defineTool(
  'progress_tracking',
  'The learner\'s progress across calls: what earlier calls covered and what was planned next (kept between calls), and what this call covered. Record topics covered and the next steps as you go; call it without arguments to tell the user where they stand.',
  z.object({ covered: z.array(z.string().min(1).max(120)).max(10).default([]), next_steps: z.array(z.string().min(1).max(120)).max(10).default([]) }),
  ({ covered, next_steps }, d) => {
    const p = progressOf(d.call);
    p.covered.push(...covered);
    if (next_steps.length > 0) p.next = next_steps;
    const earlier = fromFields(readKept(d.info.persona.memory).get('progress'));
    const before = (earlier.covered ?? '').split(' / ').filter(Boolean);
    const plannedBefore = (earlier.next ?? '').split(' / ').filter(Boolean);
    if (covered.length > 0 || next_steps.length > 0) {
      const all = [...before.filter((t) => !p.covered.includes(t)), ...p.covered].slice(-12);
      keep(d.call, 'progress', toFields({ covered: all.join(' / '), next: (p.next.length > 0 ? p.next : plannedBefore).join(' / '), updated: d.now().toISOString().slice(0, 10) }));
    }
    return {
      covered_in_earlier_calls: before,
      planned_last_time: plannedBefore,
      last_updated: earlier.updated ?? null,
      this_call: p.covered,
      next: p.next.length > 0 ? p.next : plannedBefore,
      earlier_summary: withoutKept(d.info.persona.memory) || (d.info.memory_enabled ? 'nothing recorded yet' : 'memory is off in the profile settings, so progress is not kept between calls'),
    };
  },
);

export interface Progress {
  covered: string[];
  next: string[];
}

/** Also read at the call's end: the memory summary includes it. */
export function progressOf(call: { state<T>(key: string, init: () => T): T }): Progress {
  return call.state<Progress>('progress', () => ({ covered: [], next: [] }));
}
