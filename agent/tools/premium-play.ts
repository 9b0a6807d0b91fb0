import { z } from 'zod';
import { fromFields, keep, kept, keptWithPrefix, toFields } from './kept.js';
import { SayableError, defineTool } from './types.js';

/** Premium features for play and rest: games, campaigns, comedy, stories, meditations. */

const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const label = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 30) || 'untitled';

export const leaderboards = defineTool(
  'leaderboards',
  'The user\'s personal leaderboard across calls: record a game\'s score (this call\'s trivia score when none is given) and read the best scores per game with the dates they were set.',
  z.object({ game: z.string().min(1).max(30).optional(), score: z.number().int().min(0).max(100_000).optional() }),
  ({ game, score }, d) => {
    const board = fromFields(kept(d.call, d.info, 'leaderboard'));
    let result: { game: string; score: number; new_best: boolean } | undefined;
    if (game) {
      const trivia = d.call.state('trivia', () => ({ asked: new Set<number>(), current: -1, score: 0, rounds: 0 }));
      const value = score ?? (game.toLowerCase().includes('trivia') ? trivia.score : undefined);
      if (value === undefined) throw new SayableError('Tell me the score to record.');
      const key = label(game);
      const best = Number((board[key] ?? '').split('@')[0] ?? NaN);
      const newBest = !(best >= value);
      if (newBest) board[key] = `${value}@${dayOf(d.now())}`;
      keep(d.call, 'leaderboard', toFields(board));
      result = { game: key, score: value, new_best: newBest };
    }
    const standings = Object.entries(board)
      .map(([g, v]) => ({ game: g, best: Number(v.split('@')[0]), set_on: v.split('@')[1] ?? null }))
      .sort((a, b) => b.best - a.best);
    return { ...result, leaderboard: standings };
  },
);

const MODES = {
  speed_round: { rules: 'As many questions as possible in the time; no penalties for wrong answers.', seconds: 60 },
  sudden_death: { rules: 'Keep going until the first wrong answer; the streak is the score.', seconds: 0 },
  marathon: { rules: 'Twenty questions; a streak of three earns a bonus point.', seconds: 0 },
  best_of_five: { rules: 'Five questions, persona versus user alternating; most right wins.', seconds: 0 },
} as const;

export const gameModes = defineTool(
  'game_modes',
  'Switch the games to a special mode (speed_round with a timer, sudden_death, marathon, best_of_five) and get its rules; a speed round tells the persona when time is up.',
  z.object({ mode: z.enum(['speed_round', 'sudden_death', 'marathon', 'best_of_five']), seconds: z.number().int().min(20).max(300).optional().describe('speed round length') }),
  ({ mode, seconds }, d) => {
    const m = MODES[mode];
    const state = d.call.state('game_mode', () => ({ mode: '', cancel: undefined as (() => void) | undefined }));
    state.cancel?.();
    state.mode = mode;
    const length = mode === 'speed_round' ? (seconds ?? m.seconds) : 0;
    state.cancel = length > 0 ? d.call.after(length, { announce: 'The speed round is over: stop the questions and announce the score with some fanfare.' }) : undefined;
    return { mode, rules: m.rules, timer_seconds: length || null };
  },
);

export const savedCampaigns = defineTool(
  'saved_campaigns',
  'Save the adventure (scene, goal, facts, chapter, inventory) under a name to continue it in a later call, load a saved one, or list them.',
  z.object({ action: z.enum(['save', 'load', 'list']), name: z.string().min(1).max(40).optional() }),
  ({ action, name }, d) => {
    const story = d.call.state('story', () => ({ location: '', goal: '', facts: [] as string[], chapter: 1 }));
    const items = d.call.state<Map<string, number>>('inventory', () => new Map());
    const saved = keptWithPrefix(d.call, d.info, 'campaign:');
    if (action === 'list') return { campaigns: [...saved.keys()].map((k) => k.slice('campaign:'.length)) };
    if (!name) throw new SayableError('Which campaign? Give it a name.');
    const key = `campaign:${label(name)}`;
    if (action === 'save') {
      if (!story.location && !story.goal && story.facts.length === 0) throw new SayableError('There is no story to save yet.');
      if (!d.info.memory_enabled) throw new SayableError('Saving needs memory, which is off in the profile settings; the user can turn it on there.');
      if (!saved.has(key) && saved.size >= 3) throw new SayableError('Three campaigns are saved already; load one and save over it.');
      keep(d.call, key, toFields({ chapter: story.chapter, at: story.location, goal: story.goal, facts: story.facts.slice(-5).join(' / '), items: [...items].map(([i, n]) => `${i} x${n}`).join(' / ') }));
      return { saved: label(name), chapter: story.chapter };
    }
    const f = fromFields(saved.get(key));
    if (!saved.has(key)) throw new SayableError(`There is no saved campaign called ${name}.`);
    story.chapter = Number(f.chapter) || 1;
    story.location = f.at ?? '';
    story.goal = f.goal ?? '';
    story.facts = (f.facts ?? '').split(' / ').filter(Boolean);
    items.clear();
    for (const it of (f.items ?? '').split(' / ').filter(Boolean)) {
      const m = /^(.*) x(\d+)$/.exec(it);
      if (m) items.set(m[1]!, Number(m[2]));
    }
    return { loaded: label(name), ...story, inventory: Object.fromEntries(items), guidance: 'Recap the story so far in two sentences, then offer three choices.' };
  },
);

const CLASSES = { fighter: { hp: 10, main: 'str' }, rogue: { hp: 8, main: 'dex' }, wizard: { hp: 6, main: 'int' }, ranger: { hp: 10, main: 'dex' }, cleric: { hp: 8, main: 'wis' }, bard: { hp: 8, main: 'cha' } } as const;
const STATS = ['str', 'dex', 'con', 'int', 'wis', 'cha'] as const;
const mod = (v: number) => Math.floor((v - 10) / 2);

export const characterSheets = defineTool(
  'character_sheets',
  'The player\'s character sheet, kept between calls: create one (ability scores rolled 4d6 drop the lowest, hit points from class and constitution), update hit points, experience or level, or read it.',
  z.object({
    action: z.enum(['create', 'update', 'show']),
    name: z.string().min(1).max(40),
    class: z.enum(['fighter', 'rogue', 'wizard', 'ranger', 'cleric', 'bard']).optional(),
    hp_change: z.number().int().min(-100).max(100).default(0),
    xp_gain: z.number().int().min(0).max(10_000).default(0),
  }),
  ({ action, name, class: cls, hp_change, xp_gain }, d) => {
    const key = `character:${label(name)}`;
    if (action === 'create') {
      if (!cls) throw new SayableError('Pick a class: fighter, rogue, wizard, ranger, cleric or bard.');
      const roll = () => {
        const dice = Array.from({ length: 4 }, () => 1 + Math.floor(d.random() * 6)).sort((a, b) => a - b);
        return dice[1]! + dice[2]! + dice[3]!;
      };
      const stats = Object.fromEntries(STATS.map((s) => [s, roll()])) as Record<(typeof STATS)[number], number>;
      const maxHp = Math.max(1, CLASSES[cls].hp + mod(stats.con));
      keep(d.call, key, toFields({ name, class: cls, level: 1, xp: 0, hp: maxHp, max_hp: maxHp, ...stats }));
    } else if (!kept(d.call, d.info, key)) {
      throw new SayableError(`There is no character called ${name}; create one first.`);
    }
    const f = fromFields(kept(d.call, d.info, key));
    if (action === 'update') {
      const max = Number(f.max_hp);
      f.hp = String(Math.max(0, Math.min(max, Number(f.hp) + hp_change)));
      const xp = Number(f.xp) + xp_gain;
      f.xp = String(xp);
      const level = Math.min(20, 1 + Math.floor(xp / 300));
      if (level > Number(f.level)) f.level = String(level);
      keep(d.call, key, toFields(f));
    }
    const sheet = { ...f, level: Number(f.level), xp: Number(f.xp), hp: Number(f.hp), max_hp: Number(f.max_hp), ...Object.fromEntries(STATS.map((s) => [s, Number(f[s])])) };
    return { sheet, modifiers: Object.fromEntries(STATS.map((s) => [s, mod(Number(f[s]))])), down: sheet.hp === 0 };
  },
);

const ROAST_TOPICS = ['the user\'s morning routine', 'the user\'s cooking', 'the user\'s phone habits', 'the user\'s music taste', 'the user\'s last holiday', 'the user\'s sense of direction', 'the persona itself'];

export const roastBattles = defineTool(
  'roast_battles',
  'A roast battle, persona versus user, in rounds: start one (the number of rounds), score each round (wit, delivery, warmth: 1–10 each, for both sides, judged fairly), finish for the winner. Situations only, never identities.',
  z.object({
    action: z.enum(['start', 'score', 'finish']),
    rounds: z.number().int().min(1).max(5).default(3),
    user: z.object({ wit: z.number().int().min(1).max(10), delivery: z.number().int().min(1).max(10), warmth: z.number().int().min(1).max(10) }).optional(),
    persona: z.object({ wit: z.number().int().min(1).max(10), delivery: z.number().int().min(1).max(10), warmth: z.number().int().min(1).max(10) }).optional(),
  }),
  ({ action, rounds, user, persona }, d) => {
    const b = d.call.state('roast_battle', () => ({ rounds: 0, round: 0, user: 0, persona: 0, topics: [] as string[] }));
    const topic = () => {
      const left = ROAST_TOPICS.filter((t) => !b.topics.includes(t));
      const t = left[Math.floor(d.random() * left.length)] ?? ROAST_TOPICS[0]!;
      b.topics.push(t);
      return t;
    };
    if (action === 'start') {
      Object.assign(b, { rounds, round: 1, user: 0, persona: 0, topics: [] });
      return { round: 1, of: rounds, topic: topic(), rules: ['roast situations, never identities or real private people', 'one line each per round', 'stop if the user seems hurt'] };
    }
    if (b.round === 0) throw new SayableError('No roast battle is running; start one first.');
    if (action === 'score') {
      if (!user || !persona) throw new SayableError('Score both sides for the round.');
      const sum = (s: { wit: number; delivery: number; warmth: number }) => s.wit + s.delivery + s.warmth;
      b.user += sum(user);
      b.persona += sum(persona);
      if (b.round < b.rounds) {
        b.round += 1;
        return { user_total: b.user, persona_total: b.persona, next_round: b.round, of: b.rounds, topic: topic() };
      }
    }
    const winner = b.user > b.persona ? 'user' : b.user < b.persona ? 'persona' : 'tie';
    const result = { final: true, user_total: b.user, persona_total: b.persona, winner };
    b.round = 0;
    return result;
  },
);

const STYLES = {
  deadpan: { rules: ['flat delivery, no laughing at your own jokes', 'understatement', 'let the pause do the work'], shape: 'state the absurd thing as plain fact' },
  observational: { rules: ['start from something everyone has noticed', '"have you ever noticed…" energy', 'exaggerate one true detail'], shape: 'observation → exaggeration → twist' },
  absurdist: { rules: ['commit fully to a ridiculous premise', 'escalate logically inside it', 'no winking'], shape: 'premise → consequence → bigger consequence' },
  dry_british: { rules: ['irony and polite understatement', 'self-effacing asides', 'never shout the punchline'], shape: 'polite setup → understated reversal' },
  wordplay: { rules: ['puns and double meanings', 'groan-worthy is a win', 'one pun per line at most'], shape: 'setup that hides a second meaning' },
  self_deprecating: { rules: ['the persona is the butt of the joke', 'warm, never bitter', 'turn it back to the user gently'], shape: 'admission → worse admission → recovery' },
  storytelling: { rules: ['a short anecdote with a callback', 'vivid details', 'the punchline calls back to the opening'], shape: 'story → detail → callback' },
} as const;

export const customComedyStyles = defineTool(
  'custom_comedy_styles',
  'Set the comedy style for the rest of the call and the next calls (deadpan, observational, absurdist, dry_british, wordplay, self_deprecating, storytelling): its rules and joke shape; or read the current one.',
  z.object({ style: z.enum(['deadpan', 'observational', 'absurdist', 'dry_british', 'wordplay', 'self_deprecating', 'storytelling']).optional() }),
  ({ style }, d) => {
    if (style) keep(d.call, 'comedy_style', style);
    const current = (style ?? kept(d.call, d.info, 'comedy_style')) as keyof typeof STYLES | undefined;
    if (!current || !(current in STYLES)) return { current: null, styles: Object.keys(STYLES) };
    return { current, ...STYLES[current], applies: 'every joke from now on, within the platform and persona rules' };
  },
);

const STORIES = [
  { title: 'The Lighthouse Keeper\'s Evening', theme: 'sea', scenes: ['the lamp warming as the sun goes down', 'slow waves against the rocks below', 'a cup of tea on the windowsill', 'the beam sweeping softly across the water', 'the keeper settling into a quilted chair'] },
  { title: 'The Moss Garden', theme: 'forest', scenes: ['a path of soft green moss', 'light through tall cedars', 'a small stream, barely a whisper', 'a stone bench warm from the day', 'the garden going quiet at dusk'] },
  { title: 'Snow on the Mountain Hut', theme: 'mountain', scenes: ['snow drifting past a small window', 'a fire crackling low', 'woollen socks drying by the hearth', 'the valley lights far below', 'the hush of snow on the roof'] },
  { title: 'The Slow Train', theme: 'travel', scenes: ['a night train leaving a quiet station', 'the rhythm of the wheels', 'fields under moonlight', 'a warm blanket in a small cabin', 'the train rocking gently on'] },
  { title: 'Drifting Among the Stars', theme: 'space', scenes: ['a quiet observatory dome opening', 'stars appearing one by one', 'a gentle float above the earth', 'the soft blue glow of the planet below', 'drifting in calm silence'] },
  { title: 'The Lavender Field', theme: 'garden', scenes: ['rows of lavender in the evening sun', 'bees humming slowly home', 'a warm breeze carrying the scent', 'a blanket spread on the grass', 'the first stars over the field'] },
];

const storyId = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

export const storyLibrary = defineTool(
  'story_library',
  'The bedtime story library: list stories by theme (sea, forest, mountain, travel, space, garden), or get one to tell, scene by scene; stories told in earlier calls are remembered so the next night brings a new one.',
  z.object({ action: z.enum(['list', 'tell']).default('tell'), theme: z.enum(['sea', 'forest', 'mountain', 'travel', 'space', 'garden']).optional(), title: z.string().max(80).optional() }),
  ({ action, theme, title }, d) => {
    const told = (kept(d.call, d.info, 'stories_told') ?? '').split(' / ').filter(Boolean);
    const pool = STORIES.filter((s) => !theme || s.theme === theme);
    if (action === 'list') return { stories: pool.map((s) => ({ title: s.title, theme: s.theme, told_before: told.includes(storyId(s.title)) })) };
    const story =
      (title && STORIES.find((s) => s.title.toLowerCase().includes(title.toLowerCase()))) ||
      pool.find((s) => !told.includes(storyId(s.title))) ||
      pool[0];
    if (!story) throw new SayableError('I have no story like that.');
    keep(d.call, 'stories_told', [...new Set([...told, storyId(story.title)])].slice(-6).join(' / '));
    return { title: story.title, scenes: story.scenes, narration: 'Tell each scene in slow, calm detail with long pauses; no suspense; let the ending fade out softly.' };
  },
);

export const sleepTimerFade = defineTool(
  'sleep_timer_fade',
  'A sleep timer that fades out: over the minutes set, the persona is told to speak more softly, slowly and sparsely, then it whispers goodnight and the call ends.',
  z.object({ minutes: z.number().int().min(2).max(90) }),
  ({ minutes }, d) => {
    const total = minutes * 60;
    const steps = [
      { at: 0.5, say: 'Sleep fade, first step: speak more softly and a little slower, with longer pauses between sentences.' },
      { at: 0.75, say: 'Sleep fade, second step: speak very softly now, in short, slow sentences, with long silences.' },
      { at: 0.9, say: 'Sleep fade, last step: almost a whisper; one or two calm sentences, then let silence hold.' },
    ];
    const cancels = steps.map((s) => d.call.after(Math.round(total * s.at), { announce: s.say }));
    cancels.push(d.call.after(total, { endCall: 'sleep_timer' }));
    const fade = d.call.state('sleep_fade', () => ({ cancel: [] as (() => void)[] }));
    for (const c of fade.cancel) c();
    fade.cancel = cancels;
    return { minutes, fade_steps_at_minutes: steps.map((s) => Math.round((minutes * s.at) * 10) / 10), ends_after_minutes: minutes };
  },
);

const MEDITATIONS = [
  { id: 'body-scan-10', title: 'Ten-minute body scan', style: 'body_scan', minutes: 10, steps: ['settle and breathe', 'feet and legs', 'hips and belly', 'chest and back', 'arms and hands', 'neck, face and head', 'the whole body at once', 'return'] },
  { id: 'breath-5', title: 'Five minutes with the breath', style: 'breath_focus', minutes: 5, steps: ['settle', 'notice the breath', 'count ten breaths', 'rest without counting', 'return'] },
  { id: 'kindness-8', title: 'Loving kindness', style: 'loving_kindness', minutes: 8, steps: ['settle', 'kind wishes to yourself', 'to someone dear', 'to someone neutral', 'to someone difficult', 'to everyone', 'return'] },
  { id: 'beach-12', title: 'The quiet beach', style: 'visualisation', minutes: 12, steps: ['settle', 'warm sand underfoot', 'the sound of waves', 'the smell of salt air', 'the sun on the skin', 'walking slowly to the water', 'return'] },
  { id: 'sleep-15', title: 'Unwinding for sleep', style: 'body_scan', minutes: 15, steps: ['lie down comfortably', 'long exhales', 'softening the face', 'heavy arms', 'heavy legs', 'drifting thoughts', 'let go'] },
  { id: 'three-minute-reset', title: 'Three-minute reset', style: 'breath_focus', minutes: 3, steps: ['notice what is here', 'gather on the breath', 'widen to the whole body'] },
  { id: 'stress-relief-7', title: 'Stress relief', style: 'breath_focus', minutes: 7, steps: ['settle', 'name the feeling', 'breathe around it', 'longer exhales', 'a kind phrase', 'return'] },
];

export const meditationLibrary = defineTool(
  'meditation_library',
  'The meditation library: list meditations (by style and the most minutes the user has), or start one: its steps with timings; the persona is told when it is over.',
  z.object({ action: z.enum(['list', 'start']).default('list'), id: z.string().max(40).optional(), style: z.enum(['body_scan', 'breath_focus', 'loving_kindness', 'visualisation']).optional(), max_minutes: z.number().int().min(1).max(60).optional() }),
  ({ action, id, style, max_minutes }, d) => {
    const fits = MEDITATIONS.filter((m) => (!style || m.style === style) && (!max_minutes || m.minutes <= max_minutes));
    if (action === 'list') return { meditations: fits.map(({ id: mid, title, style: s, minutes }) => ({ id: mid, title, style: s, minutes })) };
    const m = (id && MEDITATIONS.find((x) => x.id === id)) || fits[0];
    if (!m) throw new SayableError('No meditation in the library fits that.');
    const each = Math.floor((m.minutes * 60) / m.steps.length);
    d.call.after(m.minutes * 60, { announce: 'The meditation is over. Gently bring the user back and ask how they feel.' });
    return { title: m.title, minutes: m.minutes, steps: m.steps.map((s, i) => ({ at_seconds: i * each, guide: s })), pacing: 'speak slowly; leave long silences between steps' };
  },
);
