// Keeps only the GitHub REST operations this action calls, dereferenced, from the official
// description (@octokit/openapi), so the stand-in's contract test reads a small file.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const source = process.argv[2] ?? require.resolve('@octokit/openapi/generated/api.github.com.deref.json');
const target = resolve(root, 'spec/github-openapi.trimmed.json');

export const USED_OPERATIONS = [
  'users/get-authenticated',
  'pulls/get',
  'issues/list-comments',
  'issues/create-comment',
  'issues/update-comment',
  'repos/list-pull-requests-associated-with-commit',
  'repos/create-deployment',
  'repos/create-deployment-status',
  'checks/create',
  'checks/update',
];

const spec = JSON.parse(readFileSync(source, 'utf8'));
const paths = {};
for (const [path, item] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(item)) {
    if (op && typeof op === 'object' && USED_OPERATIONS.includes(op.operationId)) {
      const { operationId, parameters, requestBody, responses } = op;
      (paths[path] ??= {})[method] = { operationId, parameters, requestBody, responses };
    }
  }
}
const found = Object.values(paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
const missing = USED_OPERATIONS.filter((id) => !found.includes(id));
if (missing.length) throw new Error(`operations not in the description: ${missing.join(', ')}`);
writeFileSync(target, `${JSON.stringify({ openapi: spec.openapi, info: spec.info, paths }, null, 1)}\n`);
console.log(`${target}: ${found.length} operations`);
