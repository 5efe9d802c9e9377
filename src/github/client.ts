// The GitHub client: an octokit whose every call follows the project's rules for a service
// (an overall deadline and one per request, bounded retries of what can succeed on retry,
// failures as HttpError, answers checked before use).
import { getOctokit } from '@actions/github';
import { HttpError, monotonicMs, requestLine, type HttpFailure } from '../cloud/http.js';
import { DEFAULT_RETRY, httpFailureOf, retryDecision, withRetry, type RetryPolicy } from '../cloud/retry.js';
import type { AnswerCheck } from '../cloud/schemas/check.js';

/** Every GitHub call is bounded: an overall deadline, one per request, and bounded retries. */
export interface GitHubCallBounds {
  /** Aborts every call at once: the reporting budget (or a stop). */
  signal: AbortSignal;
  /** The budget behind `signal`, for the words when it runs out. */
  budgetMs: number;
  /** Deadline of one request, headers and body (a trickling body never resets it). */
  requestTimeoutMs: number;
  policy?: RetryPolicy;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  /** One line per request (core.debug): method, path, status, duration, GitHub's request id. */
  debug?: (line: string) => void;
}

export type Octokit = ReturnType<typeof getOctokit>;

/**
 * An octokit whose every request (pagination included) goes through the project's rules: a
 * deadline per request and overall, retries only of what can succeed on retry (GET and PATCH
 * are idempotent; a POST that may have reached GitHub is not sent again), failures as HttpError.
 */
export function boundedOctokit(token: string, baseUrl: string, bounds: GitHubCallBounds): Octokit {
  const octokit = getOctokit(token, { baseUrl });
  octokit.hook.wrap('request', async (request, options) => {
    const { method, url } = octokit.request.endpoint.parse(options);
    const label = `${method} ${new URL(url).pathname}`;
    const requestOptions = options.request;
    return withRetry(
      async () => {
        // One controller per attempt, aborted by its own deadline or the overall one.
        const controller = new AbortController();
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, bounds.requestTimeoutMs);
        const stop = () => controller.abort();
        bounds.signal.addEventListener('abort', stop, { once: true });
        if (bounds.signal.aborted) stop();
        const started = monotonicMs();
        try {
          // Set on the options object itself: octokit does not send a copy's request.signal to fetch.
          options.request = { ...requestOptions, signal: controller.signal };
          let response: Awaited<ReturnType<typeof request>>;
          try {
            response = await request(options);
          } catch (error) {
            const e = error as { status?: unknown; response?: { headers?: Record<string, unknown> } };
            bounds.debug?.(requestLine('GitHub', label, typeof e?.status === 'number' ? String(e.status) : 'failed', started, e?.response?.headers?.['x-github-request-id']));
            throw error;
          }
          bounds.debug?.(requestLine('GitHub', label, String(response.status), started, response.headers['x-github-request-id']));
          // Octokit swallows an abort while it reads the body, and answers with no data.
          if (controller.signal.aborted) throw new HttpError(label, failureOf(undefined, timedOut, bounds));
          return response;
        } catch (error) {
          throw error instanceof HttpError ? error : new HttpError(label, failureOf(error, timedOut, bounds), { cause: error });
        } finally {
          clearTimeout(timer);
          bounds.signal.removeEventListener('abort', stop);
        }
      },
      bounds.policy ?? DEFAULT_RETRY,
      {
        signal: bounds.signal,
        sleep: bounds.sleep,
        now: bounds.now,
        classify: (error) => retryDecision(error, method === 'GET' || method === 'PATCH' ? 'idempotent' : 'create'),
      },
    );
  });
  return octokit;
}

/** What went wrong with one octokit request, as the project's HttpFailure. */
function failureOf(error: unknown, timedOut: boolean, bounds: GitHubCallBounds): HttpFailure {
  if (bounds.signal.aborted)
    return (bounds.signal.reason as { name?: string } | undefined)?.name === 'TimeoutError' ? { kind: 'timeout', afterMs: bounds.budgetMs } : { kind: 'aborted' };
  if (timedOut) return { kind: 'timeout', afterMs: bounds.requestTimeoutMs };
  const e = error as { status?: number; response?: { data?: unknown; headers?: Record<string, string | undefined> }; cause?: { cause?: { code?: unknown } } };
  if (e?.response && typeof e.status === 'number') {
    const retryAfter = Number(e.response.headers?.['retry-after']);
    return { kind: 'status', status: e.status, body: e.response.data, ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterMs: retryAfter * 1000 } : {}) };
  }
  // fetch failed: the code (ECONNREFUSED, a certificate error...) is on the cause's cause.
  const code = e?.cause?.cause?.code;
  return { kind: 'network', code: typeof code === 'string' ? code : undefined, reachedServer: code !== 'ECONNREFUSED' && code !== 'ENOTFOUND' };
}

/** The answer's data once it matches what is read of it; otherwise a 'schema' failure (not retried: GitHub is not flaky that way). */
export function checked<T>(label: string, data: T, check: AnswerCheck): T {
  const mismatch = check(data);
  if (mismatch) throw new HttpError(label, { kind: 'schema', status: 200, ...mismatch });
  return data;
}

/** The HTTP status GitHub answered for a failed call, if it answered one. */
export function failedStatus(error: unknown): number | undefined {
  const failure = httpFailureOf(error);
  return failure?.kind === 'status' ? failure.status : undefined;
}
