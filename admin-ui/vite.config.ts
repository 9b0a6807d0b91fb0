import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));

/** Writes .br and .gz beside each text asset, so the server sends them without compressing per request. */
function precompress(): Plugin {
  return {
    name: 'mindbot-precompress',
    apply: 'build',
    async closeBundle() {
      const dist = path.join(root, 'dist');
      const files = await readdir(dist, { recursive: true });
      for (const f of files) {
        if (!/\.(js|css|html|svg|json)$/.test(f)) continue;
        const full = path.join(dist, f);
        const body = await readFile(full);
        await writeFile(`${full}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        await writeFile(`${full}.gz`, gzipSync(body, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root,
  plugins: [react(), precompress()],
  build: { outDir: path.join(root, 'dist'), emptyOutDir: true, assetsDir: 'assets', sourcemap: false },
  logLevel: 'warn',
});
