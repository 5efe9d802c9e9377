import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { longRunning, quickSuccess } from '../../emulators/pulumi-cloud/scenarios.mjs';
import { checkRule, hugeErrorBody } from '../../emulators/lib/faults.mjs';
import { validateResponse } from '../support/openapi-contract.js';
import { accessToken, call, createDeployment, DEPLOYMENTS, sleep, startEmulators, until, type Emulators } from './harness.js';

/** Raw HTTP GET: the status, headers and exactly the bytes received, or the socket error. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status?: number; headers?: Record<string, unknown>; body: string; error?: string }> {
  return new Promise((resolve) => {
    let body = '';
    let status: number | undefined;
    let head: Record<string, unknown> | undefined;
    const req = request(url, { headers, agent: false }, (res) => {
      status = res.statusCode;
      head = res.headers;
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status, headers: head, body }));
      res.on('error', (err) => resolve({ status, headers: head, body, error: (err as NodeJS.ErrnoException).code ?? err.message }));
    });
    req.on('error', (err) => resolve({ status, headers: head, body, error: (err as NodeJS.ErrnoException).code ?? err.message }));
    req.end();
  });
}

describe('fault rules', () => {
  let em: Emulators;
  let token: string;
  let auth: Record<string, string>;
  beforeAll(async () => {
    em = await startEmulators({ timeScale: 5, scenario: longRunning(30_000) });
    token = await accessToken(em);
    auth = { Authorization: `token ${token}` };
  });
  beforeEach(() => em.cloud.setFaults([]));
  afterAll(async () => {
    await em.close();
  });

  it('answers chosen calls with a status, body and headers (spec-shaped error bodies)', async () => {
    const { body } = await createDeployment(em.cloud, token);
    em.cloud.setFaults([{ endpoint: 'get', calls: [1, 3], status: 429, headers: { 'Retry-After': '2' } }]);
    const path = `${DEPLOYMENTS}/${body.id}`;
    const r1 = await call(em.cloud, 'GET', path, { token });
    expect(r1.status).toBe(429);
    expect(r1.headers.get('retry-after')).toBe('2');
    expect(r1.body).toEqual({ code: 429, message: expect.any(String) });
    expect((await call(em.cloud, 'GET', path, { token })).status).toBe(200);
    expect((await call(em.cloud, 'GET', path, { token })).status).toBe(429);
    expect((await call(em.cloud, 'GET', path, { token })).status).toBe(200);
    expect(
      em.cloud.requests
        .filter((r) => r.endpoint === 'get')
        .slice(-4)
        .map((r) => r.status),
    ).toEqual([429, 200, 429, 200]);
  });

  it('limits a rule with times, and uses RFC 6749 bodies on the token endpoint', async () => {
    em.cloud.setFaults([{ endpoint: 'token', times: 2, status: 403 }]);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${em.cloud.url}/api/oauth/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      const parsed = await res.json();
      expect(validateResponse('Token', res.status, parsed).errors).toEqual([]);
      statuses.push(res.status);
      if (i === 0) expect(parsed).toEqual({ error: 'access_denied', error_description: expect.any(String) });
    }
    expect(statuses).toEqual([403, 403, 400]);
  });

  it("'*' matches every endpoint; custom bodies are sent as given", async () => {
    em.cloud.setFaults([{ endpoint: '*', calls: [2], status: 500, body: { code: 500, message: 'boom' } }]);
    expect((await call(em.cloud, 'GET', '/api/user', { token })).status).toBe(200);
    const second = await call(em.cloud, 'GET', '/api/user', { token });
    expect(second.body).toEqual({ code: 500, message: 'boom' });
  });

  it('reset before-response drops the connection and does not run the handler', async () => {
    const before = em.cloud.deployments.size;
    em.cloud.setFaults([{ endpoint: 'create', calls: [1], reset: 'before-response' }]);
    await expect(
      fetch(`${em.cloud.url}${DEPLOYMENTS}`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"operation":"update"}' }),
    ).rejects.toThrow();
    expect(em.cloud.deployments.size).toBe(before);
    expect(em.cloud.requests.at(-1)).toMatchObject({ endpoint: 'create', status: 'reset' });
  });

  it('mid-body sends headers and half the real body, then drops (the create did happen)', async () => {
    const before = em.cloud.deployments.size;
    em.cloud.setFaults([{ endpoint: 'create', reset: 'mid-body' }]);
    const res = await fetch(`${em.cloud.url}${DEPLOYMENTS}`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"operation":"update"}' });
    expect(res.status).toBe(202);
    await expect(res.text()).rejects.toThrow();
    expect(em.cloud.deployments.size).toBe(before + 1);
  });

  it('truncate sends a well-framed 200 whose JSON is cut in half', async () => {
    const { body } = await createDeployment(em.cloud, token);
    em.cloud.setFaults([{ endpoint: 'get', calls: [1], truncate: true }]);
    const res = await rawGet(`${em.cloud.url}${DEPLOYMENTS}/${body.id}`, auth);
    expect(res.error).toBeUndefined();
    expect(res.status).toBe(200);
    expect(Number(res.headers!['content-length'])).toBe(Buffer.byteLength(res.body));
    expect(() => JSON.parse(res.body)).toThrow();
    expect(res.body.startsWith('{"id":')).toBe(true);
    const full = await call(em.cloud, 'GET', `${DEPLOYMENTS}/${body.id}`, { token });
    expect(JSON.stringify(full.body).length).toBeGreaterThan(res.body.length);
  });

  it('delayMs waits, then answers normally', async () => {
    em.cloud.setFaults([{ endpoint: 'user', delayMs: 300 }]);
    const start = Date.now();
    const res = await call(em.cloud, 'GET', '/api/user', { token });
    expect(res.status).toBe(200);
    expect(Date.now() - start).toBeGreaterThanOrEqual(280);
  });

  it('delayMs with a status waits, then fails', async () => {
    em.cloud.setFaults([{ endpoint: 'user', delayMs: 100, status: 503 }]);
    const start = Date.now();
    expect((await call(em.cloud, 'GET', '/api/user', { token })).status).toBe(503);
    expect(Date.now() - start).toBeGreaterThanOrEqual(90);
  });

  it('rejects unknown rule fields', () => {
    expect(() => em.cloud.setFaults([{ endpoint: 'get', stauts: 500 } as never])).toThrow(/stauts/);
  });

  it('goDown closes the port and open connections, then comes back on the same port', async () => {
    const { body } = await createDeployment(em.cloud, token);
    // An in-flight (delayed) request is cut by the outage.
    em.cloud.setFaults([{ endpoint: 'get', calls: [1], delayMs: 2000 }]);
    const before = em.cloud.requests.length;
    const inFlight = fetch(`${em.cloud.url}${DEPLOYMENTS}/${body.id}`, { headers: auth }).then(
      (r) => r.status,
      () => 'failed',
    );
    await until('the delayed get to arrive', () => em.cloud.requests.slice(before).some((r) => r.endpoint === 'get'));
    await em.cloud.goDown(400);
    expect(await inFlight).toBe('failed');
    const refused = await fetch(`${em.cloud.url}/api/user`, { headers: auth }).then(
      () => 'answered',
      (err: Error & { cause?: { code?: string } }) => err.cause?.code,
    );
    expect(refused).toBe('ECONNREFUSED');
    await em.cloud.waitUntilUp();
    const res = await call(em.cloud, 'GET', `${DEPLOYMENTS}/${body.id}`, { token });
    expect(res.status).toBe(200);
    // State survives the outage.
    expect(res.body.id).toBe(body.id);
  });

  it('applies to the GitHub emulator with the same rule shape', async () => {
    em.gh.setFaults([{ endpoint: 'idtoken', calls: [1], reset: 'before-response' }]);
    const url = `${em.gh.idTokenRequestUrl}&audience=urn:pulumi:org:acme`;
    const headers = { Authorization: `Bearer ${em.gh.idTokenRequestToken}` };
    await expect(fetch(url, { headers })).rejects.toThrow();
    expect((await fetch(url, { headers })).status).toBe(200);
    em.gh.setFaults([]);
  });
});

/** Raw GET that records when each chunk arrived; stops after `stopAfterChunks` chunks (destroying the socket). */
function timedGet(
  url: string,
  headers: Record<string, string>,
  stopAfterChunks: number,
): Promise<{ status?: number; headers?: Record<string, unknown>; chunks: { at: number; bytes: number }[]; body: string; ended: boolean }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const chunks: { at: number; bytes: number }[] = [];
    let body = '';
    const req = request(url, { headers, agent: false }, (res) => {
      res.on('data', (c: Buffer) => {
        chunks.push({ at: Date.now() - started, bytes: c.length });
        body += c.toString('utf8');
        if (chunks.length === stopAfterChunks) {
          req.destroy();
          resolve({ status: res.statusCode, headers: res.headers, chunks, body, ended: false });
        }
      });
      res.on('end', () => {
        resolve({ status: res.statusCode, headers: res.headers, chunks, body, ended: true });
      });
    });
    req.on('error', () => undefined);
    req.end();
  });
}

describe('hostile-service fault kinds', () => {
  let em: Emulators;
  let token: string;
  let auth: Record<string, string>;
  beforeAll(async () => {
    em = await startEmulators({ timeScale: 20, scenario: quickSuccess });
    token = await accessToken(em);
    auth = { Authorization: `token ${token}` };
  });
  beforeEach(() => {
    em.cloud.setFaults([]);
    em.cloud.setHostile({});
  });
  afterAll(async () => {
    await em.close();
  });

  it('trickle sends the real body a few bytes at a time, never idle for longer than intervalMs', async () => {
    const { body } = await createDeployment(em.cloud, token);
    em.cloud.setFaults([{ endpoint: 'get', trickle: { bytesPerChunk: 4, intervalMs: 40 } }]);
    // Stops on a count of chunks, not a time: a loaded machine gets fewer chunks into any window.
    const res = await timedGet(`${em.cloud.url}${DEPLOYMENTS}/${body.id}`, auth, 15);
    expect(res.status).toBe(200);
    expect(res.ended).toBe(false); // 15 chunks of at most 4 bytes: far from the ~400-byte body
    expect(Number(res.headers!['content-length'])).toBeGreaterThan(300);
    expect(res.chunks.length).toBe(15);
    expect(res.chunks.every((c) => c.bytes <= 4)).toBe(true);
    const gaps = res.chunks.slice(1).map((c, i) => c.at - res.chunks[i]!.at);
    // The median: one stall of this process's event loop on a loaded machine (316 ms seen) is not the emulator idling.
    const medianGap = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)]!;
    expect(medianGap).toBeLessThan(200);
    expect(res.body.startsWith('{"id":"')).toBe(true);
    const last = em.cloud.requests.at(-1)!;
    expect(last.endpoint).toBe('get');
    await until('the trickle to notice the client left', () => last.status !== 'trickle-200');
    expect(last.status).toBe('client-gone');
  });

  it('rawBody sends a 200 claimed as JSON that is empty or not JSON; the handler still runs (the create happened)', async () => {
    const before = em.cloud.deployments.size;
    em.cloud.setFaults([
      { endpoint: 'create', calls: [1], rawBody: '' },
      { endpoint: 'create', calls: [2], rawBody: '<html>Gateway</html>' },
    ]);
    const post = () => fetch(`${em.cloud.url}${DEPLOYMENTS}`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"operation":"update"}' });
    const empty = await post();
    expect(empty.status).toBe(200);
    expect(empty.headers.get('content-type')).toBe('application/json');
    expect(empty.headers.get('x-pulumi-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await empty.text()).toBe('');
    const html = await post();
    expect(await html.text()).toBe('<html>Gateway</html>');
    expect(em.cloud.deployments.size).toBe(before + 2);
    // with a status, the handler does not run
    em.cloud.setFaults([{ endpoint: 'create', status: 502, rawBody: 'Bad Gateway' }]);
    const bad = await post();
    expect([bad.status, await bad.text()]).toEqual([502, 'Bad Gateway']);
    expect(em.cloud.deployments.size).toBe(before + 2);
  });

  it('oversize pads the real JSON past a size, with or without Content-Length', async () => {
    const { body } = await createDeployment(em.cloud, token);
    const bytes = 2 * 1024 * 1024;
    em.cloud.setFaults([
      { endpoint: 'get', calls: [1], oversize: bytes },
      { endpoint: 'get', calls: [2], oversize: { bytes, chunked: true } },
    ]);
    const declared = await rawGet(`${em.cloud.url}${DEPLOYMENTS}/${body.id}`, auth);
    expect(Number(declared.headers!['content-length'])).toBe(bytes);
    expect(Buffer.byteLength(declared.body)).toBe(bytes);
    expect(JSON.parse(declared.body).id).toBe(body.id); // still valid JSON: only a size cap refuses it
    const chunked = await rawGet(`${em.cloud.url}${DEPLOYMENTS}/${body.id}`, auth);
    expect(chunked.headers!['content-length']).toBeUndefined();
    expect(chunked.headers!['transfer-encoding']).toBe('chunked');
    expect(Buffer.byteLength(chunked.body)).toBe(bytes);
  });

  it('lateMs runs the handler at once and answers late; a client gone by then leaves the deployment created', async () => {
    const before = em.cloud.deployments.size;
    em.cloud.setFaults([{ endpoint: 'create', lateMs: 2000 }]);
    const aborted = fetch(`${em.cloud.url}${DEPLOYMENTS}`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: '{"operation":"update"}',
      signal: AbortSignal.timeout(200),
    });
    await expect(aborted).rejects.toThrow();
    expect(em.cloud.deployments.size).toBe(before + 1);
    // delayMs, by contrast, waits first: the same abort leaves nothing created
    em.cloud.setFaults([{ endpoint: 'create', delayMs: 400 }]);
    const delayedFrom = em.cloud.requests.length;
    await expect(
      fetch(`${em.cloud.url}${DEPLOYMENTS}`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: '{"operation":"update"}',
        signal: AbortSignal.timeout(100),
      }),
    ).rejects.toThrow();
    await until('the delayed create to give up', () => em.cloud.requests.slice(delayedFrom).some((r) => r.endpoint === 'create' && r.status === 'client-gone'));
    expect(em.cloud.deployments.size).toBe(before + 1);
  });

  it('checks the new rule fields', () => {
    expect(() => checkRule({ endpoint: 'get', trickle: { bytesPerChunk: 0, intervalMs: 10 } })).toThrow(/trickle/);
    expect(() => checkRule({ endpoint: 'get', rawBody: 3 as never })).toThrow(/rawBody/);
    expect(() => checkRule({ endpoint: 'get', oversize: -1 })).toThrow(/oversize/);
    expect(() => checkRule({ endpoint: 'get', oversize: 10, truncate: true })).toThrow(/cannot be combined/);
    expect(hugeErrorBody(500, 4).message).toBe('xxxx');
  });

  it('hostile fields: an id and consoleUrl of our choice, a status outside the enum', async () => {
    em.cloud.setHostile({ id: '..', consoleUrl: 'https://x\n::set-output name=x::y' });
    const res = await fetch(`${em.cloud.url}${DEPLOYMENTS}`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"operation":"update"}' });
    expect(await res.json()).toMatchObject({ id: '..', consoleUrl: 'https://x\n::set-output name=x::y' });
    const real = [...em.cloud.deployments.values()].at(-1)!;
    em.cloud.setHostile({ status: 'running\r##[stop-commands]x' });
    const got = await fetch(`${em.cloud.url}${DEPLOYMENTS}/${real.id}`, { headers: auth }).then((r) => r.json() as Promise<any>);
    expect(got.status).toBe('running\r##[stop-commands]x');
    expect(em.cloud.requests.at(-1)!.hostile).toBe('status');
    const list = await fetch(`${em.cloud.url}${DEPLOYMENTS}`, { headers: auth }).then((r) => r.json() as Promise<any>);
    expect(list.deployments[0].status).toBe('running\r##[stop-commands]x');
  });

  it('endless logs: after the end, every page has a new nextToken (and one line with "lines")', async () => {
    const { body } = await createDeployment(em.cloud, token);
    const d = em.cloud.deployments.get(body.id)!;
    await sleep(Math.max(0, d.endsAt - Date.now()) + 20);
    const path = `${DEPLOYMENTS}/${body.id}/logs`;
    const all = await call(em.cloud, 'GET', path, { token });
    expect(all.body.nextToken).toBeUndefined(); // an honest stream ends
    em.cloud.setHostile({ endlessLogs: 'lines' });
    const seen = new Set<string>();
    let next: string | undefined;
    for (let i = 0; i < 5; i++) {
      const page = await call(em.cloud, 'GET', `${path}${next ? `?continuationToken=${encodeURIComponent(next)}` : ''}`, { token });
      next = page.body.nextToken;
      expect(typeof next).toBe('string');
      seen.add(next!);
      if (i > 0) expect(page.body.lines).toEqual([{ timestamp: expect.any(String), line: expect.stringMatching(/^still streaming after the end \(\d+\)\n$/) }]);
    }
    expect(seen.size).toBe(5);
    em.cloud.setHostile({ endlessLogs: 'empty' });
    const empty = await call(em.cloud, 'GET', `${path}?continuationToken=${encodeURIComponent(next!)}`, { token });
    expect([empty.body.lines, typeof empty.body.nextToken]).toEqual([[], 'string']);
  });
});
