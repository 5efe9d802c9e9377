// Keeps only the Pulumi Cloud operations this action uses (and every schema they
// reach) from the official spec, so tests and type generation run without ../shared.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pickOperations } from './openapi-operations.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = process.argv[2] ?? resolve(root, '../shared/pulumi-cloud-openapi.json');
const target = resolve(root, 'spec/pulumi-cloud-openapi.trimmed.json');

export const USED_OPERATIONS = [
  'Token',
  'CreateAPIDeploymentHandlerV2',
  'GetDeployment',
  'GetDeploymentLogs',
  'CancelDeployment',
  'GetDeploymentUpdates',
  'GetCurrentUser',
  // Post finds a deployment whose create answer never came among the stack's own.
  'ListStackDeploymentsHandlerV2',
  // Engine events of each update the deployment ran (the resource plan, diagnostics, outputs).
  'GetEngineEvents_preview',
  'GetEngineEvents_update',
  'GetEngineEvents_refresh',
  'GetEngineEvents_destroy',
  // Why a deployment stays queued: a paused stack or organization, or every concurrent slot taken.
  'StackDeploymentsMetadata',
  'OrgDeploymentsMetadata',
];

const spec = JSON.parse(readFileSync(source, 'utf8'));
const { paths } = pickOperations(spec, USED_OPERATIONS);

// Walk $refs transitively so the trimmed spec is self-contained.
const schemas = {};
const pending = [paths];
while (pending.length) {
  const node = pending.pop();
  if (Array.isArray(node)) {
    pending.push(...node);
    continue;
  }
  if (!node || typeof node !== 'object') continue;
  for (const [key, value] of Object.entries(node)) {
    // Discriminator mappings hold refs as plain strings too.
    const refs = key === '$ref' && typeof value === 'string' ? [value] : key === 'mapping' && value && typeof value === 'object' ? Object.values(value) : [];
    for (const ref of refs) {
      const name = ref.replace('#/components/schemas/', '');
      if (!schemas[name]) {
        schemas[name] = spec.components.schemas[name];
        if (!schemas[name]) throw new Error(`dangling $ref ${ref}`);
        pending.push(schemas[name]);
      }
    }
    if (key !== '$ref') pending.push(value);
  }
}
const sorted = Object.fromEntries(
  Object.keys(schemas)
    .sort()
    .map((k) => [k, schemas[k]]),
);
const trimmed = {
  openapi: spec.openapi,
  info: { ...spec.info, description: `Trimmed by scripts/trim-openapi-spec.mjs to: ${USED_OPERATIONS.join(', ')}.` },
  paths,
  components: { schemas: sorted },
};
writeFileSync(target, JSON.stringify(trimmed, null, 2) + '\n');
console.log(`wrote ${target}: ${Object.keys(paths).length} paths, ${Object.keys(sorted).length} schemas`);
