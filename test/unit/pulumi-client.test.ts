import { describe, expect, it, vi } from 'vitest';
import type { OutgoingHttpHeaders } from 'node:http';
import { HttpError, type JsonHttp, type JsonResponse } from '../../src/cloud/http.js';
import { PulumiCloudClient, PulumiCloudError, serviceReason, type DeploymentRef, type TokenSource } from '../../src/cloud/client.js';
import type { DeploymentRequestBody } from '../../src/cloud/client.js';
import { DEFAULT_RETRY, POLLING_RETRY, type RetryHooks } from '../../src/cloud/retry.js';

const BASE = 'https://api.pulumi.example';
const stack = { organization: 'acme', project: 'app', stack: 'dev' };
const ref: DeploymentRef = { ...stack, id: 'dep-1' };
const DEP = `${BASE}/api/stacks/acme/app/dev/deployments/dep-1`;

interface Call {
  method: string;
  url: string;
  body: string | undefined;
  headers: OutgoingHttpHeaders;
}
type Reply = { status?: number; body?: unknown; requestId?: string } | Error;

/** A JsonHttp stand-in: answers from a script, then 200 with `fallback`; records every call. */
class FakeHttp {
  readonly calls: Call[] = [];
  constructor(
    private readonly script: Reply[] = [],
    private readonly fallback: unknown = {},
  ) {}
  request = vi.fn(async <T>(method: string, url: string, body: string | undefined, headers: OutgoingHttpHeaders): Promise<JsonResponse<T>> => {
    this.calls.push({ method, url, body, headers });
    const reply = this.script.shift() ?? { body: this.fallback };
    if (reply instanceof Error) throw reply;
    return { status: reply.status ?? 200, body: reply.body as T, requestId: reply.requestId };
  });
}

/** What JsonHttp throws for a non-2xx answer. */
function statusError(status: number, body?: unknown, requestId?: string, retryAfterMs?: number): HttpError {
  return new HttpError('GET /x', { kind: 'status', status, body, requestId, retryAfterMs });
}

/** What JsonHttp throws for a network failure (retryable as JsonHttp would mark it). */
function networkError(code: string, _message: string, reachedServer: boolean): HttpError {
  return new HttpError('POST /api/stacks/acme/app/dev/deployments', { kind: 'network', reachedServer, code });
}

function fakeTokens(first = 'tok-1') {
  let token = first;
  let n = 1;
  const source = {
    current: vi.fn(async () => token),
    refresh: vi.fn(async (_reason: string) => {
      token = `tok-${++n}`;
      return token;
    }),
  };
  return source satisfies TokenSource;
}

function setup(script: Reply[] = [], fallback: unknown = {}, hooks: Omit<RetryHooks, 'classify'> = {}) {
  const http = new FakeHttp(script, fallback);
  const sleeps: number[] = [];
  const client = new PulumiCloudClient(BASE, http as unknown as JsonHttp, {
    sleep: async (ms) => void sleeps.push(ms),
    ...hooks,
  });
  const tokens = fakeTokens();
  client.useTokens(tokens);
  return { http, client, tokens, sleeps };
}

/** A GetDeploymentResponse as the spec requires it. */
const dep = (status: string) => ({
  id: 'dep-1',
  status,
  version: 1,
  latestVersion: 1,
  created: '2026-01-01T00:00:00Z',
  modified: '2026-01-01T00:00:01Z',
  requestedBy: { githubLogin: 'me', name: 'Me', avatarUrl: '' },
});
/** An UpdateInfo as the spec requires it. */
const upd = (version: number) => ({
  updateID: `u-${version}`,
  version,
  latestVersion: version,
  requestedBy: { githubLogin: 'me', name: 'Me', avatarUrl: '' },
  info: { kind: 'update', result: 'succeeded', startTime: 1, endTime: 2, version, message: '', config: {}, environment: {}, resourceChanges: { create: 1 } },
});

const createBody = { operation: 'update', sourceContext: { git: { repoUrl: 'https://github.com/acme/infra.git', commit: 'abc' } } } as DeploymentRequestBody;
const created = { id: 'dep-1', consoleUrl: 'https://app.pulumi.com/acme/app/dev/deployments/1', version: 1 };
const exchange = { organization: 'acme', audience: 'urn:pulumi:org:acme', tokenType: 'organization' as const };
const grant = { access_token: 'pul-abc', expires_in: 7_200, issued_token_type: 'urn:pulumi:token-type:access_token:organization', scope: '', token_type: 'token' };

describe('headers and requests', () => {
  it('sends the token, the Pulumi Accept header and JSON content type on every API call', async () => {
    const { http, client } = setup([{ body: dep('running') }]);
    expect(await client.getDeployment(ref)).toEqual(dep('running'));
    expect(http.calls).toEqual([
      {
        method: 'GET',
        url: DEP,
        body: undefined,
        headers: { Authorization: 'token tok-1', Accept: 'application/vnd.pulumi+8', 'Content-Type': 'application/json' },
      },
    ]);
  });

  it('posts the create body as JSON to the stack deployments path', async () => {
    const { http, client } = setup([{ body: created }]);
    expect(await client.createDeployment(stack, createBody)).toEqual(created);
    expect(http.calls[0]!.method).toBe('POST');
    expect(http.calls[0]!.url).toBe(`${BASE}/api/stacks/acme/app/dev/deployments`);
    expect(JSON.parse(http.calls[0]!.body!)).toEqual(createBody);
    expect(http.calls[0]!.headers).toEqual({ Authorization: 'token tok-1', Accept: 'application/vnd.pulumi+8', 'Content-Type': 'application/json' });
  });

  it('encodes the continuation token', async () => {
    const { http, client } = setup([{ body: { __type: 'DeploymentLogs' } }]);
    await client.getDeploymentLogs(ref, 'a+b/c=d&e');
    expect(http.calls.map((c) => c.url)).toEqual([`${DEP}/logs?continuationToken=a%2Bb%2Fc%3Dd%26e`]);
  });

  it.each([
    ['a deployment id of ..', { ...ref, id: '..' }],
    ['a deployment id of .', { ...ref, id: '.' }],
    ['a deployment id with a slash', { ...ref, id: 'x/../../y' }],
    ['a deployment id with a query', { ...ref, id: 'id?x=1' }],
    ['a deployment id with a fragment', { ...ref, id: 'id#1' }],
    ['an encoded slash', { ...ref, id: 'a%2Fb' }],
    ['an empty id', { ...ref, id: '' }],
    ['a stack of ..', { ...ref, stack: '..' }],
    ['a project with a space', { ...ref, project: 'a b' }],
  ])('refuses %s before any request: no value can change the path', async (_, odd: DeploymentRef) => {
    const { http, client } = setup([{ body: {} }]);
    await expect(client.getDeployment(odd)).rejects.toThrow(/^Refusing to use the .+ in a request path: it is not a valid name or id$/);
    await expect(client.cancelDeployment(odd)).rejects.toThrow(/Refusing to use/);
    expect(http.calls).toHaveLength(0);
  });

  it('reads updates, and an empty (null) answer as no updates', async () => {
    const { http, client } = setup([{ body: [upd(3)] }, { body: null }]);
    expect(await client.getDeploymentUpdates(ref)).toEqual([upd(3)]);
    expect(await client.getDeploymentUpdates(ref)).toEqual([]);
    expect(http.calls.map((c) => `${c.method} ${c.url}`)).toEqual([`GET ${DEP}/updates`, `GET ${DEP}/updates`]);
  });

  it('reads update events by kind and update id, with the continuation token encoded', async () => {
    const { http, client } = setup([{ body: { events: [] } }, { body: { events: [], continuationToken: null } }]);
    await client.getUpdateEvents(stack, 'preview', '0b7e3f7e-4b1c-4a8e-9a51-1f2d3c4b5a69', undefined);
    await client.getUpdateEvents({ organization: 'my-org', project: 'a', stack: 'b' }, 'update', 'u_1', 'a+b/c');
    expect(http.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      `GET ${BASE}/api/stacks/acme/app/dev/preview/0b7e3f7e-4b1c-4a8e-9a51-1f2d3c4b5a69/events`,
      `GET ${BASE}/api/stacks/my-org/a/b/update/u_1/events?continuationToken=a%2Bb%2Fc`,
    ]);
  });

  it.each([
    ['kind', 'Pupdate', 'u1'],
    ['kind', '../deployments', 'u1'],
    ['kind', 'update/x', 'u1'],
    ['id', 'update', '../../x'],
    ['id', 'update', 'a/b'],
    ['id', 'update', '%2e%2e'],
    ['id', 'update', ''],
    ['id', 'update', 'a'.repeat(200)],
    ['id', 'update', 'a.b'],
  ])('refuses a bad %s (%s, %s) before any request', async (_what, kind, id) => {
    const { http, client } = setup();
    await expect(client.getUpdateEvents(stack, kind, id, undefined)).rejects.toThrow(/kind|update id/);
    expect(http.calls).toEqual([]);
  });

  it('cancels with a POST without body', async () => {
    const { http, client } = setup([{ body: undefined }]);
    await expect(client.cancelDeployment(ref)).resolves.toBeUndefined();
    expect(http.calls).toEqual([
      { method: 'POST', url: `${DEP}/cancel`, body: undefined, headers: { Authorization: 'token tok-1', Accept: 'application/vnd.pulumi+8', 'Content-Type': 'application/json' } },
    ]);
  });

  it('refuses API calls before login', async () => {
    const http = new FakeHttp();
    const client = new PulumiCloudClient(BASE, http as unknown as JsonHttp);
    await expect(client.getDeployment(ref)).rejects.toThrow('PulumiCloudClient used before login');
    expect(http.calls).toEqual([]);
  });
});

describe('token exchange', () => {
  it('posts the RFC 8693 fields with JSON headers and no Authorization', async () => {
    const { http, client } = setup([{ body: grant }]);
    const idToken = vi.fn(async () => 'id-1');
    expect(await client.exchangeToken({ ...exchange, scope: 'admin', expirationSeconds: 3_600 }, idToken)).toEqual(grant);
    expect(http.calls).toHaveLength(1);
    const call = http.calls[0]!;
    expect(call.method).toBe('POST');
    expect(call.url).toBe(`${BASE}/api/oauth/token`);
    expect(call.headers).toEqual({ 'Content-Type': 'application/json', Accept: 'application/json' });
    expect(JSON.parse(call.body!)).toEqual({
      audience: 'urn:pulumi:org:acme',
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: 'id-1',
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      requested_token_type: 'urn:pulumi:token-type:access_token:organization',
      scope: 'admin',
      expiration: 3_600,
    });
  });

  it('leaves out scope and expiration when not set', async () => {
    const { http, client } = setup([{ body: grant }]);
    await client.exchangeToken({ ...exchange, tokenType: 'team' }, async () => 'id-1');
    expect(JSON.parse(http.calls[0]!.body!)).toEqual({
      audience: 'urn:pulumi:org:acme',
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: 'id-1',
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      requested_token_type: 'urn:pulumi:token-type:access_token:team',
    });
  });

  it('sends the audience input as the exchange audience (it must equal the ID token aud)', async () => {
    const { http, client } = setup([{ body: grant }]);
    await client.exchangeToken({ ...exchange, audience: 'urn:pulumi:org:acme:custom' }, async () => 'id-1');
    expect(JSON.parse(http.calls[0]!.body!).audience).toBe('urn:pulumi:org:acme:custom');
  });

  it('asks for a fresh ID token for every attempt', async () => {
    const { http, client, sleeps } = setup([statusError(503), statusError(429, undefined, undefined, 2_000), { body: grant }]);
    let n = 0;
    const idToken = vi.fn(async () => `id-${++n}`);
    await client.exchangeToken(exchange, idToken);
    expect(idToken).toHaveBeenCalledTimes(3);
    expect(http.calls.map((c) => JSON.parse(c.body!).subject_token)).toEqual(['id-1', 'id-2', 'id-3']);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBe(2_000);
  });

  it('does not retry a 400 and quotes the OAuth error', async () => {
    const { http, client } = setup([statusError(400, { error: 'invalid_request', error_description: 'audience does not match' }, 'req-7')]);
    const failure = await client.exchangeToken(exchange, async () => 'id').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PulumiCloudError);
    expect((failure as PulumiCloudError).message).toBe('Token exchange failed: Pulumi Cloud answered 400: invalid_request: audience does not match (request id req-7)');
    expect((failure as PulumiCloudError).status).toBe(400);
    expect((failure as PulumiCloudError).requestId).toBe('req-7');
    expect(http.calls).toHaveLength(1);
  });

  it.each([401, 403])('does not retry a %i from the token endpoint, nor refresh', async (status) => {
    const { http, client, tokens } = setup([statusError(status, { error: 'invalid_grant' })]);
    await expect(client.exchangeToken(exchange, async () => 'id')).rejects.toThrow(`Token exchange failed: Pulumi Cloud answered ${status}: invalid_grant`);
    expect(http.calls).toHaveLength(1);
    expect(tokens.refresh).not.toHaveBeenCalled();
  });

  it('stops after DEFAULT_RETRY.maxAttempts server errors', async () => {
    const { http, client } = setup(Array.from({ length: 10 }, () => statusError(502)));
    await expect(client.exchangeToken(exchange, async () => 'id')).rejects.toThrow('Token exchange failed: Pulumi Cloud answered 502');
    expect(http.calls).toHaveLength(DEFAULT_RETRY.maxAttempts);
  });

  it('fails clearly on a 200 without access_token, without retrying (that would issue another token)', async () => {
    const { http, client } = setup(Array.from({ length: 10 }, () => ({ body: { expires_in: 1 }, requestId: 'req-9' })));
    const failure = await client.exchangeToken(exchange, async () => 'id').catch((e: unknown) => e);
    expect((failure as Error).message).toBe('Token exchange failed: Pulumi Cloud answered 200 with a body that does not match the API (access_token: missing) (request id req-9)');
    expect((failure as PulumiCloudError).requestId).toBe('req-9');
    expect(http.calls).toHaveLength(1);
  });

  it('fails when getting the ID token fails, without calling Pulumi Cloud', async () => {
    const { http, client } = setup();
    await expect(
      client.exchangeToken(exchange, async () => {
        throw new Error('GitHub ID token request failed');
      }),
    ).rejects.toThrow('GitHub ID token request failed');
    expect(http.calls).toEqual([]);
  });
});

describe('retries of API calls', () => {
  it.each([500, 502, 503, 429])('retries a GET answered %i', async (status) => {
    const { http, client } = setup([statusError(status), statusError(status), { body: dep('succeeded') }]);
    expect(await client.getDeployment(ref)).toEqual(dep('succeeded'));
    expect(http.calls).toHaveLength(3);
  });

  it('honours Retry-After on a 429', async () => {
    const { client, sleeps } = setup([statusError(429, undefined, undefined, 7_000), { body: { lines: [] } }]);
    await client.getDeploymentLogs(ref, 't');
    expect(sleeps).toEqual([7_000]);
  });

  it('a 429 slows every request of the client (every stack of the step), not only the one that got it', async () => {
    let t = 1_000_000;
    const { http, client, sleeps } = setup(
      [statusError(429, undefined, undefined, 7_000), { body: { lines: [] } }, { body: dep('running') }, { body: dep('running') }],
      {},
      { now: () => t },
    );
    await client.getDeploymentLogs(ref, 't');
    expect(sleeps).toEqual([7_000]);
    // Another stack's request, 2 s later: it waits out the rest of the pause before it leaves.
    t += 2_000;
    await client.getDeployment(ref);
    expect(sleeps).toEqual([7_000, 5_000]);
    // Once the pause has passed, no wait.
    t += 10_000;
    await client.getDeployment(ref);
    expect(sleeps).toEqual([7_000, 5_000]);
    expect(http.calls).toHaveLength(4);
  });

  it('polls with POLLING_RETRY: up to 40 attempts for status and logs', async () => {
    const { http, client } = setup(Array.from({ length: 100 }, () => statusError(503)));
    await expect(client.getDeploymentLogs(ref, 't')).rejects.toThrow('Reading the deployment logs failed: Pulumi Cloud answered 503');
    expect(http.calls).toHaveLength(POLLING_RETRY.maxAttempts);
  });

  it('uses DEFAULT_RETRY (4 attempts) for updates', async () => {
    const { http, client } = setup(Array.from({ length: 10 }, () => statusError(500)));
    await expect(client.getDeploymentUpdates(ref)).rejects.toThrow('Reading the deployment updates failed: Pulumi Cloud answered 500');
    expect(http.calls).toHaveLength(4);
  });

  it('retries a GET after a connection reset', async () => {
    const { http, client } = setup([networkError('ECONNRESET', 'socket hang up', true), { body: dep('running') }]);
    expect(await client.getDeployment(ref)).toEqual(dep('running'));
    expect(http.calls).toHaveLength(2);
  });

  it.each([400, 403, 404, 409, 422])('does not retry a GET answered %i', async (status) => {
    const { http, client, tokens } = setup([statusError(status, { code: status, message: 'nope' })]);
    await expect(client.getDeployment(ref)).rejects.toThrow(`Reading the deployment failed: Pulumi Cloud answered ${status}: nope`);
    expect(http.calls).toHaveLength(1);
    expect(tokens.refresh).not.toHaveBeenCalled();
  });

  it('retries a cancel answered 500 (cancelling twice is harmless)', async () => {
    const { http, client } = setup([statusError(500), { body: undefined }]);
    await client.cancelDeployment(ref);
    expect(http.calls).toHaveLength(2);
  });

  it('bounds a cancel by the policy given', async () => {
    const { http, client } = setup(Array.from({ length: 10 }, () => statusError(503)));
    await expect(client.cancelDeployment(ref, { ...DEFAULT_RETRY, maxAttempts: 2 })).rejects.toThrow('Cancelling the deployment failed: Pulumi Cloud answered 503');
    expect(http.calls).toHaveLength(2);
  });

  it('does not retry once the signal is aborted', async () => {
    const { http, client } = setup([statusError(503), { body: {} }]);
    const controller = new AbortController();
    controller.abort();
    await expect(client.getDeployment(ref, controller.signal)).rejects.toThrow('Reading the deployment failed: Pulumi Cloud answered 503');
    expect(http.calls).toHaveLength(1);
  });

  it('reports retries to onRetry with the described error', async () => {
    const onRetry = vi.fn();
    const { client } = setup([statusError(503, { message: 'busy' }, 'r-1', 0), { body: dep('running') }], {}, { onRetry });
    await client.getDeployment(ref);
    expect(onRetry).toHaveBeenCalledTimes(1);
    const info = onRetry.mock.calls[0]![0] as { attempt: number; delayMs: number; error: Error };
    expect(info.attempt).toBe(1);
    expect(info.delayMs).toBe(0);
    expect(info.error.message).toBe('Reading the deployment failed: Pulumi Cloud answered 503: busy (request id r-1)');
  });
});

describe('401 and token refresh', () => {
  it('refreshes the token once and retries with the new token', async () => {
    const { http, client, tokens, sleeps } = setup([statusError(401, { code: 401, message: 'Unauthorized' }), { body: dep('running') }]);
    expect(await client.getDeployment(ref)).toEqual(dep('running'));
    expect(tokens.refresh.mock.calls).toEqual([['Pulumi Cloud answered 401', 'tok-1']]);
    expect(http.calls.map((c) => c.headers.Authorization)).toEqual(['token tok-1', 'token tok-2']);
    // Resent at once, in the same attempt: no backoff for a 401.
    expect(sleeps).toEqual([]);
  });

  it('gives up after a second 401: exactly one refresh, two requests', async () => {
    const { http, client, tokens } = setup([
      statusError(401, { code: 401, message: 'Unauthorized: token expired' }, 'req-1'),
      statusError(401, { code: 401, message: 'Unauthorized: token expired' }, 'req-2'),
    ]);
    const failure = await client.getDeployment(ref).catch((e: unknown) => e);
    expect((failure as Error).message).toBe('Reading the deployment failed: Pulumi Cloud answered 401: Unauthorized: token expired (request id req-2)');
    expect(tokens.refresh).toHaveBeenCalledTimes(1);
    expect(http.calls).toHaveLength(2);
  });

  it('refreshes at most once per call, even with server errors in between', async () => {
    const { http, client, tokens } = setup([statusError(401), statusError(500), statusError(401, { message: 'still no' })]);
    await expect(client.getDeployment(ref)).rejects.toThrow('Reading the deployment failed: Pulumi Cloud answered 401: still no');
    expect(tokens.refresh).toHaveBeenCalledTimes(1);
    expect(http.calls).toHaveLength(3);
  });

  it('retries a create rejected with 401 once, after refreshing', async () => {
    const { http, client, tokens } = setup([statusError(401), { body: created }]);
    expect(await client.createDeployment(stack, createBody)).toEqual(created);
    expect(tokens.refresh).toHaveBeenCalledTimes(1);
    expect(http.calls.map((c) => c.headers.Authorization)).toEqual(['token tok-1', 'token tok-2']);
    expect(http.calls[1]!.body).toBe(http.calls[0]!.body);
  });

  it('each call gets its own single refresh', async () => {
    const { client, tokens } = setup([statusError(401), { body: dep('running') }, statusError(401), { body: dep('running') }]);
    await client.getDeployment(ref);
    await client.getDeployment(ref);
    expect(tokens.refresh).toHaveBeenCalledTimes(2);
  });

  it('fails with the refresh error when the refresh fails', async () => {
    const { http, client, tokens } = setup([statusError(401)]);
    tokens.refresh.mockRejectedValueOnce(new Error('Token exchange failed: Pulumi Cloud answered 403: forbidden'));
    await expect(client.getDeployment(ref)).rejects.toThrow('Token exchange failed: Pulumi Cloud answered 403: forbidden');
    expect(http.calls).toHaveLength(1);
  });
});

describe('create is never sent twice when it may have reached the server', () => {
  it.each([
    ['a connection reset', () => networkError('ECONNRESET', 'socket hang up', true)],
    ['a broken pipe', () => networkError('EPIPE', 'write EPIPE', true)],
    ['a timeout', () => new HttpError('POST /api/stacks/acme/app/dev/deployments', { kind: 'timeout', afterMs: 30_000 })],
    ['a cut-off body', () => new HttpError('POST /api/stacks/acme/app/dev/deployments', { kind: 'body', status: 200, problem: 'not-json' })],
  ])('does not retry after %s', async (_name, make) => {
    const { http, client } = setup([make(), { body: created }]);
    await expect(client.createDeployment(stack, createBody)).rejects.toThrow(/^Creating the deployment failed: POST \/api\/stacks\/acme\/app\/dev\/deployments /);
    expect(http.calls).toHaveLength(1);
  });

  it.each([500, 502, 503, 429])('does not retry a create answered %i', async (status) => {
    const { http, client } = setup([statusError(status, { code: status, message: 'oops' }, 'req-c'), { body: created }]);
    await expect(client.createDeployment(stack, createBody)).rejects.toThrow(`Creating the deployment failed: Pulumi Cloud answered ${status}: oops (request id req-c)`);
    expect(http.calls).toHaveLength(1);
  });

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])('retries a create that never left (%s)', async (code) => {
    const { http, client } = setup([networkError(code, 'connect failed', false), networkError(code, 'connect failed', false), { body: created }]);
    expect(await client.createDeployment(stack, createBody)).toEqual(created);
    expect(http.calls).toHaveLength(3);
    expect(new Set(http.calls.map((c) => c.body)).size).toBe(1);
  });

  it('gives the network failure in the message', async () => {
    const { client } = setup([networkError('ECONNRESET', 'socket hang up', true)]);
    await expect(client.createDeployment(stack, createBody)).rejects.toThrow('Creating the deployment failed: POST /api/stacks/acme/app/dev/deployments failed: ECONNRESET');
  });
});

describe('error messages', () => {
  const cases: [string, unknown, string | undefined, string][] = [
    [
      'OAuth error + description',
      { error: 'invalid_client', error_description: 'unknown issuer' },
      'r-1',
      'Pulumi Cloud answered 404: invalid_client: unknown issuer (request id r-1)',
    ],
    ['OAuth error only', { error: 'invalid_grant' }, undefined, 'Pulumi Cloud answered 404: invalid_grant'],
    ['API code + message', { code: 404, message: 'Stack acme/app/dev not found' }, 'r-2', 'Pulumi Cloud answered 404: Stack acme/app/dev not found (request id r-2)'],
    [
      'errors array',
      { message: 'validation failed', errors: [{ message: 'operation is required' }, { nope: 1 }, { message: 'bad branch' }] },
      undefined,
      'Pulumi Cloud answered 404: validation failed: operation is required: bad branch',
    ],
    ['text body', '  upstream connect error  ', 'r-3', 'Pulumi Cloud answered 404: upstream connect error (request id r-3)'],
    ['no body', undefined, undefined, 'Pulumi Cloud answered 404'],
    ['empty object', {}, 'r-4', 'Pulumi Cloud answered 404 (request id r-4)'],
    ['null fields', { error: null, message: undefined, error_description: '' }, undefined, 'Pulumi Cloud answered 404'],
    ['non-string fields', { error: { nested: true }, message: 42 }, undefined, 'Pulumi Cloud answered 404'],
  ];

  it.each(cases)('%s', async (_name, body, requestId, expected) => {
    const { client } = setup([statusError(404, body, requestId)]);
    const failure = await client.getDeployment(ref).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PulumiCloudError);
    expect((failure as Error).message).toBe(`Reading the deployment failed: ${expected}`);
    expect((failure as Error).message).not.toContain('undefined');
    expect((failure as Error).message).not.toContain('null');
    expect((failure as PulumiCloudError).requestId).toBe(requestId);
  });

  it('cuts a long text body to 300 characters and says how much was cut', async () => {
    const { client } = setup([statusError(502, `<html>${'x'.repeat(1_000)}</html>`)]);
    const failure = await client.createDeployment(stack, createBody).catch((e: unknown) => e);
    expect((failure as Error).message).toBe(`Creating the deployment failed: Pulumi Cloud answered 502: <html>${'x'.repeat(294)}… (713 more characters)`);
  });

  it('passes non-HTTP errors through unchanged', async () => {
    const { http, client } = setup();
    const boom = new TypeError('boom');
    http.request.mockRejectedValueOnce(boom);
    await expect(client.getDeployment(ref)).rejects.toBe(boom);
  });

  it('wraps a thrown non-Error in an Error', async () => {
    const { http, client } = setup();
    http.request.mockRejectedValueOnce('just a string');
    const failure = await client.getDeployment(ref).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe('just a string');
  });
});

describe('serviceReason', () => {
  it.each([
    [{ error: 'a', error_description: 'b' }, 'a: b'],
    [{ code: 400, message: 'm' }, 'm'],
    [{ error: 'e', message: 'm', errors: [{ message: 'x' }] }, 'e: m: x'],
    ['  text  ', 'text'],
    [null, ''],
    [undefined, ''],
    [42, ''],
    [[], ''],
    [{ errors: 'not an array' }, ''],
  ])('%j -> %j', (body, expected) => {
    expect(serviceReason(body)).toBe(expected);
  });
});
