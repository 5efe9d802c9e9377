// Keeps only the GitHub REST operations this action calls, dereferenced, from the official
// description (@octokit/openapi), so the stand-in's contract test reads a small file.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pickOperations } from './openapi-operations.mjs';

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
const { paths, found } = pickOperations(spec, USED_OPERATIONS, ({ operationId, parameters, requestBody, responses }) => ({ operationId, parameters, requestBody, responses }));
writeFileSync(target, `${JSON.stringify({ openapi: spec.openapi, info: spec.info, paths }, null, 1)}\n`);
console.log(`${target}: ${found.length} operations`);
