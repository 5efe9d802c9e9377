import { HttpClient } from '@actions/http-client';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { parseRetryAfterMs, type RetryableError } from './retry.js';

export const USER_AGENT = 'pulumi-cloud-deploy-action';

/** Network errors that prove the request never reached the server (safe to retry even a create POST). */
const NOT_SENT_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];
const NETWORK_CODES = [...NOT_SENT_CODES, 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'UND_ERR_SOCKET'];

/** Any failed HTTP exchange: a status, a network fault, a timeout or an unreadable body. */
export class HttpError extends Error implements RetryableError {
  retryable = false;
  retryAfterMs?: number;
  constructor(
    message: string,
    readonly kind: 'status' | 'network' | 'timeout' | 'body',
    readonly details: {
      status?: number;
      body?: unknown;
      requestId?: string;
      /** False only when the request provably never reached the server. */
      reachedServer: boolean;
      code?: string;
    },
  ) {
    super(message);
    this.name = 'HttpError';
  }
  get status(): number | undefined {
    return this.details.status;
  }
}

export interface JsonResponse<T> {
  status: number;
  body: T;
  requestId?: string;
}

/** Thin JSON-over-HTTP layer on @actions/http-client (which brings proxy support); no retries here. */
export class JsonHttp {
  /** One client per origin: an HttpClient keeps the first agent it made, whatever the protocol. */
  private readonly clients = new Map<string, HttpClient>();

  constructor(
    private readonly userAgent: string,
    private readonly timeoutMs: number,
  ) {}

  private clientFor(url: string): HttpClient {
    const origin = new URL(url).origin;
    let client = this.clients.get(origin);
    if (!client) {
      // keepAlive: polling reuses one TLS connection instead of a handshake per request.
      client = new HttpClient(this.userAgent, [], { socketTimeout: this.timeoutMs, keepAlive: true, allowRetries: false, allowRedirects: false });
      this.clients.set(origin, client);
    }
    return client;
  }

  async request<T>(method: string, url: string, body: string | undefined, headers: OutgoingHttpHeaders): Promise<JsonResponse<T>> {
    const label = `${method} ${new URL(url).pathname}`;
    let status: number;
    let text: string;
    let responseHeaders: Record<string, string | string[] | undefined>;
    try {
      const response = await this.clientFor(url).request(method, url, body ?? null, headers);
      status = response.message.statusCode ?? 0;
      responseHeaders = response.message.headers;
      text = await readBody(response.message);
    } catch (error) {
      throw networkError(label, error);
    }
    const requestId = headerValue(responseHeaders['x-pulumi-request-id']);
    const parsed = parseBody(text);
    if (status < 200 || status > 299) {
      const error = new HttpError(`${label} answered ${status}`, 'status', { status, body: parsed ?? text, requestId, reachedServer: true });
      error.retryAfterMs = parseRetryAfterMs(headerValue(responseHeaders['retry-after']));
      throw error;
    }
    if (text !== '' && parsed === undefined) {
      // A cut-off body (a proxy or the connection dropped it) can succeed on retry.
      const error = new HttpError(`${label} answered ${status} with a body that is not complete JSON (${text.length} bytes)`, 'body', { status, requestId, reachedServer: true });
      error.retryable = true;
      throw error;
    }
    return { status, body: parsed as T, requestId };
  }

  dispose(): void {
    for (const client of this.clients.values()) client.dispose();
    this.clients.clear();
  }
}

/**
 * Reads the whole body. Unlike HttpClientResponse.readBody, rejects when the connection drops
 * mid-body (that one never settles then, and the step would hang).
 */
function readBody(message: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const cut = () => reject(Object.assign(new Error('the connection closed in the middle of the response body'), { code: 'ECONNRESET' }));
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    message.on('error', reject);
    message.on('aborted', cut);
    message.on('close', () => {
      if (!message.complete) cut();
    });
  });
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function networkError(label: string, cause: unknown): HttpError {
  const raw = cause as { code?: string; message?: string };
  const message = raw?.message ?? String(cause);
  if (/timeout/i.test(message) && !raw?.code) {
    const error = new HttpError(`${label} timed out`, 'timeout', { reachedServer: true });
    error.retryable = true;
    return error;
  }
  const code = raw?.code;
  const error = new HttpError(`${label} failed: ${code ? `${code} ` : ''}${message}`.trim(), 'network', {
    reachedServer: !(code && NOT_SENT_CODES.includes(code)),
    code,
  });
  error.retryable = code === undefined || NETWORK_CODES.includes(code) || /socket hang up|other side closed|aborted/i.test(message);
  return error;
}
