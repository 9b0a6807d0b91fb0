import { existsSync } from 'node:fs';

/**
 * Reads `.env` (or the given file) into process.env when it exists, before the
 * configuration is validated. A variable already set in the real environment wins
 * over the file's line for it. Returns whether a file was read.
 */
export function loadEnvFileIfPresent(file = '.env'): boolean {
  if (!existsSync(file)) return false;
  process.loadEnvFile(file);
  return true;
}
