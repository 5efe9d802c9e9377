// The test proxy: CONNECT tunnels and plain forwarding to *.localhost only.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { HttpClient } from '@actions/http-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startProxy, type ProxyHandle } from '../../emulators/proxy/proxy.mjs';

// An upstream that echoes what it received.
let upstream: http.Server;
let upstreamPort: number;
const seen: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, url: req.url, host: req.headers.host, body }));
    });
  });
  await new Promise<void>((ok) => upstream.listen(0, '127.0.0.1', ok));
  upstreamPort = (upstream.address() as AddressInfo).port;
});
afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise((ok) => upstream.close(ok));
});

let proxy: ProxyHandle;
afterEach(async () => {
  await proxy?.close();
  seen.length = 0;
});

function connect(target: string): Promise<{ status: number; socket: Socket; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: proxy.port, method: 'CONNECT', path: target, agent: false });
    req.on('connect', (res, socket, head) => {
      // Bytes after the response head (a refusal's body) may already be in `head`.
      let body = head.toString('utf8');
      if (res.statusCode !== 200) {
        socket.setEncoding('utf8');
        socket.on('data', (c) => (body += c));
        socket.on('end', () => resolve({ status: res.statusCode ?? 0, socket, body }));
      } else resolve({ status: 200, socket, body });
    });
    req.on('error', reject);
    req.end();
  });
}

function request(opts: http.RequestOptions, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent: false, ...opts }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('proxy', () => {
  it('tunnels CONNECT to *.localhost via 127.0.0.1', async () => {
    proxy = await startProxy();
    const target = `pulumi.localhost:${upstreamPort}`;
    const tunnel = await connect(target);
    expect(tunnel.status).toBe(200);
    const res = await request({ agent: undefined, createConnection: () => tunnel.socket, host: 'pulumi.localhost', port: upstreamPort, path: '/api/user' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ url: '/api/user', host: target });
    expect(proxy.requests).toMatchObject([{ method: 'CONNECT', target, host: 'pulumi.localhost', port: upstreamPort, status: 200 }]);
    expect(typeof proxy.requests[0]!.at).toBe('number');
  });

  it('forwards absolute-URI plain HTTP requests without hop-by-hop headers', async () => {
    proxy = await startProxy();
    const url = `http://pulumi.localhost:${upstreamPort}/api/stacks?x=1`;
    const res = await request(
      {
        host: '127.0.0.1',
        port: proxy.port,
        method: 'POST',
        path: url,
        headers: { 'proxy-authorization': 'Basic c2VjcmV0', 'content-type': 'text/plain', authorization: 'token abc' },
      },
      'hello body',
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ method: 'POST', url: '/api/stacks?x=1', host: `pulumi.localhost:${upstreamPort}`, body: 'hello body' });
    expect(seen[0]!.headers['proxy-authorization']).toBeUndefined();
    expect(seen[0]!.headers.authorization).toBe('token abc');
    expect(proxy.requests).toMatchObject([{ method: 'POST', target: url, status: 200 }]);
  });

  it('refuses every host that is not *.localhost with 403, without connecting', async () => {
    proxy = await startProxy();
    for (const target of ['api.pulumi.com:443', `localhost:${upstreamPort}`, `127.0.0.1:${upstreamPort}`, 'localhost.evil.com:443']) {
      const r = await connect(target);
      expect(r.status, target).toBe(403);
      expect(r.body).toContain('only *.localhost');
    }
    const plain = await request({ host: '127.0.0.1', port: proxy.port, path: 'http://example.com/' });
    expect(plain.status).toBe(403);
    expect(seen).toHaveLength(0);
    expect(proxy.requests.every((r) => r.status === 403)).toBe(true);
  });

  it('refuses a custom resolver answer that is not loopback', async () => {
    proxy = await startProxy({ resolve: () => '10.1.2.3' });
    expect((await connect('pulumi.localhost:443')).status).toBe(403);
  });

  it('answers 502 when the *.localhost port is closed, 400 for origin-form requests', async () => {
    proxy = await startProxy();
    const probe = http.createServer();
    await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise((ok) => probe.close(ok));
    expect((await connect(`pulumi.localhost:${closedPort}`)).status).toBe(502);
    expect((await request({ host: '127.0.0.1', port: proxy.port, path: '/relative' })).status).toBe(400);
  });

  it('is what @actions/http-client uses for http://pulumi.localhost with HTTP_PROXY set', async () => {
    proxy = await startProxy();
    const saved = process.env.http_proxy;
    process.env.http_proxy = proxy.url;
    try {
      const client = new HttpClient('proxy-test');
      const res = await client.get(`http://pulumi.localhost:${upstreamPort}/via-http-client`);
      expect(res.message.statusCode).toBe(200);
      expect(JSON.parse(await res.readBody()).url).toBe('/via-http-client');
      client.dispose();
    } finally {
      if (saved === undefined) delete process.env.http_proxy;
      else process.env.http_proxy = saved;
    }
    expect(proxy.requests.map((r) => r.target)).toContain(`pulumi.localhost:${upstreamPort}`);
  });
});
