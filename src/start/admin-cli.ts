import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { loadEnvFileIfPresent } from '../env-file.js';
import { migrate } from '../db/migrate.js';
import { openDatabase } from '../db/open.js';
import { AppError } from '../http/errors.js';
import { generatedPassword } from '../services/auth/admins.js';
import { findUserByEmail } from '../services/auth/users.js';
import { ensureFirstAdmin } from './first-admin.js';

const USAGE = 'usage: npm run admin -- create --email <email> [--password <password>] [--name <full name>]';

/** `npm run admin -- create --email … [--password …]`: makes (or promotes) an administrator. */
async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
  });
  if (positionals[0] !== 'create' || !values.email) {
    console.error(USAGE);
    return 2;
  }
  loadEnvFileIfPresent();
  const config = loadConfig();
  const db = await openDatabase(config);
  try {
    await migrate(db);
    const exists = (await findUserByEmail(db, values.email)) !== undefined;
    const password = values.password ?? (exists ? undefined : generatedPassword());
    const outcome = await ensureFirstAdmin(db, { email: values.email, password, fullName: values.name, now: new Date(), reason: 'npm run admin -- create' });
    if (outcome === 'created') {
      console.log(`Created administrator ${values.email}.`);
      if (!values.password) console.log(`Password (shown once): ${password}`);
    } else if (outcome === 'promoted') {
      console.log(`${values.email} is now an administrator (password unchanged).`);
    } else {
      console.log(`${values.email} already is an administrator.`);
    }
    return 0;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof AppError) console.error(err.message);
    else console.error('admin command failed:', err);
    process.exit(1);
  },
);
