// vitest globalSetup: the e2e and runner tests run dist/, so every test run builds it first from
// the current src/ (about 0.4 s). The build is deterministic: CI's check that dist/ matches a fresh
// build still holds afterwards.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** esbuild's metafile of that build: which source modules each dist/ file holds. */
export const METAFILE = `${ROOT}.tmp/build/metafile.json`;

export default function buildDist(): void {
  try {
    execFileSync(process.execPath, ['scripts/build.mjs', '--metafile', METAFILE], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`npm run build failed before the tests:\n${String(stdout)}${String(stderr)}`, { cause: error });
  }
}
