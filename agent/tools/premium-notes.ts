import { z } from 'zod';
import { RECIPES } from './data/recipes.js';
import { progressOf } from './premium.js';
import { SayableError, defineTool } from './types.js';

/**
 * Premium features that keep something for the user: a list or notes made in the call.
 * Notes go into the call's memory summary (when the user opted in to memory).
 */
const notesOf = (call: { state<T>(key: string, init: () => T): T }) => progressOf(call).covered;

export const shoppingList = defineTool(
  'shopping_list',
  'The user\'s shopping list for this call: add items (or every ingredient of a recipe from the recipe book), remove items, read it back by aisle.',
  z.object({ add: z.array(z.string().min(1).max(60)).max(30).default([]), remove: z.array(z.string().min(1).max(60)).max(30).default([]), recipe: z.string().max(60).optional() }),
  ({ add, remove, recipe }, d) => {
    const list = d.call.state<Set<string>>('shopping', () => new Set());
    if (recipe) {
      const r = RECIPES.find((x) => x.name.toLowerCase().includes(recipe.toLowerCase()));
      if (!r) throw new SayableError(`${recipe} is not in the recipe book.`);
      for (const i of r.ingredients) list.add(i);
    }
    for (const i of add) list.add(i.toLowerCase());
    for (const i of remove) list.delete(i.toLowerCase());
    return { items: [...list].sort() };
  },
);

export const mealPlanner = defineTool(
  'meal_planner',
  'Plan dinners for the next days from the recipe book, avoiding the user\'s allergies or dislikes, with dates.',
  z.object({ days: z.number().int().min(1).max(14).default(5), avoid: z.array(z.string().min(1).max(40)).max(10).default([]), max_minutes: z.number().int().min(10).max(240).default(60) }),
  ({ days, avoid, max_minutes }, d) => {
    const bad = avoid.map((a) => a.toLowerCase());
    const pool = RECIPES.filter((r) => r.minutes <= max_minutes && !r.ingredients.some((i) => bad.some((b) => i.includes(b))));
    if (pool.length === 0) throw new SayableError('Nothing in the recipe book fits those limits.');
    const start = d.now().getTime();
    return {
      plan: Array.from({ length: days }, (_, i) => {
        const r = pool[i % pool.length]!;
        return { date: new Date(start + (i + 1) * 86_400_000).toISOString().slice(0, 10), dinner: r.name, minutes: r.minutes };
      }),
    };
  },
);

export const moodJournal = defineTool(
  'mood_journal',
  'Record how the user feels (1–5 and a few words), to look back on in later calls.',
  z.object({ mood: z.number().int().min(1).max(5), words: z.string().max(120).default('') }),
  ({ mood, words }, d) => {
    notesOf(d.call).push(`mood ${mood}/5${words ? ` (${words})` : ''}`);
    return { recorded: true, earlier: d.info.persona.memory ?? 'no earlier entries' };
  },
);

export const sessionNotes = defineTool(
  'session_notes',
  'Keep a note of something worth remembering from this call (a decision, a finding, a next step).',
  z.object({ note: z.string().min(1).max(200) }),
  ({ note }, d) => {
    const notes = notesOf(d.call);
    notes.push(note);
    return { notes };
  },
);

export const bugJournal = defineTool(
  'bug_journal',
  'Log a bug worked on in this call: symptom, cause found (if any) and fix, for later calls.',
  z.object({ symptom: z.string().min(1).max(160), cause: z.string().max(160).optional(), fix: z.string().max(160).optional() }),
  ({ symptom, cause, fix }, d) => {
    notesOf(d.call).push(`bug: ${symptom}${cause ? `; cause: ${cause}` : ''}${fix ? `; fix: ${fix}` : ''}`);
    return { logged: true, earlier: d.info.persona.memory ?? 'no earlier bugs recorded' };
  },
);
