// Tiny JSON HTTP server shared by the emulators: routing, body parsing, request log,
// fault injection (see faults.mjs) and going down / coming back on the same port.
import { createServer } from 'node:http';
import { createFaultEngine } from './faults.mjs';

const HOST = '127.0.0.1';

/** A handler result: { status, body?, headers? }; object bodies are sent as JSON. */
export const json = (status, body, headers = {}) => ({ status, body, headers });

export function parseBody(raw, contentType = '') {
  const text = raw.toString('utf8');
  if (!text) return undefined;
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text);
  } catch {
    return text; // handlers decide whether a non-JSON body is an error
  }
}

function encode(result) {
  const headers = { ...result.headers };
  const lower = Object.fromEntries(Object.keys(headers).map((k) => [k.toLowerCase(), k]));
  let payload;
  if (result.body === undefined || result.body === null) payload = Buffer.alloc(0);
  else if (Buffer.isBuffer(result.body)) payload = result.body;
  else if (typeof result.body === 'string') {
    payload = Buffer.from(result.body);
    if (!lower['content-type']) headers['Content-Type'] = 'text/plain; charset=utf-8';
  } else {
    payload = Buffer.from(JSON.stringify(result.body));
    if (!lower['content-type']) headers['Content-Type'] = 'application/json; charset=utf-8';
  }
  return { status: result.status, headers, payload };
}

/**
 * route(method, pathname) -> { endpoint, handle(ctx) } | { endpoint, result } | null.
 * faultBody(endpoint, status) -> body for status-only fault rules.
 * commonHeaders() -> headers added to every response (e.g. a request id).
 */
export async function startJsonServer({ port = 0, route, faults = [], faultBody, commonHeaders = () => ({}), notFound = () => json(404, { code: 404, message: 'Not Found' }) }) {
  const engine = createFaultEngine(faults);
  const requests = [];
  const sockets = new Set();
  const timers = new Set();
  let closed = false;
  let reopenTimer = null;
  let upWaiters = [];

  const sleep = (ms) =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(String(err?.stack ?? err));
      }
    });
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function readBody(req) {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  async function handle(req, res) {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const raw = await readBody(req);
    const matched = route(req.method ?? 'GET', url.pathname) ?? { endpoint: 'unknown', result: notFound() };
    const record = {
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body: parseBody(raw, req.headers['content-type']),
      rawBody: raw.toString('utf8'),
      at: Date.now(),
      endpoint: matched.endpoint,
      status: undefined,
      fault: undefined,
    };
    requests.push(record);
    const { rule, call } = engine.next(matched.endpoint);
    record.call = call;
    if (rule) record.fault = rule;

    if (rule?.delayMs) await sleep(rule.delayMs);
    if (res.destroyed || req.socket.destroyed) {
      record.status = 'client-gone';
      return;
    }
    if (rule?.reset === 'before-response') {
      record.status = 'reset';
      req.socket.destroy();
      return;
    }

    let result;
    if (rule?.status !== undefined && rule.rawBody === undefined) {
      result = json(rule.status, rule.body !== undefined ? rule.body : faultBody(matched.endpoint, rule.status), rule.headers);
    } else if (rule?.status !== undefined) {
      result = json(rule.status, undefined, rule.headers);
    } else {
      const ctx = { ...record, params: matched.params ?? {}, req };
      try {
        result = matched.result ?? (await matched.handle(ctx));
      } catch (err) {
        result = json(500, { code: 500, message: `emulator error: ${err?.message ?? err}` });
      }
      if (rule?.headers) result = { ...result, headers: { ...result.headers, ...rule.headers } };
    }
    // A handler may answer off-spec on purpose (a hostile option): contract checks skip it.
    if (result.hostile) record.hostile = result.hostile;
    if (rule?.rawBody !== undefined) {
      // A proxy or a broken service: the body claims JSON and is not.
      result = { status: rule.status ?? 200, body: Buffer.from(rule.rawBody), headers: { ...result.headers, 'Content-Type': 'application/json' } };
    }
    let { status, headers, payload } = encode({ ...result, headers: { ...commonHeaders(), ...result.headers } });
    if (rule?.lateMs) await sleep(rule.lateMs);
    if (res.destroyed || req.socket.destroyed) {
      record.status = 'client-gone';
      return;
    }
    if (rule?.oversize !== undefined) {
      const { bytes, chunked = false } = typeof rule.oversize === 'number' ? { bytes: rule.oversize } : rule.oversize;
      // Trailing spaces keep the JSON valid: only a size cap can refuse it.
      if (payload.length < bytes) payload = Buffer.concat([payload, Buffer.alloc(bytes - payload.length, 0x20)]);
      record.status = status;
      record.oversize = payload.length;
      if (!chunked) {
        res.writeHead(status, { ...headers, 'Content-Length': String(payload.length) });
        res.end(payload);
        return;
      }
      res.writeHead(status, headers);
      const CHUNK = 64 * 1024;
      let at = 0;
      const pump = () => {
        while (at < payload.length && !res.destroyed) {
          const ok = res.write(payload.subarray(at, at + CHUNK));
          at += CHUNK;
          if (!ok) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end();
      };
      pump();
      return;
    }
    if (rule?.trickle) {
      // The whole length is announced; the bytes come slowly, each chunk before any idle timeout.
      const { bytesPerChunk, intervalMs } = rule.trickle;
      record.status = `trickle-${status}`;
      res.writeHead(status, { ...headers, 'Content-Length': String(payload.length) });
      for (let at = 0; at < payload.length; at += bytesPerChunk) {
        if (at > 0) await sleep(intervalMs);
        if (closed || res.destroyed || req.socket.destroyed) {
          record.status = 'client-gone';
          return;
        }
        res.write(payload.subarray(at, at + bytesPerChunk));
      }
      record.status = status;
      res.end();
      return;
    }

    if (rule?.truncate) {
      // A complete, well-framed 200 whose JSON is cut in half.
      const cut = payload.subarray(0, Math.floor(payload.length / 2));
      record.status = 200;
      record.truncated = true;
      res.writeHead(200, { ...headers, 'Content-Length': String(cut.length) });
      res.end(cut);
      return;
    }
    if (rule?.reset === 'mid-body') {
      // Announce the full length, send half, then drop the connection.
      record.status = 'reset-mid-body';
      res.writeHead(status, { ...headers, 'Content-Length': String(payload.length) });
      res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => {
        setTimeout(() => req.socket.destroy(), 10);
      });
      return;
    }
    record.status = status;
    // Kept so tests can check every response against the OpenAPI spec.
    record.responseBody = result.body;
    res.writeHead(status, { ...headers, 'Content-Length': String(payload.length) });
    res.end(payload);
  }

  const listen = (p) =>
    new Promise((resolve, reject) => {
      const onError = (err) => reject(err);
      server.once('error', onError);
      server.listen(p, HOST, () => {
        server.off('error', onError);
        resolve();
      });
    });

  const stop = () =>
    new Promise((resolve) => {
      if (!server.listening) {
        resolve();
        return;
      }
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });

  await listen(port);
  const boundPort = server.address().port;
  const url = `http://${HOST}:${boundPort}`;

  return {
    url,
    port: boundPort,
    requests,
    setFaults: (rules) => engine.setRules(rules),
    get faultCounts() {
      return engine.counts;
    },
    get isUp() {
      return server.listening;
    },
    /** Closes the port and every open connection; listens again on the same port after ms. Resolves once down. */
    async goDown(ms) {
      if (closed) throw new Error('server is closed');
      clearTimeout(reopenTimer);
      await stop();
      reopenTimer = setTimeout(async () => {
        reopenTimer = null;
        if (closed) return;
        await listen(boundPort);
        const waiters = upWaiters;
        upWaiters = [];
        for (const resolve of waiters) resolve();
      }, ms);
    },
    /** Resolves when the server is listening (immediately unless it is down). */
    waitUntilUp() {
      if (server.listening || closed) return Promise.resolve();
      return new Promise((resolve) => upWaiters.push(resolve));
    },
    async close() {
      closed = true;
      clearTimeout(reopenTimer);
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await stop();
      for (const resolve of upWaiters) resolve();
      upWaiters = [];
    },
  };
}

/** Matches a path against '/a/:b/c' style patterns; returns params or null. */
export function matchPath(pattern, pathname) {
  const want = pattern.split('/');
  const got = pathname.split('/');
  if (want.length !== got.length) return null;
  const params = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) {
      if (!got[i]) return null;
      params[want[i].slice(1)] = decodeURIComponent(got[i]);
    } else if (want[i] !== got[i]) return null;
  }
  return params;
}

/** Builds route(method, pathname) from [{method, pattern, endpoint, handle}]. */
export function router(routes, { methodNotAllowed } = {}) {
  return (method, pathname) => {
    let pathMatched = null;
    for (const r of routes) {
      const params = matchPath(r.pattern, pathname);
      if (!params) continue;
      if (r.method === method) return { endpoint: r.endpoint, params, handle: r.handle };
      pathMatched ??= r;
    }
    if (pathMatched && methodNotAllowed) return { endpoint: pathMatched.endpoint, result: methodNotAllowed() };
    return null;
  };
}
