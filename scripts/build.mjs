// Bundles src/entries/{main,post}.ts into dist/ as ESM for node24. Chunks shared by both
// entries, and the lazily imported PR-comment code, go to dist/chunks/.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(resolve(root, 'dist'), { recursive: true, force: true });

/**
 * Start-up cost (every run pays it). Our copy of @actions/http-client imports all of npm undici
 * (~400 KB) for one ProxyAgent that only getAgentDispatcher() builds, for fetch-based clients;
 * the action never calls it (its requests, proxied ones too, go through http/https agents and
 * `tunnel`). So that import is cut out. Also, its `import * as http` makes Node 24 run node:http's
 * lazy WebSocket getters (Node's own undici); a require() does not.
 * @actions/github keeps its own copy (with undici) in the PR-comment chunk, loaded only when used.
 */
const lazyHttpClientDeps = {
  name: 'lazy-http-client-deps',
  setup(b) {
    // Our own copy only: @actions/github's nested one sits in the lazily loaded PR-comment chunk.
    const ours = resolve(root, 'node_modules/@actions/http-client/lib/index.js');
    b.onLoad({ filter: /[\\/]@actions[\\/]http-client[\\/]lib[\\/]index\.js$/ }, (args) => {
      if (args.path !== ours) return undefined;
      const source = readFileSync(args.path, 'utf8');
      const edits = [
        ["import * as http from 'http';", "const http = require('node:http');"],
        ["import * as https from 'https';", "const https = require('node:https');"],
        ["import { ProxyAgent } from 'undici';", ''],
        ['new ProxyAgent(', "new (class { constructor() { throw new Error('getAgentDispatcher() is not available in this bundle'); } })("],
      ];
      let contents = source;
      for (const [from, to] of edits) {
        if (!contents.includes(from)) throw new Error(`${args.path}: expected \`${from}\` (did @actions/http-client change?)`);
        contents = contents.split(from).join(to);
      }
      return { contents, loader: 'js' };
    });
  },
};

const result = await build({
  plugins: [lazyHttpClientDeps],
  absWorkingDir: root,
  entryPoints: { main: 'src/entries/main.ts', post: 'src/entries/post.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  minify: true,
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
  // CommonJS dependencies (undici, tunnel) call require(); give ESM one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});

for (const [file, info] of Object.entries(result.metafile.outputs)) {
  if (file.endsWith('.mjs')) console.log(`${file.padEnd(40)} ${(info.bytes / 1024).toFixed(1).padStart(8)} KB`);
}
