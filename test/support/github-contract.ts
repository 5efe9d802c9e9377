// Contract checks against spec/github-openapi.trimmed.json (GitHub's official REST description,
// trimmed by scripts/trim-github-openapi.mjs): the requests the action sends to the GitHub
// stand-in and the stand-in's answers.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { RecordedRequest } from '../../emulators/lib/http.mjs';

type SchemaObject = Record<string, unknown>;
const spec = JSON.parse(readFileSync(fileURLToPath(new URL('../../spec/github-openapi.trimmed.json', import.meta.url)), 'utf8')) as {
  paths: Record<string, Record<string, { operationId: string; requestBody?: SchemaObject; responses: Record<string, SchemaObject> }>>;
};

// PATCH (one documented mismatch): GitHub answers "" for a deployment status URL that was not
// set (target_url, log_url, environment_url); the description types them as `format: uri`.
{
  const statuses = spec.paths['/repos/{owner}/{repo}/deployments/{deployment_id}/statuses']!.post!.responses['201'] as SchemaObject;
  const properties = ((statuses.content as Record<string, { schema: SchemaObject }>)['application/json']!.schema.properties ?? {}) as Record<string, SchemaObject>;
  for (const field of ['target_url', 'log_url', 'environment_url']) properties[field] = { anyOf: [properties[field]!, { const: '' }] };
}

// PATCH (one documented mismatch): GitHub answers `head.repo: null` for a pull request whose
// fork was deleted; the description types it as an object.
for (const [path, item] of [
  ['/repos/{owner}/{repo}/pulls/{pull_number}', (s: SchemaObject) => s],
  ['/repos/{owner}/{repo}/commits/{commit_sha}/pulls', (s: SchemaObject) => s.items as SchemaObject],
] as const) {
  const response = spec.paths[path]!.get!.responses['200'] as SchemaObject;
  const pull = item((response.content as Record<string, { schema: SchemaObject }>)['application/json']!.schema);
  const head = (pull.properties as Record<string, SchemaObject>).head!.properties as Record<string, SchemaObject>;
  head.repo = { anyOf: [head.repo!, { type: 'null' }] };
}

/** GitHub's `basic-error`, with the `status` its answers carry. */
const BASIC_ERROR: SchemaObject = {
  type: 'object',
  required: ['message', 'documentation_url', 'status'],
  properties: { message: { type: 'string' }, documentation_url: { type: 'string', format: 'uri' }, status: { type: 'string', pattern: '^[45]\\d\\d$' } },
};

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => void;
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);

const operations = Object.entries(spec.paths).flatMap(([template, item]) =>
  Object.entries(item).map(([method, op]) => ({
    method: method.toUpperCase(),
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    op,
  })),
);

const compiled = new Map<object, ValidateFunction>();
function validatorOf(schema: SchemaObject): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) compiled.set(schema, (v = ajv.compile(schema)));
  return v;
}
const jsonSchema = (holder: SchemaObject | undefined): SchemaObject | undefined =>
  ((holder?.content as Record<string, { schema?: SchemaObject }> | undefined)?.['application/json'] ?? undefined)?.schema;

/** Every way the recorded requests (and the stand-in's answers to them) differ from GitHub's description. */
export function githubContractViolations(requests: RecordedRequest[], only: (path: string) => boolean = () => true): string[] {
  const problems: string[] = [];
  for (const r of requests) {
    if (r.path.startsWith('/_apis/') || r.path.startsWith('/.well-known/') || !only(r.path)) continue;
    const label = `${r.method} ${r.path}`;
    const operation = operations.find((o) => o.method === r.method && o.pattern.test(r.path));
    if (!operation) {
      problems.push(`${label}: not an operation of GitHub's description`);
      continue;
    }
    const requestSchema = jsonSchema(operation.op.requestBody);
    if (requestSchema && r.body !== undefined) {
      const v = validatorOf(requestSchema);
      if (!v(r.body)) problems.push(`${label} request: ${ajv.errorsText(v.errors)}`);
    }
    if (r.fault || typeof r.status !== 'number') continue;
    // GitHub answers any operation 403 (a token without the permission) or 404 (a repository that
    // does not exist) in its basic-error shape, documented or not.
    const responseSchema = jsonSchema(operation.op.responses[String(r.status)]) ?? (r.status === 403 || r.status === 404 ? BASIC_ERROR : undefined);
    if (!responseSchema) {
      problems.push(`${label}: GitHub never answers ${r.status}`);
      continue;
    }
    const v = validatorOf(responseSchema);
    if (!v(r.responseBody)) problems.push(`${label} response ${r.status}: ${ajv.errorsText(v.errors)}`);
  }
  return problems;
}
