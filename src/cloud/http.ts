import { getProxyUrl } from '@actions/http-client/lib/proxy';
import * as http from 'node:http';
import type { OutgoingHttpHeaders } from 'node:http';
import { LongStringCutter } from './long-strings.js';

export const USER_AGENT = 'pulumi-cloud-deploy-action';

/** Network error codes that prove the request never reached the server (safe to resend even a create POST). */
const NOT_SENT_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];

/** What went wrong with one HTTP exchange. Plain data: retry decisions read it, never the message text. */
export type HttpFailure =
  | { kind: 'status'; status: number; body: unknown; requestId?: string; retryAfterMs?: number }
  /** No answer: `reachedServer` is false only when the request provably never left. */
  | { kind: 'network'; code?: string; reachedServer: boolean }
  /** The request's own deadline passed (the server may have acted). */
  | { kind: 'timeout'; afterMs: number }
  /** The caller stopped waiting (the step's timeout or a cancelled workflow). */
  | { kind: 'aborted' }
  /** A 2xx whose body is not the JSON it should be: empty, cut off or not JSON. */
  | { kind: 'body'; status: number; requestId?: string; problem: 'empty' | 'not-json' }
  /** The answer was larger than this call accepts. */
  | { kind: 'too-large'; status: number; requestId?: string; maxBytes: number }
  /** A 2xx whose JSON does not match the API's schema: `path` names the field, `expected` what the API says it holds. */
  | { kind: 'schema'; status: number; requestId?: string; path: string; expected: string };

/** TLS errors that mean the server's certificate is not trusted here: retrying cannot help, a CA bundle can. */
const UNTRUSTED_CERT_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_REJECTED',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Whether a network error code says the server's certificate is not trusted. */
export const isUntrustedCertificate = (code: string | undefined): boolean => code !== undefined && UNTRUSTED_CERT_CODES.has(code);

/** The words for an untrusted certificate, code included (users search for it). */
export function untrustedCertificateWords(code: string): string {
  const why = code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? 'is not for this host name' : /EXPIRED|NOT_YET_VALID/.test(code) ? 'is outside its validity dates' : 'is not trusted';
  return `the server's certificate ${why} (${code}); if a proxy or a private CA signs it, set NODE_EXTRA_CA_CERTS to your CA bundle`;
}

/** A failed HTTP exchange. Immutable: a caller that wants other words wraps it. */
export class HttpError extends Error {
  constructor(
    /** `METHOD /path`, never the query (it may hold continuation tokens). */
    readonly label: string,
    readonly failure: HttpFailure,
    options?: ErrorOptions,
  ) {
    super(`${label} ${describeFailure(failure)}`, options);
    this.name = 'HttpError';
  }
}

/** The words for a failure, without the request line. */
export function describeFailure(f: HttpFailure): string {
  switch (f.kind) {
    case 'status':
      return `answered ${f.status}`;
    case 'network':
      return `failed: ${isUntrustedCertificate(f.code) ? untrustedCertificateWords(f.code!) : (f.code ?? 'the connection failed')}`;
    case 'timeout':
      return `got no complete answer within ${Math.round(f.afterMs / 1000)} s`;
    case 'aborted':
      return 'was stopped';
    case 'body':
      return `answered ${f.status} with ${f.problem === 'empty' ? 'an empty body' : 'a body that is not JSON'}${f.requestId ? ` (request id ${f.requestId})` : ''}`;
    case 'too-large':
      return `answered ${f.status} with a body over ${Math.round(f.maxBytes / 1024)} KiB${f.requestId ? ` (request id ${f.requestId})` : ''}`;
    case 'schema':
      return `answered ${f.status} with a body that does not match the API (${f.path}: ${f.expected})${f.requestId ? ` (request id ${f.requestId})` : ''}`;
  }
}

export interface JsonResponse<T> {
  status: number;
  body: T;
  requestId?: string;
}

export interface RequestOptions {
  /** Stops the request at once (the caller's deadline or a cancelled workflow). */
  signal?: AbortSignal;
  /** Overall deadline of this request: headers and the whole body. */
  timeoutMs?: number;
  /** Largest body accepted; a larger one fails the request. */
  maxBytes?: number;
  /** A 2xx may have an empty body (cancel). */
  allowEmpty?: boolean;
  /** JSON strings longer than this (UTF-16 units) are cut as the body arrives (LongStringCutter); `maxBytes` still counts every byte. */
  maxStringChars?: number;
  /** Called once the request has left (it must not throw): work that waits for the answer anyway runs while it is out. */
  onSent?: () => void;
}

const DEFAULT_MAX_BYTES = 1024 * 1024;

/** A whole answer as it came; `invalid`: the cutter saw what JSON forbids in a string it left out. */
interface RawResponse {
  status: number;
  body: Buffer;
  invalid: boolean;
  requestId?: string;
  retryAfter?: string;
}

/** Milliseconds on a monotonic clock, for request durations; unlike performance.now() it loads no perf_hooks (9 modules) on the login path. */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** The debug line of one request: service, method, path (no query), status, duration, request id (only an id's characters). */
export function requestLine(service: string, label: string, status: string, startedMs: number, requestId: unknown): string {
  const id = typeof requestId === 'string' && /^[A-Za-z0-9:._-]{1,100}$/.test(requestId) ? requestId : '-';
  const safeLabel = label
    .replace(/[^\x21-\x7e ]/g, '?')
    .replace(/##\[/g, '#?[')
    .slice(0, 300);
  return `${service} ${safeLabel} ${status} ${Math.round(monotonicMs() - startedMs)} ms request-id ${id}`;
}

/**
 * JSON over HTTP. @actions/http-client decides whether a URL goes through a proxy (its proxy
 * variables and NO_PROXY) and builds the proxy's tunnel agent; the request itself is ours, so it
 * has an overall deadline, can be aborted and has a size cap.
 */
export class JsonHttp {
  /**
   * One agent per origin, kept alive: polling reuses one TLS connection instead of a handshake per
   * request. With a proxy, the agent of an HttpClient of the origin's own (one keeps the first agent
   * it made, whatever the protocol), which disposes of it.
   */
  private readonly agents = new Map<string, { agent: http.Agent; dispose: () => void }>();

  constructor(
    private readonly userAgent: string,
    private readonly timeoutMs: number,
    /** One line per request (core.debug): never a body, a header value but the request id, or a token. */
    private readonly debug?: (line: string) => void,
    /** Called once, when the first request has left (it must not throw): work the caller needs later runs while the answer is on its way. */
    private onFirstSent?: () => void,
  ) {}

  /**
   * Without a proxy, node's keep-alive agent for the URL's protocol. Only a proxy loads
   * @actions/http-client and its tunnel agents (they load tls and more, whatever the protocol),
   * and only an https URL loads node:https: a login pays for what it loads before its first request.
   */
  private async agentFor(url: URL): Promise<http.Agent> {
    const known = this.agents.get(url.origin);
    if (known) return known.agent;
    let entry: { agent: http.Agent; dispose: () => void };
    if (getProxyUrl(url)?.hostname) {
      const { HttpClient } = await import('@actions/http-client');
      // Another request to this origin may have made one meanwhile.
      const made = this.agents.get(url.origin);
      if (made) return made.agent;
      const client = new HttpClient(this.userAgent, [], { keepAlive: true, allowRetries: false, allowRedirects: false });
      entry = { agent: client.getAgent(url.href), dispose: () => client.dispose() };
    } else {
      const agent = url.protocol === 'https:' ? new (httpsModule().Agent)({ keepAlive: true }) : new http.Agent({ keepAlive: true });
      entry = { agent, dispose: () => agent.destroy() };
    }
    this.agents.set(url.origin, entry);
    return entry.agent;
  }

  async request<T>(method: string, href: string, body: string | undefined, headers: OutgoingHttpHeaders, options: RequestOptions = {}): Promise<JsonResponse<T>> {
    const url = new URL(href);
    const label = `${method} ${url.pathname}`;
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    const started = monotonicMs();
    let raw: Awaited<ReturnType<JsonHttp['exchange']>>;
    try {
      raw = await this.exchange(method, url, label, body, headers, { ...options, timeoutMs: options.timeoutMs ?? this.timeoutMs, maxBytes });
    } catch (error) {
      const failure = error instanceof HttpError ? error.failure : undefined;
      this.debug?.(requestLine('Pulumi', label, failure?.kind ?? 'failed', started, undefined));
      throw error;
    }
    const requestId = raw.requestId;
    this.debug?.(requestLine('Pulumi', label, String(raw.status), started, requestId));
    const text = raw.body.toString('utf8');
    const parsed = raw.invalid ? undefined : parseJson(text);
    if (raw.status < 200 || raw.status > 299) {
      throw new HttpError(label, { kind: 'status', status: raw.status, body: parsed ?? text, requestId, retryAfterMs: parseRetryAfterMs(raw.retryAfter) });
    }
    if (text.trim() === '') {
      if (options.allowEmpty) return { status: raw.status, body: undefined as T, requestId };
      throw new HttpError(label, { kind: 'body', status: raw.status, requestId, problem: 'empty' });
    }
    if (parsed === undefined) throw new HttpError(label, { kind: 'body', status: raw.status, requestId, problem: 'not-json' });
    return { status: raw.status, body: parsed as T, requestId };
  }

  private async exchange(
    method: string,
    url: URL,
    label: string,
    body: string | undefined,
    headers: OutgoingHttpHeaders,
    { timeoutMs, maxBytes, maxStringChars, signal, onSent }: RequestOptions & { timeoutMs: number; maxBytes: number },
  ): Promise<RawResponse> {
    if (signal?.aborted) throw new HttpError(label, { kind: 'aborted' });
    const agent = await this.agentFor(url);
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new HttpError(label, { kind: 'aborted' }));
      let settled = false;
      let sent = false;
      const finish = (error: HttpError | undefined, value?: RawResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (error) {
          request.destroy();
          reject(error);
        } else resolve(value!);
      };
      const onAbort = () => finish(new HttpError(label, { kind: 'aborted' }));
      // An overall deadline: a body that trickles a byte at a time never resets it.
      const timer = setTimeout(() => finish(new HttpError(label, { kind: 'timeout', afterMs: timeoutMs })), timeoutMs);
      const module = url.protocol === 'https:' ? httpsModule() : http;
      const request = module.request(
        {
          method,
          // URL.hostname keeps IPv6 brackets; the socket needs the bare address.
          hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: url.port || undefined,
          path: url.pathname + url.search,
          headers: { ...headers, 'User-Agent': this.userAgent, ...(body !== undefined ? { 'Content-Length': Buffer.byteLength(body) } : {}) },
          agent,
        },
        (response) => {
          const status = response.statusCode ?? 0;
          const requestId = header(response.headers['x-pulumi-request-id']);
          const retryAfter = header(response.headers['retry-after']);
          const declared = Number(response.headers['content-length']);
          if (Number.isFinite(declared) && declared > maxBytes) return finish(new HttpError(label, { kind: 'too-large', status, requestId, maxBytes }));
          const chunks: Buffer[] = [];
          const cutter = maxStringChars === undefined ? undefined : new LongStringCutter(maxStringChars);
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) return finish(new HttpError(label, { kind: 'too-large', status, requestId, maxBytes }));
            if (cutter) cutter.write(chunk);
            else chunks.push(chunk);
          });
          response.on('end', () => {
            if (!response.complete) return finish(new HttpError(label, { kind: 'network', code: 'ECONNRESET', reachedServer: true }));
            finish(undefined, { status, ...(cutter ? cutter.end() : { body: Buffer.concat(chunks), invalid: false }), requestId, retryAfter });
          });
          response.on('error', () => finish(new HttpError(label, { kind: 'network', code: 'ECONNRESET', reachedServer: true })));
          // A connection dropped mid-body ends with 'close' and no 'end'.
          response.on('close', () => {
            if (!response.complete) finish(new HttpError(label, { kind: 'network', code: 'ECONNRESET', reachedServer: true }));
          });
        },
      );
      request.on('error', (error: NodeJS.ErrnoException) => {
        const code = error.code;
        finish(new HttpError(label, { kind: 'network', code, reachedServer: sent || !(code && NOT_SENT_CODES.includes(code)) }));
      });
      request.on('finish', () => {
        sent = true;
        const first = this.onFirstSent;
        this.onFirstSent = undefined;
        first?.();
        onSent?.();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      request.end(body);
    });
  }

  dispose(): void {
    for (const { dispose } of this.agents.values()) dispose();
    this.agents.clear();
  }
}

const httpsModule = () => process.getBuiltinModule('node:https');

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(header: string | undefined, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP date names its month; without this, Date.parse reads '1.5' or '-1' as a date in 2001 (0 ms).
  if (!/[a-z]{3}/i.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
