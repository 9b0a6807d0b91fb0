import type { BenchCase } from '../lib.js';

/**
 * GET /personas (anonymous catalogue list, varied filters and sorts) vs a bare Fastify route
 * that returns the same list already in memory: the endpoint should cost at most twice that.
 */
const QUERIES = [
  '/personas',
  '/personas?sort_by=rating&limit=50',
  '/personas?category=education&sort_by=popular',
  '/personas?ad_supported=true&sort_by=cost&user_tier=free',
  '/personas?category=technical&sort_by=name&limit=5',
];

const personasList: BenchCase = {
  name: 'GET /personas vs a bare JSON route with the same list',
  target: { throughputRatio: 0.5, p99Ratio: 2 },
  async setup({ app, baseline }) {
    const res = await app.inject({ method: 'GET', url: '/personas?limit=100' });
    if (res.statusCode !== 200) throw new Error(`GET /personas answered ${res.statusCode}`);
    const list = res.json();
    baseline.get('/baseline/personas', async () => list);
    let next = 0;
    return {
      target: { requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: QUERIES[next++ % QUERIES.length]! }) }] },
      baseline: { requests: [{ method: 'GET', path: '/baseline/personas' }] },
    };
  },
};
export default personasList;
