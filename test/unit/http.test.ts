// JsonHttp against real local servers: each request has an overall deadline, a size cap, can be
// aborted, and reports what went wrong as typed data (never by message text).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpError, JsonHttp } from '../../src/cloud/http.js';
import { retryDecision } from '../../src/cloud/retry.js';

const servers: Array<Server | HttpsServer> = [];
const clients: JsonHttp[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.dispose();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, host = '127.0.0.1'): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

function client(timeoutMs = 2_000): JsonHttp {
  const c = new JsonHttp('test', timeoutMs);
  clients.push(c);
  return c;
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => (e instanceof HttpError ? e.failure : e),
  );

describe('JsonHttp', () => {
  it('reads JSON and the request id', async () => {
    const url = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'x-pulumi-request-id': 'r-1' }).end('{"ok":true}'));
    expect(await client().request('GET', `${url}/x`, undefined, {})).toEqual({ status: 200, body: { ok: true }, requestId: 'r-1' });
  });

  it('reaches an IPv6 loopback cloud-url (http://[::1]:PORT)', async (ctx) => {
    let url: string;
    try {
      url = await serve((_req, res) => res.writeHead(200).end('{"v6":true}'), '::1');
    } catch {
      return ctx.skip(); // no IPv6 loopback on this machine
    }
    expect((await client().request('GET', `${url}/x`, undefined, {})).body).toEqual({ v6: true });
  });

  it('bounds a body that trickles a byte at a time by an overall deadline', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    expect(await failureOf(client(400).request('GET', `${url}/x`, undefined, {}))).toEqual({ kind: 'timeout', afterMs: 400 });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('stops at once when the caller aborts', async () => {
    const url = await serve(() => {});
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect(await failureOf(client().request('GET', `${url}/x`, undefined, {}, { signal: controller.signal }))).toEqual({ kind: 'aborted' });
  });

  it('refuses a body over the cap, declared or streamed', async () => {
    const declared = await serve((_req, res) => res.writeHead(200, { 'content-length': '5000' }).end('x'.repeat(5000)));
    const streamed = await serve((_req, res) => {
      res.writeHead(200);
      res.write('x'.repeat(3000));
      res.end('x'.repeat(3000));
    });
    expect(await failureOf(client().request('GET', `${declared}/x`, undefined, {}, { maxBytes: 1024 }))).toMatchObject({ kind: 'too-large', status: 200, maxBytes: 1024 });
    expect(await failureOf(client().request('GET', `${streamed}/x`, undefined, {}, { maxBytes: 1024 }))).toMatchObject({ kind: 'too-large' });
  });

  it('names an empty or non-JSON 2xx body, with the request id', async () => {
    const empty = await serve((_req, res) => res.writeHead(200, { 'x-pulumi-request-id': 'r-2' }).end());
    const html = await serve((_req, res) => res.writeHead(200).end('<html>'));
    const e = await client()
      .request('GET', `${empty}/api/x`, undefined, {})
      .catch((error: unknown) => error);
    expect((e as HttpError).failure).toEqual({ kind: 'body', status: 200, requestId: 'r-2', problem: 'empty' });
    expect((e as HttpError).message).toBe('GET /api/x answered 200 with an empty body (request id r-2)');
    expect(await failureOf(client().request('GET', `${html}/x`, undefined, {}))).toMatchObject({ kind: 'body', problem: 'not-json' });
    // Where an empty answer is fine (cancel), it is.
    expect((await client().request('POST', `${empty}/x`, undefined, {}, { allowEmpty: true })).status).toBe(200);
  });

  it('gives the status, the parsed body and Retry-After of a non-2xx', async () => {
    const url = await serve((_req, res) => res.writeHead(429, { 'retry-after': '3' }).end('{"message":"slow down"}'));
    expect(await failureOf(client().request('GET', `${url}/x`, undefined, {}))).toEqual({
      kind: 'status',
      status: 429,
      body: { message: 'slow down' },
      requestId: undefined,
      retryAfterMs: 3_000,
    });
  });

  it('says a refused connection never reached the server', async () => {
    const url = await serve(() => {});
    await new Promise((r) => servers.pop()!.close(r));
    expect(await failureOf(client().request('POST', `${url}/x`, '{}', {}))).toEqual({ kind: 'network', code: 'ECONNREFUSED', reachedServer: false });
  });

  it('says a connection cut mid-body may have reached the server', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"a":');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    expect(await failureOf(client().request('GET', `${url}/x`, undefined, {}))).toEqual({ kind: 'network', code: 'ECONNRESET', reachedServer: true });
  });
});

describe('JsonHttp over TLS with a certificate this machine does not trust', () => {
  it('says so in words (and how to fix it), with the code, as a network failure that is not retried', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tls-'));
    try {
      // A self-signed certificate: Node answers DEPTH_ZERO_SELF_SIGNED_CERT.
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'],
        {
          stdio: 'ignore',
        },
      );
      const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => res.end('{}'));
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const error = await client()
        .request('GET', `https://127.0.0.1:${port}/x`, undefined, {})
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).failure).toMatchObject({ kind: 'network', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
      expect((error as Error).message).toBe(
        "GET /x failed: the server's certificate is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT); if a proxy or a private CA signs it, set NODE_EXTRA_CA_CERTS to your CA bundle",
      );
      expect(retryDecision(error, 'idempotent').retry).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
