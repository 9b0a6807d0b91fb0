import { loadConfig } from '../config.js';
import { migratedTemplate } from '../db/pglite-data-dir.js';

/**
 * `npm run db:template` (run by `npm install` and `npm run build`): makes the migrated PGlite
 * template a new data directory is copied from, so the first `npm start` skips initdb and
 * the migrations. Nothing to do when the template for these migrations exists.
 */
Promise.resolve()
  .then(() => migratedTemplate(loadConfig().MINDBOT_PGLITE_TEMPLATES))
  .then(
  (dir) => console.log(`PGlite template ready: ${dir}`),
  (err: unknown) => {
    // Not fatal: a first start then initialises its directory itself, as it would without one.
    console.warn(`PGlite template not made (${(err as Error).message}); a first start will initialise its own directory.`);
  },
);
