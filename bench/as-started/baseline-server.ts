import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';

/**
 * The baseline of `npm run bench -- --as-started`: a bare Fastify process (no plugins, no
 * logging) doing the least work the measured endpoints could do, on the same kind of
 * database: one primary-key SELECT, and `{hello: 'world'}`; and, for reference, a given JSON
 * body sent as it is (what its size alone costs).
 * argv: <port> <postgres url | "pglite"> <user ids, comma-separated> <JSON body file>
 */
const [port, database, ids, bodyFile] = process.argv.slice(2) as [string, string, string, string];
const body = readFileSync(bodyFile, 'utf8');
let select: (id: string) => Promise<unknown>;
if (database === 'pglite') {
  // PGlite is one process's: the baseline has its own, holding the same rows.
  const db = await PGlite.create();
  await db.exec('CREATE TABLE users (id text PRIMARY KEY, email text NOT NULL)');
  for (const id of ids.split(',')) await db.query('INSERT INTO users VALUES ($1, $2)', [id, `${id}@bench.example`]);
  select = async (id) => (await db.query('SELECT id, email FROM users WHERE id = $1', [id])).rows[0];
} else {
  const pool = new pg.Pool({ connectionString: database, max: 10 });
  select = async (id) => (await pool.query({ name: 'pk', text: 'SELECT id, email FROM users WHERE id = $1', values: [id] })).rows[0];
}
const app = Fastify({ logger: false });
app.get('/baseline/user/:id', async (request) => select((request.params as { id: string }).id));
app.get('/baseline/hello', async () => ({ hello: 'world' }));
app.get('/baseline/body', (_request, reply) => {
  reply.type('application/json; charset=utf-8').send(body);
});
await app.listen({ port: Number(port), host: '127.0.0.1' });
process.stdout.write('ready\n');
