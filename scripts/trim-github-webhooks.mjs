// Keeps only the webhook events whose payloads the stand-ins write to GITHUB_EVENT_PATH, and
// the component schemas they reference, from GitHub's official webhook description
// (@octokit/openapi-webhooks), so the payload contract test reads a small file.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const source = process.argv[2] ?? require.resolve('@octokit/openapi-webhooks/generated/api.github.com.json');
const target = resolve(root, 'spec/github-webhooks.trimmed.json');

/** Webhook names (`<event>-<action>`) of the events the stand-ins write; pull_request_target carries pull_request's payload. */
export const USED_WEBHOOKS = ['push', 'pull-request-synchronize', 'merge-group-checks-requested', 'workflow-dispatch'];

const spec = JSON.parse(readFileSync(source, 'utf8'));
const missing = USED_WEBHOOKS.filter((name) => !spec.webhooks[name]);
if (missing.length) throw new Error(`webhooks not in the description: ${missing.join(', ')}`);
const webhooks = Object.fromEntries(USED_WEBHOOKS.map((name) => [name, { post: { requestBody: spec.webhooks[name].post.requestBody } }]));

// The component schemas reachable from the kept webhooks.
const schemas = {};
const PREFIX = '#/components/schemas/';
function visit(node) {
  if (Array.isArray(node)) return node.forEach(visit);
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith(PREFIX)) {
      const name = value.slice(PREFIX.length);
      if (schemas[name]) continue;
      schemas[name] = spec.components.schemas[name];
      if (!schemas[name]) throw new Error(`unresolved reference ${value}`);
      visit(schemas[name]);
    } else visit(value);
  }
}
visit(webhooks);
const sorted = Object.fromEntries(
  Object.keys(schemas)
    .sort()
    .map((name) => [name, schemas[name]]),
);
writeFileSync(target, `${JSON.stringify({ openapi: spec.openapi, info: spec.info, webhooks, components: { schemas: sorted } }, null, 1)}\n`);
console.log(`${target}: ${USED_WEBHOOKS.length} webhooks, ${Object.keys(sorted).length} schemas`);
