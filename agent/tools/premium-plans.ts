import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { TIMELINE } from './data/timeline.js';
import { fromFields, keep, kept, toFields } from './kept.js';
import { progressOf } from './premium.js';
import { SayableError, defineTool } from './types.js';

/** Premium planning and learning features: calendars, reviews, programmes, tracked words, history. */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'a real date');
const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (date: string, n: number) => dayOf(new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000));

/** RFC 5545 text: escaped, lines folded at 75 octets, CRLF. */
function icsText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}
function fold(line: string): string {
  const out: string[] = [];
  let rest = line;
  while (Buffer.byteLength(rest) > 75) {
    let cut = 75;
    while (Buffer.byteLength(rest.slice(0, cut)) > 75) cut--;
    out.push(rest.slice(0, cut));
    rest = ` ${rest.slice(cut)}`;
  }
  out.push(rest);
  return out.join('\r\n');
}

export interface CalendarEvent {
  title: string;
  date: string;
  start?: string | undefined;
  minutes: number;
}

export function icsCalendar(events: CalendarEvent[], now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//MindBot//Persona calendar//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH'];
  for (const e of events) {
    const day = e.date.replace(/-/g, '');
    lines.push('BEGIN:VEVENT', `UID:${randomUUID()}@mindbot`, `DTSTAMP:${stamp}`);
    if (e.start) lines.push(`DTSTART:${day}T${e.start.replace(':', '')}00`, `DURATION:PT${e.minutes}M`);
    else lines.push(`DTSTART;VALUE=DATE:${day}`, `DTEND;VALUE=DATE:${addDays(e.date, 1).replace(/-/g, '')}`);
    lines.push(`SUMMARY:${icsText(e.title)}`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

export const calendarExport = defineTool(
  'calendar_export',
  'Export the plan made in this call as a calendar file (iCalendar, .ics) sent to the user\'s app: each event with a date, an optional start time and a length. Without events, the open tasks of the task list are put on the given date.',
  z.object({
    events: z.array(z.object({ title: z.string().min(1).max(120), date: isoDate, start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM').optional(), minutes: z.number().int().min(5).max(720).default(30) })).max(50).default([]),
    date_for_tasks: isoDate.optional(),
  }),
  async ({ events, date_for_tasks }, d) => {
    let list: CalendarEvent[] = events;
    if (list.length === 0) {
      const tasks = d.call.state<{ title: string; minutes?: number; done: boolean }[]>('tasks', () => []).filter((t) => !t.done);
      if (tasks.length === 0) throw new SayableError('There is nothing to export yet: plan some events or tasks first.');
      const date = date_for_tasks ?? addDays(dayOf(d.now()), 1);
      list = tasks.map((t) => ({ title: t.title, date, minutes: t.minutes ?? 30 }));
    }
    const ics = icsCalendar(list, d.now());
    const delivered = await d.call.deliver({ name: 'mindbot-plan.ics', mime: 'text/calendar', content: ics });
    return {
      events: list.length,
      delivered,
      tell_user: delivered ? 'The calendar file has been sent to your app; open it to add the events to your calendar.' : 'The calendar is ready but there is no app connected to send it to.',
    };
  },
);

export const weeklyReview = defineTool(
  'weekly_review',
  'A weekly review: what got done and what did not, the completion rate, what carries over, the priorities for next week, compared with last week\'s review (kept between calls).',
  z.object({
    done: z.array(z.string().min(1).max(120)).max(40).default([]),
    not_done: z.array(z.string().min(1).max(120)).max(40).default([]),
    next_week_focus: z.array(z.string().min(1).max(120)).max(5).default([]),
  }),
  ({ done, not_done, next_week_focus }, d) => {
    const tasks = d.call.state<{ title: string; done: boolean }[]>('tasks', () => []);
    const doneAll = [...new Set([...done, ...tasks.filter((t) => t.done).map((t) => t.title)])];
    const openAll = [...new Set([...not_done, ...tasks.filter((t) => !t.done).map((t) => t.title)])];
    const total = doneAll.length + openAll.length;
    if (total === 0) throw new SayableError('Tell me what you finished and what is still open this week first.');
    const rate = Math.round((doneAll.length / total) * 100);
    const last = fromFields(kept(d.call, d.info, 'weekly_review'));
    const priorities = (next_week_focus.length > 0 ? next_week_focus : openAll).slice(0, 3);
    const week = dayOf(d.now());
    keep(d.call, 'weekly_review', toFields({ week, done: doneAll.length, open: openAll.length, rate, focus: priorities.join(' / ') }));
    progressOf(d.call).covered.push(`weekly review ${week}: ${rate}% done`);
    return {
      completion_rate_percent: rate,
      done: doneAll,
      carried_over: openAll,
      priorities_next_week: priorities,
      last_week: last.week ? { week: last.week, completion_rate_percent: Number(last.rate), focus: last.focus } : null,
      trend: last.rate ? (rate > Number(last.rate) ? 'better than last week' : rate < Number(last.rate) ? 'lower than last week' : 'the same as last week') : 'first review',
      guidance: 'Celebrate what got done first; never shame the open items; ask which carried-over item can be dropped.',
    };
  },
);

const EXERCISES = {
  none: { push: 'push-ups', pull: 'superman holds', legs: 'squats', core: 'plank (seconds)', cardio: 'jumping jacks' },
  dumbbells: { push: 'dumbbell floor press', pull: 'one-arm dumbbell rows', legs: 'goblet squats', core: 'dumbbell dead bugs', cardio: 'dumbbell thrusters' },
  resistance_band: { push: 'band chest press', pull: 'band rows', legs: 'band squats', core: 'band pallof press', cardio: 'band skaters' },
  pull_up_bar: { push: 'push-ups', pull: 'pull-ups (or negatives)', legs: 'split squats', core: 'hanging knee raises', cardio: 'burpees' },
} as const;
const BASE = { beginner: { sets: 2, reps: 8 }, intermediate: { sets: 3, reps: 10 }, advanced: { sets: 4, reps: 12 } } as const;

export const customPrograms = defineTool(
  'custom_programs',
  'A multi-week training programme built for the user: level, goal, weeks, days per week and equipment; reps rise week by week, every fourth week is a lighter recovery week.',
  z.object({
    level: z.enum(['beginner', 'intermediate', 'advanced']),
    goal: z.enum(['strength', 'endurance', 'general']).default('general'),
    weeks: z.number().int().min(2).max(12).default(4),
    days_per_week: z.number().int().min(2).max(6).default(3),
    equipment: z.enum(['none', 'dumbbells', 'resistance_band', 'pull_up_bar']).default('none'),
    avoid: z.array(z.enum(['push', 'pull', 'legs', 'core', 'cardio'])).max(4).default([]).describe('movement groups to leave out (injuries)'),
  }),
  ({ level, goal, weeks, days_per_week, equipment, avoid }, d) => {
    const moves = Object.entries(EXERCISES[equipment]).filter(([group]) => !avoid.includes(group as never));
    const base = BASE[level];
    const repsStep = goal === 'endurance' ? 3 : goal === 'strength' ? 1 : 2;
    const program = Array.from({ length: weeks }, (_, w) => {
      const recovery = (w + 1) % 4 === 0;
      const progression = w - Math.floor((w + 1) / 4);
      const sets = recovery ? Math.max(1, base.sets - 1) : base.sets + (goal === 'strength' ? Math.floor(progression / 2) : 0);
      const reps = recovery ? base.reps : base.reps + progression * repsStep;
      return {
        week: w + 1,
        recovery_week: recovery,
        sessions: Array.from({ length: days_per_week }, (_, s) => ({
          day: s + 1,
          exercises: moves.filter((_, i) => (i + s) % 2 === 0 || moves.length <= 3).map(([, name]) => ({ name, sets, reps })),
        })),
      };
    });
    keep(d.call, 'program', toFields({ level, goal, weeks, days: days_per_week, equipment, started: dayOf(d.now()) }));
    return { program, safety: 'Warm up first; stop any exercise that hurts; this is general guidance, not medical advice.' };
  },
);

/** Spaced repetition (Leitner boxes): a word answered right moves up a box and comes back later. */
const BOX_DAYS = [1, 2, 4, 8, 16] as const;

export const vocabularyTracker = defineTool(
  'vocabulary_tracker',
  'Track the learner\'s vocabulary across calls with spaced repetition: record words practised (right or wrong), or list the words due for review today.',
  z.object({
    record: z.array(z.object({ word: z.string().min(1).max(40), meaning: z.string().min(1).max(60), correct: z.boolean() })).max(20).default([]),
  }),
  ({ record }, d) => {
    const today = dayOf(d.now());
    const words = new Map(
      Object.entries(fromFields(kept(d.call, d.info, 'vocabulary'))).map(([word, v]) => {
        const [meaning = '', box = '1', due = today] = v.split('|');
        return [word, { meaning, box: Number(box) || 1, due }];
      }),
    );
    for (const r of record) {
      const w = r.word.toLowerCase().replace(/[;=|]/g, '');
      const prev = words.get(w);
      const box = r.correct ? Math.min(BOX_DAYS.length, (prev?.box ?? 0) + 1) : 1;
      words.set(w, { meaning: r.meaning.replace(/[;=|]/g, ''), box, due: addDays(today, BOX_DAYS[box - 1]!) });
    }
    // The 30 most recently due words are kept: the block stays within the memory cap.
    const keptWords = [...words].sort((a, b) => b[1].due.localeCompare(a[1].due)).slice(0, 30);
    if (record.length > 0) keep(d.call, 'vocabulary', toFields(Object.fromEntries(keptWords.map(([w, v]) => [w, `${v.meaning}|${v.box}|${v.due}`]))));
    return {
      tracked: words.size,
      due_today: [...words].filter(([, v]) => v.due <= today).map(([word, v]) => ({ word, meaning: v.meaning })),
      mastered: [...words].filter(([, v]) => v.box >= BOX_DAYS.length).map(([word]) => word),
    };
  },
);

export const conversationTranscripts = defineTool(
  'conversation_transcripts',
  'Send the user a transcript of this practice conversation so far (to their app), to review new words and corrections after the call. It is sent to the user only, not stored.',
  z.object({}),
  async (_a, d) => {
    const turns = d.call.transcript();
    if (turns.length === 0) throw new SayableError('We have not said anything yet to put in a transcript.');
    const text = turns.map((t) => `${t.role === 'user' ? d.info.user.first_name || 'You' : d.info.persona.name}: ${t.text}`).join('\n');
    const delivered = await d.call.deliver({ name: `${d.info.persona.slug}-${dayOf(d.now())}.txt`, mime: 'text/plain', content: `${text}\n` });
    return { turns: turns.length, delivered };
  },
);

const yearText = (y: number) => (y < 0 ? `${-y} BCE` : `${y} CE`);

export const timelineBuilder = defineTool(
  'timeline_builder',
  'Build a timeline from events the user names (year; negative for BCE), optionally merged with known events on a theme, in order with the gaps between them.',
  z.object({
    events: z.array(z.object({ year: z.number().int().min(-5000).max(2100), label: z.string().min(1).max(120) })).max(30).default([]),
    merge_theme: z.string().max(40).optional().describe('add known events tagged with this theme, e.g. rome'),
  }),
  ({ events, merge_theme }) => {
    const theme = merge_theme?.toLowerCase();
    const known = theme ? TIMELINE.filter((e) => e.tags.includes(theme)).map((e) => ({ year: e.year, label: e.event, source: 'known' as const })) : [];
    const all = [...events.map((e) => ({ ...e, source: 'user' as const })), ...known].sort((a, b) => a.year - b.year);
    if (all.length < 2) throw new SayableError('A timeline needs at least two events.');
    return {
      timeline: all.map((e, i) => ({ when: yearText(e.year), event: e.label, source: e.source, years_after_previous: i === 0 ? null : e.year - all[i - 1]!.year - (all[i - 1]!.year < 0 && e.year > 0 ? 1 : 0) })),
      span_years: all.at(-1)!.year - all[0]!.year - (all[0]!.year < 0 && all.at(-1)!.year > 0 ? 1 : 0),
      note: 'There is no year 0: 1 BCE is followed by 1 CE.',
    };
  },
);

const SOURCES: { until: number; kinds: string[] }[] = [
  { until: 500, kinds: ['inscriptions', 'archaeology', 'coins', 'classical histories (with their authors\' biases)'] },
  { until: 1500, kinds: ['chronicles', 'charters and law codes', 'church records', 'archaeology'] },
  { until: 1900, kinds: ['letters and diaries', 'newspapers and pamphlets', 'government records', 'maps'] },
  { until: 9999, kinds: ['newspapers', 'photographs and film', 'oral histories', 'official archives'] },
];

export const eraDeepDives = defineTool(
  'era_deep_dives',
  'A structured deep dive into an era (a range of years): its turning points from the timeline, the kinds of evidence historians use for it, debates to present from several sides, and questions to check understanding.',
  z.object({ from_year: z.number().int().min(-5000).max(2100), to_year: z.number().int().min(-5000).max(2100), theme: z.string().max(40).optional() }),
  ({ from_year, to_year, theme }, d) => {
    if (to_year <= from_year) throw new SayableError('The era needs to end after it starts.');
    const t = theme?.toLowerCase();
    const events = TIMELINE.filter((e) => e.year >= from_year && e.year <= to_year && (!t || e.tags.includes(t)));
    if (events.length === 0) throw new SayableError('I have no events recorded in that range; try a wider range or another theme.');
    const mid = (from_year + to_year) / 2;
    progressOf(d.call).covered.push(`deep dive ${yearText(from_year)}–${yearText(to_year)}`);
    return {
      era: `${yearText(from_year)} to ${yearText(to_year)}`,
      sections: ['context: the world at the start', 'turning points', 'causes and consequences', 'evidence', 'debates', 'check questions'],
      turning_points: events.map((e) => ({ when: yearText(e.year), event: e.event })),
      evidence: SOURCES.find((s) => mid <= s.until)!.kinds,
      debates: events.slice(0, 3).map((e) => `Why did "${e.event}" happen when it did, and who saw it differently at the time?`),
      check_questions: events.slice(0, 3).map((e) => `What happened in ${yearText(e.year)}?`),
      guidance: 'Tell it as a story, separate evidence from legend, and present contested points from more than one side.',
    };
  },
);
