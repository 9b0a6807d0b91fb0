import { randomBytes } from 'node:crypto';
import type { Platform } from '../src/platform.js';
import { grantSeconds } from '../src/services/time/ledger.js';

export interface BenchUser {
  id: string;
  authorization: string;
}

/** Users with a signed token and `cards` time cards of plenty of seconds each. */
export async function seedUsers(platform: Platform, count: number, cards = 2): Promise<BenchUser[]> {
  const users: BenchUser[] = [];
  const now = platform.clock.now();
  for (let i = 0; i < count; i++) {
    const id = `usr_bench_${randomBytes(6).toString('hex')}`;
    const email = `${id}@bench.example`;
    await platform.db.query(
      `INSERT INTO users (id, email, full_name, password_hash) VALUES ($1, $2, 'Bench User', 'not-a-usable-hash')`,
      [id, email],
    );
    for (let c = 0; c < cards; c++) {
      await platform.db.transaction((tx) =>
        grantSeconds(tx, { userId: id, seconds: 10_000_000, kind: 'admin_grant', expiresAt: new Date(now.getTime() + (30 + c) * 86_400_000), reference: `${id}-${c}`, now }),
      );
    }
    const token = await platform.accessTokens.sign({ sub: id, email, role: 'user' });
    users.push({ id, authorization: `Bearer ${token}` });
  }
  return users;
}
