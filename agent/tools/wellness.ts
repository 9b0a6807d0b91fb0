import { z } from 'zod';
import { defineTool } from './types.js';

const PATTERNS = {
  box: { inhale: 4, hold: 4, exhale: 4, rest: 4 },
  '4-7-8': { inhale: 4, hold: 7, exhale: 8, rest: 0 },
  calm: { inhale: 4, hold: 0, exhale: 6, rest: 0 },
} as const;

export const breathingTimer = defineTool(
  'breathing_timer',
  'Pace a breathing exercise: returns the count for each phase and the total time; the persona is told when the cycles are done.',
  z.object({ pattern: z.enum(['box', '4-7-8', 'calm']).default('box'), cycles: z.number().int().min(1).max(20).default(4) }),
  ({ pattern, cycles }, d) => {
    const p = PATTERNS[pattern];
    const cycleSeconds = p.inhale + p.hold + p.exhale + p.rest;
    d.call.after(cycleSeconds * cycles, { announce: 'The breathing exercise is complete. Gently bring the user back and ask how they feel.' });
    const script = [`breathe in for ${p.inhale}`, p.hold > 0 ? `hold for ${p.hold}` : null, `breathe out for ${p.exhale}`, p.rest > 0 ? `rest for ${p.rest}` : null].filter(Boolean);
    return { pattern, cycles, seconds_per_cycle: cycleSeconds, total_seconds: cycleSeconds * cycles, say_each_cycle: script };
  },
);

export const guidedMeditation = defineTool(
  'guided_meditation',
  'Plan a guided meditation of a given length and style: the segments to speak, each with its duration.',
  z.object({ minutes: z.number().int().min(1).max(30).default(5), style: z.enum(['body_scan', 'breath_focus', 'loving_kindness', 'visualisation']).default('breath_focus') }),
  ({ minutes, style }) => {
    const total = minutes * 60;
    const settle = Math.min(60, Math.round(total * 0.15));
    const close = Math.min(60, Math.round(total * 0.15));
    const core = {
      body_scan: 'Move attention slowly from the feet to the head, one area at a time.',
      breath_focus: 'Rest attention on the breath; when the mind wanders, gently return.',
      loving_kindness: 'Offer kind wishes to yourself, someone dear, someone neutral, everyone.',
      visualisation: 'Walk through a calm, detailed place, one sense at a time.',
    }[style];
    return { segments: [{ seconds: settle, guide: 'Settle: posture, three slow breaths.' }, { seconds: total - settle - close, guide: core }, { seconds: close, guide: 'Return: notice the room, wiggle fingers, open the eyes.' }], pauses: 'leave long silences between sentences' };
  },
);

export const ambientSounds = defineTool(
  'ambient_sounds',
  'Describe a calming soundscape to set the scene in words (rain, ocean, forest, fireplace); this call plays no recorded sound.',
  z.object({ scene: z.enum(['rain', 'ocean', 'forest', 'fireplace']) }),
  ({ scene }) => ({
    scene,
    plays_audio: false,
    describe: {
      rain: 'soft rain on a window, a distant roll of thunder, water running in the gutter',
      ocean: 'slow waves folding onto sand, the hiss as they pull back, a gull far off',
      forest: 'wind in tall pines, a creek over stones, birdsong now and then',
      fireplace: 'logs crackling, a gentle pop, the low hum of warmth',
    }[scene],
  }),
);

export const workoutTimer = defineTool(
  'workout_timer',
  'Interval timer for a workout: work and rest seconds for a number of rounds; the persona is told when it is over.',
  z.object({ work_seconds: z.number().int().min(5).max(600), rest_seconds: z.number().int().min(0).max(600), rounds: z.number().int().min(1).max(30) }),
  ({ work_seconds, rest_seconds, rounds }, d) => {
    const total = rounds * work_seconds + (rounds - 1) * rest_seconds;
    d.call.after(total, { announce: 'The interval workout is finished. Congratulate the user and suggest a cool-down stretch.' });
    return { total_seconds: total, rounds, work_seconds, rest_seconds };
  },
);

export const repCounter = defineTool(
  'rep_counter',
  'Count repetitions per exercise during the workout: add reps, read totals.',
  z.object({ exercise: z.string().min(1).max(60), add_reps: z.number().int().min(0).max(500).default(0) }),
  ({ exercise, add_reps }, d) => {
    const reps = d.call.state<Map<string, number>>('reps', () => new Map());
    const key = exercise.toLowerCase();
    reps.set(key, (reps.get(key) ?? 0) + add_reps);
    return { exercise, total: reps.get(key), all: Object.fromEntries(reps) };
  },
);

export const createWorkoutPlan = defineTool(
  'create_workout_plan',
  'Build a bodyweight workout for the user\'s level, time and any injuries to avoid.',
  z.object({ level: z.enum(['beginner', 'intermediate', 'advanced']).default('beginner'), minutes: z.number().int().min(5).max(90).default(20), avoid: z.array(z.enum(['knees', 'wrists', 'back', 'shoulders'])).default([]) }),
  ({ level, minutes, avoid }) => {
    const all = [
      { name: 'squats', strains: ['knees'] }, { name: 'glute bridges', strains: [] }, { name: 'push-ups', strains: ['wrists', 'shoulders'] },
      { name: 'wall push-ups', strains: [] }, { name: 'plank', strains: ['wrists', 'back'] }, { name: 'dead bugs', strains: [] },
      { name: 'lunges', strains: ['knees'] }, { name: 'bird dogs', strains: [] }, { name: 'marching in place', strains: [] },
    ];
    const pool = all.filter((e) => !e.strains.some((s) => (avoid as string[]).includes(s))).map((e) => e.name);
    const reps = { beginner: 8, intermediate: 12, advanced: 15 }[level];
    const rounds = Math.max(1, Math.floor((minutes - 6) / 6));
    return { warm_up: '3 minutes of marching and arm circles', circuit: pool.slice(0, 5).map((name) => ({ name, reps })), rounds, cool_down: '3 minutes of gentle stretching', stop_if: 'anything hurts' };
  },
);

export const sleepTimer = defineTool(
  'sleep_timer',
  'End the call gently after the given minutes so the user can fall asleep (the persona says a soft goodnight).',
  z.object({ minutes: z.number().int().min(1).max(120) }),
  ({ minutes }, d) => {
    d.call.after(minutes * 60, { endCall: 'sleep_timer' });
    return { ends_in_minutes: minutes };
  },
);
