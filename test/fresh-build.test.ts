import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileServer, ensureFresh, fingerprint } from '../scripts/fresh-build.mjs';

// `npm start` in development runs the sources as they are: what changed is built first, once.
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
const tempRoot = async () => {
  const d = await mkdtemp(path.join(os.tmpdir(), 'mindbot-fresh-'));
  dirs.push(d);
  return d;
};

describe('the development builds of npm start', () => {
  it('build when an input changed or the output is gone, once however many processes start together', async () => {
    const root = await tempRoot();
    await mkdir(path.join(root, 'in'));
    await writeFile(path.join(root, 'in/a.txt'), 'one');
    let builds = 0;
    const fresh = () =>
      ensureFresh({
        key: fingerprint(root, ['in']),
        output: path.join(root, 'out.txt'),
        stamp: path.join(root, 'cache/stamp'),
        lock: path.join(root, 'cache/lock'),
        build: async () => {
          builds++;
          await new Promise((r) => setTimeout(r, 100));
          await writeFile(path.join(root, 'out.txt'), await readFile(path.join(root, 'in/a.txt')));
        },
      });
    expect(await Promise.all([fresh(), fresh(), fresh()])).toEqual(expect.arrayContaining([true, false, false]));
    expect(builds).toBe(1);
    expect(await fresh()).toBe(false);

    await writeFile(path.join(root, 'in/a.txt'), 'two!');
    expect(await fresh()).toBe(true);
    expect(await readFile(path.join(root, 'out.txt'), 'utf8')).toBe('two!');
    // Same size, another time: still a change.
    await writeFile(path.join(root, 'in/a.txt'), 'six!');
    await utimes(path.join(root, 'in/a.txt'), new Date(), new Date(Date.now() + 5000));
    expect(await fresh()).toBe(true);
    await rm(path.join(root, 'out.txt'));
    expect(await fresh()).toBe(true);
    expect(builds).toBe(4);
  });

  it('compile the server module by module, JSON beside it, so that plain node runs the result', async () => {
    const root = await tempRoot();
    await mkdir(path.join(root, 'src/lib'), { recursive: true });
    await writeFile(path.join(root, 'src/main.ts'), `import { greet } from './lib/greet.js';\nconsole.log(greet('Ada'));\n`);
    await writeFile(path.join(root, 'src/lib/greet.ts'), `import data from './data.json' with { type: 'json' };\nexport const greet = (name: string): string => \`\${data.hello}, \${name}\`;\n`);
    await writeFile(path.join(root, 'src/lib/data.json'), '{ "hello": "Hello" }');
    await writeFile(path.join(root, 'src/lib/greet.test.ts'), 'this is not compiled');
    await writeFile(path.join(root, 'package.json'), '{ "type": "module" }');
    const out = path.join(root, '.start');
    await compileServer(root, out);
    expect(execFileSync(process.execPath, [path.join(out, 'main.js')], { encoding: 'utf8' })).toBe('Hello, Ada\n');
    await expect(readFile(path.join(out, 'lib/greet.test.js'))).rejects.toThrow();
  });
});
