// Every answer the client reads is checked against the spec's schema at the client boundary:
// generated valid answers (with extra fields) pass as they came; generated hostile ones (a field
// of the wrong type, a count that is not a non-negative safe integer, a missing required field)
// fail with a typed 'schema' failure naming the call and the field, within a small retry budget.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { OutgoingHttpHeaders } from 'node:http';
import { HttpError, type JsonHttp, type JsonResponse } from '../../src/cloud/http.js';
import { PulumiCloudClient, PulumiCloudError } from '../../src/cloud/client.js';
import { MALFORMED_ATTEMPTS, httpFailureOf } from '../../src/cloud/retry.js';
import { validateResponse } from '../support/openapi-contract.js';

const BASE = 'https://api.pulumi.example';
const stack = { organization: 'acme', project: 'app', stack: 'dev' };
const ref = { ...stack, id: 'dep-1' };

/** Answers every request with the same 200 body; counts the requests. */
function clientAnswering(body: unknown) {
  let calls = 0;
  const http = {
    request: async <T>(method: string, url: string, _body: string | undefined, _headers: OutgoingHttpHeaders): Promise<JsonResponse<T>> => {
      void method;
      void url;
      calls++;
      return { status: 200, body: structuredClone(body) as T, requestId: 'req-1' };
    },
  };
  const client = new PulumiCloudClient(BASE, http as unknown as JsonHttp, { sleep: async () => {} });
  client.useTokens({ current: async () => 'tok', refresh: async () => 'tok' });
  return { client, calls: () => calls };
}

type Field = 'string' | 'count' | 'boolean' | 'object' | 'array';
interface Endpoint {
  operationId: string;
  what: string;
  call: (client: PulumiCloudClient) => Promise<unknown>;
  valid: fc.Arbitrary<Record<string, unknown> | unknown[]>;
  /** Paths (dot-separated) the action reads, what they hold, and whether the spec requires them. */
  fields: Array<[path: string, type: Field, required: boolean]>;
  /** False for the token exchange: its answer came with a token issued, and asking again issues another. */
  retried?: boolean;
}

const text = fc.string({ maxLength: 20 });
const count = fc.nat();
const stepStatus = fc.constantFrom('not-started', 'running', 'succeeded', 'failed');
const user = fc.record({ githubLogin: text, name: text, avatarUrl: text });
const deploymentBody = fc.record({
  id: text,
  status: fc.constantFrom('not-started', 'running', 'succeeded', 'failed'),
  version: count,
  latestVersion: count,
  created: text,
  modified: text,
  requestedBy: user,
  jobs: fc.array(fc.record({ status: stepStatus, steps: fc.array(fc.record({ name: text, status: stepStatus }), { maxLength: 3 }) }), { maxLength: 2 }),
});
const updateBody = fc.record({
  updateID: text,
  version: count,
  latestVersion: count,
  requestedBy: user,
  info: fc.record({
    kind: fc.constantFrom('update', 'preview'),
    result: fc.constantFrom('in-progress', 'succeeded', 'failed'),
    startTime: count,
    endTime: count,
    version: count,
    message: text,
    config: fc.constant({}),
    environment: fc.constant({}),
    resourceChanges: fc.dictionary(fc.constantFrom('create', 'update', 'same', 'delete'), count),
  }),
});
const state = { id: 'b-1', urn: 'urn:pulumi:dev::app::aws:s3/bucket:Bucket::b', type: 'aws:s3/bucket:Bucket', parent: '', provider: '', inputs: {}, outputs: { arn: 'x' } };
const metadata = fc.record({
  op: fc.constantFrom('create', 'same', 'update'),
  urn: fc.constant('urn:pulumi:dev::app::aws:s3/bucket:Bucket::b'),
  type: text,
  provider: text,
  detailedDiff: fc.constant({}),
  old: fc.constant(state),
  new: fc.constant(state),
});

const ENDPOINTS: Endpoint[] = [
  {
    operationId: 'Token',
    what: 'Token exchange',
    call: (c) => c.exchangeToken({ organization: 'acme', audience: 'urn:pulumi:org:acme', tokenType: 'organization' }, async () => 'id'),
    valid: fc.record({ access_token: text.map((t) => `pul-${t}`), expires_in: count, issued_token_type: text, scope: text, token_type: text }),
    fields: [
      ['access_token', 'string', true],
      ['token_type', 'string', true],
    ],
    retried: false,
  },
  {
    operationId: 'GetCurrentUser',
    what: 'Reading the current user',
    call: (c) => c.getCurrentUser(),
    valid: fc.record({
      id: text,
      githubLogin: text,
      name: text,
      avatarUrl: text,
      email: text,
      hasMFA: fc.boolean(),
      identities: fc.array(fc.constantFrom('github.com', 'SAML'), { maxLength: 2 }),
      isManagedByMultiOrg: fc.boolean(),
      isOrgManaged: fc.boolean(),
      organizations: fc.constant([]),
    }),
    fields: [
      ['githubLogin', 'string', true],
      ['name', 'string', true],
    ],
  },
  {
    operationId: 'GetDeployment',
    what: 'Reading the deployment',
    call: (c) => c.getDeployment(ref),
    valid: deploymentBody,
    fields: [
      ['id', 'string', true],
      ['status', 'string', true],
      ['version', 'count', true],
      ['latestVersion', 'count', true],
      ['requestedBy', 'object', true],
      ['requestedBy.githubLogin', 'string', true],
      ['jobs', 'array', false],
    ],
  },
  {
    operationId: 'ListStackDeploymentsHandlerV2',
    what: 'Listing the deployments',
    call: (c) => c.listDeployments(stack),
    valid: fc.record({
      deployments: fc.array(
        deploymentBody.map((d) => ({ ...d, jobs: [], pulumiOperation: 'update', updates: [] })),
        { minLength: 1, maxLength: 3 },
      ),
      itemsPerPage: count,
      total: count,
    }),
    fields: [
      ['deployments', 'array', true],
      ['deployments.0.status', 'string', true],
      ['deployments.0.created', 'string', true],
      ['deployments.0.requestedBy', 'object', true],
      ['total', 'count', true],
    ],
  },
  {
    operationId: 'GetDeploymentLogs',
    what: 'Reading the deployment logs',
    call: (c) => c.getDeploymentLogs(ref, undefined),
    valid: fc.record({
      __type: fc.constant('DeploymentLogs'),
      lines: fc.array(fc.record({ header: text, line: text, timestamp: fc.constant('2026-01-01T00:00:00Z') }, { requiredKeys: [] }), { minLength: 1, maxLength: 3 }),
      nextToken: text,
    }),
    fields: [
      ['lines', 'array', false],
      ['lines.0', 'object', true],
      ['nextToken', 'string', false],
    ],
  },
  {
    operationId: 'GetDeploymentUpdates',
    what: 'Reading the deployment updates',
    call: (c) => c.getDeploymentUpdates(ref),
    valid: fc.array(updateBody, { minLength: 1, maxLength: 3 }),
    fields: [
      ['0', 'object', true],
      ['0.info', 'object', true],
      ['0.version', 'count', true],
      ['0.updateID', 'string', true],
      ['0.info.kind', 'string', true],
      ['0.info.result', 'string', true],
      ['0.info.startTime', 'count', true],
      ['0.info.resourceChanges', 'object', false],
    ],
  },
  {
    operationId: 'GetEngineEvents_update',
    what: 'Reading the update events',
    call: (c) => c.getUpdateEvents(stack, 'update', 'u-1', undefined),
    valid: fc.record({
      continuationToken: fc.option(text, { nil: null }),
      events: fc.tuple(
        fc.record({ type: fc.constant('resourcePreEvent'), timestamp: count, resourcePreEvent: fc.record({ metadata }) }),
        fc.record({
          type: fc.constant('summaryEvent'),
          timestamp: count,
          summaryEvent: fc.record({
            resourceChanges: fc.dictionary(fc.constantFrom('create', 'same'), count),
            result: fc.constantFrom('succeeded', 'failed'),
            isPreview: fc.boolean(),
            durationSeconds: count,
            maybeCorrupt: fc.boolean(),
            PolicyPacks: fc.constant({}),
          }),
        }),
        fc.record({ type: fc.constant('diagnosticEvent'), timestamp: count, diagnosticEvent: fc.record({ message: text, severity: text, color: text }) }),
      ),
    }),
    fields: [
      ['events', 'array', true],
      ['events.0.type', 'string', true],
      ['events.0.timestamp', 'count', true],
      ['events.0.resourcePreEvent.metadata.urn', 'string', true],
      ['events.0.resourcePreEvent.metadata.op', 'string', true],
      ['events.1.summaryEvent.resourceChanges', 'object', true],
      ['events.2.diagnosticEvent.message', 'string', true],
    ],
  },
];

/** Values that are not of the type; for counts also numbers that are not non-negative safe integers. */
const wrongFor = (type: Field): fc.Arbitrary<unknown> => {
  const others = [fc.constant(null), fc.boolean(), fc.string(), fc.double(), fc.constant([]), fc.constant({})].filter((_, i) => {
    const same = { string: 2, boolean: 1, count: 3, object: 5, array: 4 }[type];
    return i !== same && !(type === 'count' && i === 3);
  });
  if (type === 'count') others.push(fc.integer({ max: -1 }), fc.double({ noInteger: true, noNaN: true }), fc.constantFrom(2 ** 53, 2 ** 60, NaN, Infinity), fc.nat().map(String));
  // Null is a Go nil for optional fields (honoured), so only required fields are tried with null.
  return fc.oneof(...others);
};

const extraFields = fc.dictionary(
  fc.string({ minLength: 1 }).filter((k) => !['__proto__'].includes(k)),
  fc.jsonValue(),
  { maxKeys: 3 },
);

function withExtras(value: unknown, extras: Record<string, unknown>): unknown {
  if (Array.isArray(value) || !value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [k, v] of Object.entries(extras)) if (!(k in out)) out[k] = v;
  return out;
}

/** A copy of `body` with the value at `path` replaced (or removed, for `undefined`). */
function setAt(body: unknown, path: string, value: unknown): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  const keys = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = keys.at(-1)!;
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(Number(last), 1, undefined as never);
    else delete node[last];
  } else node[last] = value;
  return copy;
}

describe.each(ENDPOINTS)('$operationId answers', (endpoint) => {
  it('generated valid answers, with extra fields, match the official spec and pass as they came', async () => {
    await fc.assert(
      fc.asyncProperty(endpoint.valid, extraFields, async (valid, extras) => {
        const body = withExtras(valid, extras);
        expect(validateResponse(endpoint.operationId, 200, body)).toEqual({ valid: true, errors: [] });
        const { client } = clientAnswering(body);
        expect(await endpoint.call(client)).toEqual(body);
      }),
      { numRuns: 40 },
    );
  });

  it('a field of the wrong type, a bad count or a missing required field is a schema failure naming the call and the field', async () => {
    const hostile = fc
      .constantFrom(...endpoint.fields)
      .chain(([path, type, required]) => fc.tuple(fc.constant(path), required ? fc.oneof(wrongFor(type), fc.constant(undefined)) : wrongFor(type).filter((v) => v !== null)));
    await fc.assert(
      fc.asyncProperty(endpoint.valid, hostile, async (valid, [path, value]) => {
        const body = setAt(valid, path, value);
        const { client, calls } = clientAnswering(body);
        const failure = await endpoint.call(client).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(PulumiCloudError);
        const kind = httpFailureOf(failure);
        expect(kind).toMatchObject({ kind: 'schema', status: 200 });
        // The path named is the field changed, or (for an element set to undefined) that element.
        expect(path.startsWith((kind as { path: string }).path)).toBe(true);
        expect((failure as Error).message).toMatch(
          new RegExp(
            `^${endpoint.what} failed: Pulumi Cloud answered 200 with a body that does not match the API \\(${(kind as { path: string }).path.replace(/\./g, '\\.')}: (missing|expected .+)\\) \\(request id req-1\\)$`,
          ),
        );
        // A malformed answer is asked again, but only a few times.
        if (endpoint.retried === false) expect(calls()).toBe(1);
        else {
          expect(calls()).toBeGreaterThan(1);
          expect(calls()).toBeLessThanOrEqual(MALFORMED_ATTEMPTS);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('answers that are not the API', () => {
  it('says which field and what it should hold, in one line', async () => {
    const { client } = clientAnswering({ id: 'd', status: 7 });
    await expect(client.getDeployment(ref)).rejects.toThrow(
      'Reading the deployment failed: Pulumi Cloud answered 200 with a body that does not match the API (status: expected string) (request id req-1)',
    );
  });

  it('an update without info fails, never counts as no changes', async () => {
    const { client } = clientAnswering([{ updateID: 'u', version: 1, latestVersion: 1, requestedBy: { githubLogin: 'a', name: 'a', avatarUrl: '' } }]);
    await expect(client.getDeploymentUpdates(ref)).rejects.toThrow('(0.info: missing)');
  });

  it('an empty or non-JSON 200 is retried a few times, then fails naming the call', async () => {
    for (const problem of ['empty', 'not-json'] as const) {
      let calls = 0;
      const http = {
        request: async () => {
          calls++;
          throw new HttpError(`GET /api/stacks/acme/app/dev/deployments/dep-1`, { kind: 'body', status: 200, problem });
        },
      };
      const client = new PulumiCloudClient(BASE, http as unknown as JsonHttp, { sleep: async () => {} });
      client.useTokens({ current: async () => 'tok', refresh: async () => 'tok' });
      await expect(client.getDeployment(ref)).rejects.toThrow(
        /^Reading the deployment failed: GET \/api\/stacks\/acme\/app\/dev\/deployments\/dep-1 answered 200 with (an empty body|a body that is not JSON)$/,
      );
      expect(calls).toBe(MALFORMED_ATTEMPTS);
    }
  });
});
