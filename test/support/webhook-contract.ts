// Contract checks of event payloads (what the stand-ins write to GITHUB_EVENT_PATH) against
// spec/github-webhooks.trimmed.json: GitHub's official webhook schemas, trimmed by
// scripts/trim-github-webhooks.mjs.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type SchemaObject = Record<string, unknown>;
const SPEC_ID = 'https://contract.local/github-webhooks.json';
const spec = JSON.parse(readFileSync(fileURLToPath(new URL('../../spec/github-webhooks.trimmed.json', import.meta.url)), 'utf8')) as {
  webhooks: Record<string, { post: { requestBody: { content: { 'application/json': { schema: { $ref: string } } } } } }>;
  components: { schemas: Record<string, SchemaObject> };
};

// PATCH (one documented mismatch): GitHub sends `head.repo: null` once a fork is deleted; the
// schema types it as an object.
{
  const pull = (spec.components.schemas['webhook-pull-request-synchronize']!.properties as Record<string, SchemaObject>).pull_request!;
  const head = (pull.properties as Record<string, SchemaObject>).head!.properties as Record<string, SchemaObject>;
  head.repo = { anyOf: [head.repo!, { type: 'null' }] };
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => void;
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);
ajv.addSchema({ $id: SPEC_ID, components: spec.components });

/** The webhook that describes an event's payload: `pull_request_target` is sent the `pull_request` payload. */
export function webhookOf(eventName: string, payload: { action?: unknown }): string {
  const event = eventName === 'pull_request_target' ? 'pull_request' : eventName;
  const base = event.replace(/_/g, '-');
  return typeof payload.action === 'string' ? `${base}-${payload.action.replace(/_/g, '-')}` : base;
}

const compiled = new Map<string, ValidateFunction>();
/** Every way an event payload differs from GitHub's webhook schema for it (empty when it conforms). */
export function eventPayloadViolations(eventName: string, payload: Record<string, unknown>): string[] {
  const webhook = webhookOf(eventName, payload);
  const ref = spec.webhooks[webhook]?.post.requestBody.content['application/json'].schema.$ref;
  if (!ref) return [`${eventName}: no webhook '${webhook}' in spec/github-webhooks.trimmed.json`];
  let validate = compiled.get(ref);
  if (!validate) compiled.set(ref, (validate = ajv.compile({ $ref: `${SPEC_ID}${ref}` })));
  if (validate(payload)) return [];
  return (validate.errors ?? []).map((e) => `${eventName} payload${e.instancePath} ${e.message ?? e.keyword}`);
}
