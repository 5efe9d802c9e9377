// Bundles src/entries/{main,post}.ts into dist/ as ESM for node24. Chunks shared by both
// entries, the network halves (imported after the inputs pass) and the PR-comment code go to
// dist/chunks/.
//
//   node scripts/build.mjs [--metafile FILE]   (FILE: esbuild's metafile, for tests of what loads what)
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { resolve, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NOTICES_FILE, thirdPartyNotices } from './third-party-notices.mjs';

const { values: options } = parseArgs({ options: { metafile: { type: 'string' } } });
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(resolve(root, 'dist'), { recursive: true, force: true });

const CORE_LIB = dirname(fileURLToPath(import.meta.resolve('@actions/core')));
const HTTP_CLIENT = fileURLToPath(import.meta.resolve('@actions/http-client'));
const shim = (name) => resolve(root, 'scripts/shims', name);

/**
 * Start-up cost: every run pays it, and most runs that fail, fail on their inputs. Libraries
 * load at start what they use later; these import redirections (no library text is changed)
 * put small modules of ours in their place, each loading the real one on first use:
 * - @actions/core's ./oidc-utils.js (for core.getIDToken; it loads @actions/http-client, so
 *   http, https and tls, tunnel and npm undici): scripts/shims/core-oidc-client.mjs;
 * - `crypto` in @actions/core's file-command.js (randomUUID for multi-line file commands):
 *   scripts/shims/core-crypto.mjs;
 * - `undici` in our @actions/http-client (a ProxyAgent only getAgentDispatcher() builds, and
 *   nothing that imports it calls that; checked below): scripts/shims/undici.cjs, without
 *   undici. @actions/github keeps its own http-client and undici, loaded with the PR comment;
 * - `fs` in @actions/core's file-command.js and summary.js (an ESM import of `fs` loads the
 *   promise API, streams and readline): scripts/shims/core-fs.mjs;
 * - `@actions/exec` in @actions/core's platform.js (it loads @actions/io, which reads
 *   fs.promises at its top level): scripts/shims/core-exec.mjs;
 * - `http`, `fs` and `crypto` (with or without `node:`), for every other importer: an ESM import
 *   of a builtin reads all its exports, and their lazy getters load node's internal undici
 *   (http), fs/promises, readline and streams (fs), WebCrypto (crypto):
 *   scripts/shims/node-{http,fs,crypto}.cjs, the same module objects.
 */
const REDIRECTS = [
  { importer: join(CORE_LIB, 'core.js'), id: './oidc-utils.js', to: shim('core-oidc-client.mjs'), uses: [/\bOidcClient\.(\w+)/g, ['getIDToken']] },
  { importer: join(CORE_LIB, 'file-command.js'), id: 'crypto', to: shim('core-crypto.mjs'), uses: [/\bcrypto\.(\w+)/g, ['randomUUID']] },
  { importer: HTTP_CLIENT, id: 'undici', to: shim('undici.cjs'), uses: [/\bimport \{ (.+?) \} from 'undici'/g, ['ProxyAgent']] },
  { importer: join(CORE_LIB, 'file-command.js'), id: 'fs', to: shim('core-fs.mjs'), uses: [/\bfs\.(\w+)/g, ['existsSync', 'appendFileSync']] },
  { importer: join(CORE_LIB, 'platform.js'), id: '@actions/exec', to: shim('core-exec.mjs'), uses: [/\bexec\.(\w+)/g, ['getExecOutput']] },
  {
    importer: join(CORE_LIB, 'summary.js'),
    id: 'fs',
    to: shim('core-fs.mjs'),
    uses: [/(?:import \{ (.+?) \} from 'fs'|const \{ (.+?) \} = promises)/g, ['constants, promises', 'access, appendFile, writeFile']],
  },
];

const deferStartupWork = {
  name: 'defer-start-up-work',
  setup(b) {
    // A shim serves only what the importer uses today: fail the build if a new version uses more.
    for (const {
      importer,
      uses: [pattern, allowed],
    } of REDIRECTS) {
      const used = [...readFileSync(importer, 'utf8').matchAll(pattern)].map((m) => m[1] ?? m[2]);
      const unknown = used.filter((u) => !allowed.includes(u));
      if (!used.length || unknown.length) throw new Error(`${importer}: uses ${JSON.stringify(used)}, the shim serves ${JSON.stringify(allowed)} (did the package change?)`);
    }
    b.onResolve({ filter: /^(\.\/oidc-utils\.js|crypto|undici|fs|@actions\/exec)$/ }, (args) => {
      const hit = REDIRECTS.find((r) => r.importer === args.importer && r.id === args.path);
      return hit ? { path: hit.to } : undefined;
    });
    b.onResolve({ filter: /^(node:)?(http|fs|crypto)$/ }, (args) => ({ path: shim(`node-${args.path.replace(/^node:/, '')}.cjs`) }));
    // The oidc shim's own import of the real module (not in @actions/core's package exports).
    b.onResolve({ filter: /^@actions\/core\/lib\/oidc-utils\.js$/ }, () => ({ path: join(CORE_LIB, 'oidc-utils.js') }));
  },
};

const REQUIRE_BANNER = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";
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
  banner: { js: REQUIRE_BANNER },
});
// e.g. a shim missing a member that a library reads through `import * as`.
if (result.warnings.length) {
  console.error(`build: ${result.warnings.length} warning(s), treated as errors`);
  process.exit(1);
}
// Fails the build when a bundled package has no license it can name.
writeFileSync(resolve(root, NOTICES_FILE), thirdPartyNotices(result.metafile, root));
if (options.metafile) {
  mkdirSync(dirname(resolve(options.metafile)), { recursive: true });
  writeFileSync(resolve(options.metafile), JSON.stringify(result.metafile));
}

// The undici shim has no ProxyAgent: fail if a module importing our http-client asks for one.
const httpClient = relative(root, HTTP_CLIENT);
for (const [input, { imports }] of Object.entries(result.metafile.inputs)) {
  if (imports.some((i) => i.path === httpClient) && readFileSync(resolve(root, input), 'utf8').includes('getAgentDispatcher')) {
    console.error(`build: ${input} calls getAgentDispatcher(), which needs undici: bundle it for @actions/http-client (scripts/shims/undici.cjs)`);
    process.exit(1);
  }
}

// The @actions/exec shim has no exec: fail if our code asks @actions/core for platform details.
for (const input of Object.keys(result.metafile.inputs)) {
  if (input.startsWith('src/') && readFileSync(resolve(root, input), 'utf8').includes('getDetails')) {
    console.error(`build: ${input} calls core.platform.getDetails(), which needs @actions/exec: bundle it for @actions/core (scripts/shims/core-exec.mjs)`);
    process.exit(1);
  }
}

// Only the chunk of esbuild's __require helper names `require`: every other chunk drops the banner,
// which would import node:module and make a require function each time one loads.
for (const file of Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.mjs'))) {
  const text = readFileSync(resolve(root, file), 'utf8');
  if (!text.startsWith(`${REQUIRE_BANNER}\n`)) {
    console.error(`build: ${file} does not start with the require banner`);
    process.exit(1);
  }
  const code = text.slice(REQUIRE_BANNER.length + 1);
  if (!/\brequire\b/.test(code)) writeFileSync(resolve(root, file), code);
}

for (const file of Object.keys(result.metafile.outputs)) {
  if (file.endsWith('.mjs')) console.log(`${file.padEnd(40)} ${(statSync(resolve(root, file)).size / 1024).toFixed(1).padStart(8)} KB`);
}
