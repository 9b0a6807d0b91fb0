import type { BenchCase } from '../lib.js';
import { seedUsers } from '../seed.js';

/** GET /time/balance vs a bare route doing one primary-key SELECT. */
const timeBalance: BenchCase = {
  name: 'GET /time/balance vs SELECT by primary key',
  target: { throughputRatio: 0.7, p99Ratio: 2 },
  async setup({ platform, baseline }) {
    const users = await seedUsers(platform, 20);
    let next = 0;
    baseline.get('/baseline/user/:id', async (request) => {
      const rows = await platform.db.query(`SELECT id, email FROM users WHERE id = $1`, [(request.params as { id: string }).id]);
      return rows[0];
    });
    return {
      target: {
        requests: [{ method: 'GET', path: '/time/balance', setupRequest: (req) => ({ ...req, headers: { authorization: users[next++ % users.length]!.authorization } }) }],
      },
      baseline: {
        requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/baseline/user/${users[next++ % users.length]!.id}` }) }],
      },
    };
  },
};
export default timeBalance;
