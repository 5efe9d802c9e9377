// Contract checks against spec/pulumi-cloud-openapi.trimmed.json: requests the action sends
// and responses the emulator (or anything else) returns. OpenAPI 3.0 quirks (nullable,
// int64, x-* keywords, discriminator without oneOf) are handled here; three narrow patches
// fix places where the spec disagrees with the real wire format (see PATCHES below).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

export interface ContractResult {
  valid: boolean;
  errors: string[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type SchemaObject = Record<string, unknown>;
interface Operation {
  operationId: string;
  method: string;
  template: string;
  pattern: RegExp;
  op: SchemaObject;
}

const SPEC_PATH = fileURLToPath(new URL('../../spec/pulumi-cloud-openapi.trimmed.json', import.meta.url));
const SPEC_ID = 'https://contract.local/pulumi-cloud-openapi.json';
const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as {
  paths: Record<string, Record<string, SchemaObject>>;
  components: { schemas: Record<string, SchemaObject> };
};

const clone = <T>(v: T): T => structuredClone(v);
const schemas = clone(spec.components.schemas);

// PATCHES: narrowly scoped corrections, each for one documented mismatch.
// 1. The CLI and docs send non-secret environment variables as plain JSON strings; the spec
//    models every value as SecretValue (an object with a required `secret`).
{
  const env = (schemas.OperationContextRequest!.properties as SchemaObject).environmentVariables as SchemaObject;
  env.additionalProperties = { anyOf: [{ type: 'string' }, { $ref: '#/components/schemas/SecretValue' }] };
}
// 2. The Token request body is typed as "every value is an object", which no real token
//    request matches; use the fields the operation's own description lists instead.
const TOKEN_REQUEST_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['grant_type'],
  additionalProperties: false,
  properties: {
    grant_type: { type: 'string' },
    audience: { type: 'string' },
    subject_token: { type: 'string' },
    subject_token_type: { type: 'string' },
    requested_token_type: { type: 'string' },
    scope: { type: 'string' },
    expiration: {
      anyOf: [
        { type: 'integer', minimum: 1 },
        { type: 'string', pattern: '^[0-9]+$' },
      ],
    },
    refresh_token: { type: 'string' },
  },
};
// 3. Engine events: the last page's continuationToken is null (a Go *string), and resource
//    inputs/outputs hold any JSON value (strings, numbers...), not only objects.
{
  ((schemas.GetUpdateEventsResponse!.properties as SchemaObject).continuationToken as SchemaObject).nullable = true;
  const state = schemas.AppStepEventStateMetadata!.properties as SchemaObject;
  for (const key of ['inputs', 'outputs']) (state[key] as SchemaObject).additionalProperties = {};
}
// Error bodies are not modelled by the spec; these are the shapes the service documents.
const PULUMI_ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'integer' }, message: { type: 'string' }, errors: { type: 'array' } },
};
const OAUTH_ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string' }, error_description: { type: 'string' }, error_uri: { type: 'string' } },
};

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;
addFormats(ajv);
ajv.addSchema({ $id: SPEC_ID, components: { schemas } });

// Refs in path-level schemas point into the components document registered above.
function absolutize(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(absolutize);
  if (!node || typeof node !== 'object') return node;
  const out: SchemaObject = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${SPEC_ID}${v}` : absolutize(v);
  }
  return out;
}

const compiled = new Map<string, ValidateFunction>();
function validatorFor(key: string, schema: SchemaObject): ValidateFunction {
  let v = compiled.get(key);
  if (!v) {
    v = ajv.compile(absolutize(schema) as SchemaObject);
    compiled.set(key, v);
  }
  return v;
}

const operations: Operation[] = [];
for (const [template, item] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(item)) {
    if (!op || typeof op !== 'object' || typeof op.operationId !== 'string') continue;
    const pattern = new RegExp(`^${template.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === '{' || c === '}' ? c : `\\${c}`)).replace(/\{[^}]+\}/g, '([^/]+)')}$`);
    operations.push({ operationId: op.operationId, method: method.toUpperCase(), template, pattern, op });
  }
}

function operation(operationId: string): Operation {
  const found = operations.find((o) => o.operationId === operationId);
  if (!found) throw new Error(`unknown operationId '${operationId}' (known: ${operations.map((o) => o.operationId).join(', ')})`);
  return found;
}

/** The operationId for a concrete method and path (query string ignored), or undefined. */
export function operationIdFor(method: string, path: string): string | undefined {
  const pathname = new URL(path, 'http://x').pathname;
  return operations.find((o) => o.method === method.toUpperCase() && o.pattern.test(pathname))?.operationId;
}

function formatErrors(where: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const extra =
      e.keyword === 'additionalProperties'
        ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'`
        : e.keyword === 'enum'
          ? ` ${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)}`
          : '';
    return `${where}${e.instancePath || ''} ${e.message ?? e.keyword}${extra}`;
  });
}

function check(key: string, schema: SchemaObject, value: unknown, where: string): string[] {
  const validate = validatorFor(key, schema);
  const errors = validate(value) ? [] : formatErrors(where, validate.errors);
  return errors.concat(checkDiscriminator(schema, value, where));
}

// OpenAPI discriminators with a mapping but no oneOf: pick the mapped schema by the property.
function checkDiscriminator(schema: SchemaObject, value: unknown, where: string): string[] {
  const ref = typeof schema.$ref === 'string' ? schema.$ref : undefined;
  const target = ref?.startsWith('#/components/schemas/') ? schemas[ref.slice('#/components/schemas/'.length)] : undefined;
  const disc = target?.discriminator as { propertyName: string; mapping?: Record<string, string> } | undefined;
  if (!disc?.mapping || !value || typeof value !== 'object') return [];
  const tag = (value as Record<string, unknown>)[disc.propertyName];
  const mapped = typeof tag === 'string' ? disc.mapping[tag] : undefined;
  if (!mapped) return [`${where} ${disc.propertyName} must be one of ${JSON.stringify(Object.keys(disc.mapping))}`];
  return check(`disc:${mapped}`, { $ref: mapped }, value, where);
}

function parseBody(body: unknown, form: boolean): unknown {
  if (typeof body !== 'string') return body;
  if (body === '') return undefined;
  try {
    return JSON.parse(body) as Json;
  } catch {
    return form ? Object.fromEntries(new URLSearchParams(body)) : body;
  }
}

const isEmpty = (b: unknown) => b === undefined || b === null || b === '';

/** Validates a request the action sent: method and path must match the operation, query params and body its schemas. */
export function validateRequest(operationId: string, req: { method: string; path: string; body?: unknown }): ContractResult {
  const o = operation(operationId);
  const errors: string[] = [];
  const url = new URL(req.path, 'http://x');
  if (req.method.toUpperCase() !== o.method) errors.push(`method ${req.method} is not ${o.method}`);
  if (!o.pattern.test(url.pathname)) errors.push(`path ${url.pathname} does not match ${o.template}`);

  const params = (o.op.parameters ?? []) as Array<{ name: string; in: string; required?: boolean; schema: SchemaObject }>;
  const queryParams = params.filter((p) => p.in === 'query');
  for (const [name, raw] of url.searchParams) {
    const p = queryParams.find((q) => q.name === name);
    if (!p) {
      errors.push(`query parameter '${name}' is not defined by ${operationId}`);
      continue;
    }
    const value = p.schema.type === 'integer' && /^-?\d+$/.test(raw) ? Number(raw) : raw;
    errors.push(...check(`${operationId}:query:${name}`, p.schema, value, `query.${name}`));
  }
  for (const p of queryParams) if (p.required && !url.searchParams.has(p.name)) errors.push(`query parameter '${p.name}' is required`);

  const body = parseBody(req.body, operationId === 'Token');
  const content = (o.op.requestBody as { content?: Record<string, { schema: SchemaObject }> } | undefined)?.content;
  const schema = operationId === 'Token' ? TOKEN_REQUEST_SCHEMA : content?.['application/json']?.schema;
  if (!schema) {
    if (!isEmpty(body)) errors.push(`${operationId} takes no request body`);
  } else if (isEmpty(body)) {
    errors.push(`${operationId} needs a request body`);
  } else {
    errors.push(...check(`${operationId}:request`, schema, body, 'body'));
  }
  return { valid: errors.length === 0, errors };
}

/**
 * Validates a response body for a status. Documented statuses with a schema use it; 2xx
 * without one must have no body; error statuses must carry the service's error shape
 * (RFC 6749 for Token, {code, message} elsewhere).
 */
export function validateResponse(operationId: string, status: number, body: unknown): ContractResult {
  const o = operation(operationId);
  const responses = (o.op.responses ?? {}) as Record<string, { content?: Record<string, { schema: SchemaObject }> }>;
  const documented = responses[String(status)];
  const schema = documented?.content?.['application/json']?.schema;
  const value = parseBody(body, false);
  let errors: string[];
  if (schema) {
    errors = isEmpty(value) ? [`${operationId} ${status} needs a body`] : check(`${operationId}:${status}`, schema, value, 'body');
  } else if (status >= 200 && status < 300) {
    errors = documented ? (isEmpty(value) ? [] : [`${operationId} ${status} has no documented body`]) : [`status ${status} is not documented for ${operationId}`];
  } else {
    const errorSchema = operationId === 'Token' ? OAUTH_ERROR_SCHEMA : PULUMI_ERROR_SCHEMA;
    errors = check(`${operationId}:error:${operationId === 'Token'}`, errorSchema, value, 'error body');
  }
  return { valid: errors.length === 0, errors };
}
