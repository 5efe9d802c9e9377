// A small HTTP proxy for proxy tests: CONNECT tunnels and absolute-URI
// forwarding of plain HTTP. It only ever connects to loopback addresses.
//
// Why: @actions/http-client never proxies loopback hosts (localhost, 127.*,
// [::1]), so tests point the action at http://pulumi.localhost:PORT and set
// HTTP(S)_PROXY to this proxy, which maps *.localhost to 127.0.0.1. Every other
// host is refused with 403, so a test can never reach the network through it.
import http from 'node:http';
import net from 'node:net';

/** Default resolver: `*.localhost` -> 127.0.0.1, everything else (even `localhost`, IP literals) refused (null). */
export function resolveLocalhost(host) {
  const h = String(host).toLowerCase().replace(/\.$/, '');
  return h.endsWith('.localhost') && h.length > '.localhost'.length ? '127.0.0.1' : null;
}

export function isLoopbackAddress(ip) {
  if (net.isIPv4(ip)) return ip.startsWith('127.');
  if (net.isIPv6(ip)) return ip === '::1' || ip === '0:0:0:0:0:0:0:1';
  return false;
}

// Hop-by-hop headers are for one connection only and must not be forwarded.
const HOP_BY_HOP = new Set(['connection', 'proxy-connection', 'keep-alive', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

function forwardable(headers) {
  const out = {};
  const listed = String(headers.connection ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase());
  for (const [k, v] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(k) && !listed.includes(k)) out[k] = v;
  }
  return out;
}

function splitHostPort(authority) {
  // `host:port` or `[v6]:port`
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(authority);
  if (!m) return null;
  return { host: m[1] ?? m[2], port: Number(m[3]) };
}

/**
 * @param {{port?: number, resolve?: (host: string) => string | null | undefined | Promise<string | null | undefined>}} [options]
 */
export async function startProxy({ port = 0, resolve = resolveLocalhost } = {}) {
  /** @type {{method: string, target: string, host: string, port: number, at: number, status: number | null}[]} */
  const requests = [];
  const sockets = new Set();
  const track = (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };

  // Returns a loopback IP for `host`, or null to refuse.
  const lookup = async (host) => {
    let ip;
    try {
      ip = await resolve(host);
    } catch {
      ip = null;
    }
    return ip && isLoopbackAddress(ip) ? ip : null;
  };

  const server = http.createServer(async (req, res) => {
    const record = { method: req.method, target: req.url, host: '', port: 0, at: Date.now(), status: null };
    requests.push(record);
    const reply = (status, text) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' });
      res.end(`${text}\n`);
    };
    let url;
    try {
      url = new URL(req.url);
    } catch {
      url = null;
    }
    if (!url || url.protocol !== 'http:') {
      reply(400, 'proxy: only absolute http:// URIs (or CONNECT) are supported');
      return;
    }
    record.host = url.hostname;
    record.port = Number(url.port || 80);
    const ip = await lookup(url.hostname.replace(/^\[|\]$/g, ''));
    if (!ip) {
      reply(403, `proxy: refusing ${url.host}: only *.localhost hosts are reachable`);
      return;
    }
    const upstream = http.request({
      host: ip,
      port: record.port,
      method: req.method,
      path: `${url.pathname}${url.search}`,
      headers: { ...forwardable(req.headers), host: url.host },
      agent: false,
    });
    upstream.on('response', (up) => {
      record.status = up.statusCode ?? null;
      res.writeHead(up.statusCode ?? 502, up.statusMessage, forwardable(up.headers));
      up.pipe(res);
    });
    upstream.on('error', (err) => {
      if (!res.headersSent) reply(502, `proxy: upstream error: ${err.message}`);
      else res.destroy(err);
    });
    req.pipe(upstream);
  });

  server.on('connection', track);
  server.on('connect', async (req, client, head) => {
    const record = { method: 'CONNECT', target: req.url, host: '', port: 0, at: Date.now(), status: null };
    requests.push(record);
    track(client);
    client.on('error', () => {});
    const answer = (status, text) => {
      record.status = status;
      const body = `${text}\n`;
      client.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    };
    const hp = splitHostPort(req.url ?? '');
    if (!hp) {
      answer(400, 'proxy: CONNECT needs host:port');
      return;
    }
    record.host = hp.host;
    record.port = hp.port;
    const ip = await lookup(hp.host);
    if (!ip) {
      answer(403, `proxy: refusing ${req.url}: only *.localhost hosts are reachable`);
      return;
    }
    const upstream = net.connect({ host: ip, port: hp.port });
    track(upstream);
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      record.status = 200;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head?.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', (err) => {
      if (!connected) answer(502, `proxy: cannot connect to ${req.url}: ${err.message}`);
      else client.destroy();
    });
    client.on('close', () => upstream.destroy());
  });

  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());

  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    requests,
    async close() {
      const closed = new Promise((ok) => server.close(() => ok(undefined)));
      for (const s of sockets) s.destroy();
      server.closeAllConnections?.();
      await closed;
    },
  };
}
