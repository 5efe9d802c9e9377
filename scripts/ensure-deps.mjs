// Runs `npm ci` when the dependencies are not installed, so `npm test` and `npm run demo`
// each work as the one command after a fresh clone. A no-op when node_modules is in place.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const needed = ['vitest', 'esbuild', 'jose', '@actions/core', 'js-yaml', 'ajv'];
const missing = needed.filter((name) => !existsSync(join(root, 'node_modules', name, 'package.json')));
if (missing.length) {
  console.log(`Installing dependencies (npm ci): ${missing.join(', ')} not found`);
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}
