import { z } from 'zod';
import { JOKES, TRIVIA, WORDS } from './data/games.js';
import { SayableError, defineTool } from './types.js';

const pick = <T>(items: readonly T[], random: () => number): T => {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new SayableError('I have nothing like that right now.');
  return item;
};

export const jokeGenerator = defineTool(
  'joke_generator',
  'A clean joke on a theme (puns, tech, food, animals, science), never one already told in this call.',
  z.object({ theme: z.enum(['puns', 'tech', 'food', 'animals', 'science']).default('puns') }),
  ({ theme }, d) => {
    const told = d.call.state<Set<string>>('jokes', () => new Set());
    const fresh = JOKES.filter((j) => j.theme === theme && !told.has(j.text));
    const joke = pick(fresh.length > 0 ? fresh : JOKES.filter((j) => !told.has(j.text)), d.random);
    told.add(joke.text);
    return { joke: joke.text, note: 'Deliver it in the persona\'s own style; riff on the user\'s story if it fits.' };
  },
);

const PROMPTS = {
  settings: ['a laundromat at 3 a.m.', 'the last day of a space station', 'a dentist\'s waiting room', 'a wedding where the cake is missing', 'a job interview at a haunted castle'],
  characters: ['an overconfident tour guide', 'a nervous superhero', 'a grandmother who speed-runs video games', 'a robot learning sarcasm', 'a pirate afraid of water'],
  twists: ['everyone must speak in questions', 'one of you has a secret', 'it is all happening in slow motion', 'the power goes out', 'a celebrity walks in'],
};

export const improvPrompt = defineTool(
  'improv_prompt',
  'A random improv scene: a setting, a character for the user, one for the persona, and a twist.',
  z.object({}),
  (_a, d) => ({ setting: pick(PROMPTS.settings, d.random), user_plays: pick(PROMPTS.characters, d.random), persona_plays: pick(PROMPTS.characters, d.random), twist: pick(PROMPTS.twists, d.random) }),
);

export const triviaGame = defineTool(
  'trivia_game',
  'Video-game trivia: get the next question, or check the user\'s answer to the current one (the score is kept).',
  z.object({ answer: z.string().max(100).optional().describe('the user\'s answer to the current question') }),
  ({ answer }, d) => {
    const game = d.call.state('trivia', () => ({ asked: new Set<number>(), current: -1, score: 0, rounds: 0 }));
    let verdict: { correct: boolean; right_answer: string } | undefined;
    const cur = TRIVIA[game.current];
    if (answer !== undefined && cur) {
      const correct = cur.answers.some((a) => answer.toLowerCase().includes(a));
      if (correct) game.score += 1;
      game.rounds += 1;
      verdict = { correct, right_answer: cur.answers[0] ?? '' };
    }
    const left = TRIVIA.map((_, i) => i).filter((i) => !game.asked.has(i));
    if (left.length === 0) return { ...verdict, finished: true, score: game.score, of: game.rounds };
    game.current = pick(left, d.random);
    game.asked.add(game.current);
    return { ...verdict, next_question: TRIVIA[game.current]?.question, score: game.score, of: game.rounds };
  },
);

export const wordGame = defineTool(
  'word_game',
  'Word games: a scrambled word to guess ("anagram"), or check a guess.',
  z.object({ guess: z.string().max(40).optional() }),
  ({ guess }, d) => {
    const g = d.call.state('anagram', () => ({ word: '', solved: 0 }));
    if (guess !== undefined && g.word) {
      const ok = guess.trim().toLowerCase() === g.word;
      if (!ok) return { correct: false, hint: `starts with "${g.word[0]}", ${g.word.length} letters` };
      g.solved += 1;
    }
    g.word = pick(WORDS, d.random);
    let scrambled = g.word;
    for (let i = 0; i < 10 && scrambled === g.word; i++) scrambled = [...g.word].sort(() => d.random() - 0.5).join('');
    return { correct: guess === undefined ? undefined : true, scrambled: scrambled.toUpperCase().split('').join(' '), solved: g.solved };
  },
);

export const scoreboard = defineTool(
  'scoreboard',
  'Keep score for players in this call: add points, read the standings.',
  z.object({ player: z.string().min(1).max(40).optional(), add: z.number().int().min(-1000).max(1000).default(0) }),
  ({ player, add }, d) => {
    const board = d.call.state<Map<string, number>>('scoreboard', () => new Map());
    if (player) board.set(player, (board.get(player) ?? 0) + add);
    return { standings: [...board.entries()].sort((a, b) => b[1] - a[1]).map(([name, points]) => ({ name, points })) };
  },
);

export const diceRoller = defineTool(
  'dice_roller',
  'Roll dice in standard notation, e.g. "2d6+1" or "d20".',
  z.object({ notation: z.string().regex(/^\s*(\d{0,2})d(\d{1,3})\s*([+-]\s*\d{1,3})?\s*$/i, 'like 2d6+1') }),
  ({ notation }, d) => {
    const m = /^\s*(\d{0,2})d(\d{1,3})\s*([+-]\s*\d{1,3})?\s*$/i.exec(notation);
    const count = Math.max(1, Number(m?.[1] || 1));
    const sides = Number(m?.[2]);
    if (sides < 2 || count > 20) throw new SayableError('I can roll up to 20 dice with at least two sides.');
    const rolls = Array.from({ length: count }, () => 1 + Math.floor(d.random() * sides));
    const modifier = Number((m?.[3] ?? '0').replace(/\s/g, ''));
    return { rolls, modifier, total: rolls.reduce((a, b) => a + b, 0) + modifier };
  },
);

export const storyState = defineTool(
  'story_state',
  'Remember the adventure: set the scene, location, goal and facts; read them back to keep the plot coherent.',
  z.object({ location: z.string().max(120).optional(), goal: z.string().max(200).optional(), add_facts: z.array(z.string().max(200)).max(10).default([]), chapter: z.number().int().min(1).max(100).optional() }),
  (args, d) => {
    const s = d.call.state('story', () => ({ location: '', goal: '', facts: [] as string[], chapter: 1 }));
    if (args.location) s.location = args.location;
    if (args.goal) s.goal = args.goal;
    if (args.chapter) s.chapter = args.chapter;
    s.facts.push(...args.add_facts);
    return { ...s, facts: s.facts.slice(-20) };
  },
);

export const inventory = defineTool(
  'inventory',
  'The hero\'s inventory in the adventure: add, use up or list items.',
  z.object({ add: z.array(z.string().min(1).max(60)).max(10).default([]), remove: z.array(z.string().min(1).max(60)).max(10).default([]) }),
  ({ add, remove }, d) => {
    const items = d.call.state<Map<string, number>>('inventory', () => new Map());
    for (const i of add) items.set(i.toLowerCase(), (items.get(i.toLowerCase()) ?? 0) + 1);
    const missing: string[] = [];
    for (const i of remove) {
      const n = items.get(i.toLowerCase()) ?? 0;
      if (n === 0) missing.push(i);
      else if (n === 1) items.delete(i.toLowerCase());
      else items.set(i.toLowerCase(), n - 1);
    }
    return { items: Object.fromEntries(items), not_carried: missing };
  },
);
