import { migrate } from './migrate.js';
import { openPglite, wrapPglite } from './pglite.js';

/**
 * Creates and migrates a new PGlite data directory, then exits: run as a short-lived child
 * (src/db/open.ts). Initialising a cluster grows WebAssembly memory to several hundred MB,
 * and WebAssembly memory never shrinks; the serving process opens the finished directory.
 */
const dir = process.argv[2];
if (!dir) throw new Error('usage: pglite-init <data dir>');
const db = wrapPglite(await openPglite(dir));
await migrate(db);
await db.close();
