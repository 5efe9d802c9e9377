import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { longRunning } from '../../emulators/pulumi-cloud/scenarios.mjs';
import { validateResponse } from '../support/openapi-contract.js';
import { accessToken, call, createDeployment, DEPLOYMENTS, sleep, startEmulators, type Emulators } from './harness.js';

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
      res.on('data', (c: string) => { body += c; });
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
  afterAll(async () => { await em.close(); });

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
    expect(em.cloud.requests.filter((r) => r.endpoint === 'get').slice(-4).map((r) => r.status)).toEqual([429, 200, 429, 200]);
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
    await expect(fetch(`${em.cloud.url}${DEPLOYMENTS}`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"operation":"update"}' }))
      .rejects.toThrow();
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
    const inFlight = fetch(`${em.cloud.url}${DEPLOYMENTS}/${body.id}`, { headers: auth }).then((r) => r.status, () => 'failed');
    await sleep(50);
    await em.cloud.goDown(400);
    expect(await inFlight).toBe('failed');
    const refused = await fetch(`${em.cloud.url}/api/user`, { headers: auth }).then(() => 'answered', (err: Error & { cause?: { code?: string } }) => err.cause?.code);
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
