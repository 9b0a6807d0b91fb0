import { RecentChanges } from '../db/noticed-cache.js';

/**
 * Signed-in users with a request to change something (any method but GET and HEAD) at this
 * process in the last 30 s, marked by the signed-in scope before the handler runs. Caches of
 * what a user reads back about themselves (their balance) read the database for them
 * meanwhile, so an answer that follows a change they made shows it, even before the change's
 * notice arrives.
 */
export const userWrites = new RecentChanges(30_000);

const READS = new Set(['GET', 'HEAD']);
export const changesState = (method: string): boolean => !READS.has(method);
