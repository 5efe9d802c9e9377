// Bundles src/entries/{main,post}.ts into dist/ as ESM for node24. Chunks shared by both
// entries, and the lazily imported PR-comment code, go to dist/chunks/.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(resolve(root, 'dist'), { recursive: true, force: true });

/** A stand-in for `import * as name from 'mod'` that requires the module on first use. */
const lazyNamespace = (name, mod) =>
  `let ${name}$loaded; const ${name} = new Proxy({}, { get: (_, key) => (${name}$loaded ??= require('${mod}'))[key] });`;

/**
 * Start-up cost: every run pays it, and most runs that fail, fail on their inputs. These edits
 * defer work to its first use and change no behaviour:
 * - our @actions/http-client imports all of npm undici (~400 KB) for one ProxyAgent that only
 *   getAgentDispatcher() builds (for fetch-based clients); the action never calls it, so it is
 *   cut out (@actions/github keeps its own copy, in the PR-comment chunk loaded only when used);
 * - http, https and `tunnel` (with the tls stack) load on the first request or proxy;
 * - @actions/core loads crypto only when it writes a multi-line file command.
 */
const DEFERRED = {
  'node_modules/@actions/http-client/lib/index.js': [
    ["import * as http from 'http';", lazyNamespace('http', 'node:http')],
    ["import * as https from 'https';", lazyNamespace('https', 'node:https')],
    ["import * as tunnel from 'tunnel';", lazyNamespace('tunnel', 'tunnel')],
    ["import { ProxyAgent } from 'undici';", ''],
    ['new ProxyAgent(', "new (class { constructor() { throw new Error('getAgentDispatcher() is not available in this bundle'); } })("],
  ],
  'node_modules/@actions/core/lib/file-command.js': [["import * as crypto from 'crypto';", lazyNamespace('crypto', 'node:crypto')]],
};

const deferStartupWork = {
  name: 'defer-start-up-work',
  setup(b) {
    const files = new Map(Object.entries(DEFERRED).map(([file, edits]) => [resolve(root, file), edits]));
    b.onLoad({ filter: /[\\/]@actions[\\/]/ }, (args) => {
      const edits = files.get(args.path);
      if (!edits) return undefined; // e.g. @actions/github's nested copies, in the lazy chunk
      let contents = readFileSync(args.path, 'utf8');
      for (const [from, to] of edits) {
        if (!contents.includes(from)) throw new Error(`${args.path}: expected \`${from}\` (did the package change?)`);
        contents = contents.split(from).join(to);
      }
      return { contents, loader: 'js' };
    });
  },
};

const result = await build({
  plugins: [deferStartupWork],
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
