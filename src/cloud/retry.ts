import { HttpError, isUntrustedCertificate, type HttpFailure } from './http.js';
import { sleep } from '../runner-io/clock.js';

/** The one retry policy: bounded attempts and time, exponential backoff with jitter, Retry-After with a cap. */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After honoured; a longer one is cut to this. */
  maxRetryAfterMs: number;
  /** No retry starts after this much time since the first attempt. */
  maxElapsedMs: number;
}

/** Like the Pulumi CLI: 1 s doubling to a 30 s cap, 4 attempts. */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 30_000,
  maxElapsedMs: 120_000,
};

/** For polling while a deployment runs: ride out an outage of a minute or two, resume quickly. */
export const POLLING_RETRY: RetryPolicy = {
  maxAttempts: 40,
  baseDelayMs: 500,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
  maxElapsedMs: 150_000,
};

/** Whether a failed attempt may succeed if tried again, and why. */
export interface RetryDecision {
  retry: boolean;
  reason: string;
  /** The server's Retry-After, when it gave one. */
  afterMs?: number;
  /** A tighter cap on attempts than the policy's, for failures that rarely clear up. */
  maxAttempts?: number;
}

/**
 * Attempts for an answer that came but was malformed (empty, not JSON, off the schema): one
 * glitch may clear up, a service that keeps answering so will not, and must not hold the step
 * for a polling budget.
 */
export const MALFORMED_ATTEMPTS = 5;

/** Decides a retry for an error; `withRetry` takes one. */
export type RetryClassifier = (error: unknown) => RetryDecision;

/**
 * The one classification of failures. `idempotent` requests may be sent again whenever the
 * failure is transient; a `create` only when it provably never reached the server, since a
 * resent create could start a second deployment.
 */
export function retryDecision(error: unknown, request: 'idempotent' | 'create'): RetryDecision {
  const failure = httpFailureOf(error);
  if (!failure) return { retry: false, reason: 'not an HTTP failure' };
  const onlyIfIdempotent = (reason: string, afterMs?: number): RetryDecision =>
    request === 'idempotent' ? { retry: true, reason, afterMs } : { retry: false, reason: `${reason}, and a create that may have reached the server is never resent` };
  switch (failure.kind) {
    case 'status':
      if (failure.status === 429 || failure.status >= 500) return onlyIfIdempotent(`status ${failure.status}`, failure.retryAfterMs);
      return { retry: false, reason: `status ${failure.status} cannot succeed on retry` };
    case 'network':
      if (isUntrustedCertificate(failure.code)) return { retry: false, reason: "the server's certificate is not trusted" };
      if (!failure.reachedServer) return { retry: true, reason: `${failure.code ?? 'network error'} before the request was sent` };
      return onlyIfIdempotent(failure.code ?? 'network error');
    case 'timeout':
      return onlyIfIdempotent('no answer in time');
    case 'body':
      return { ...onlyIfIdempotent(failure.problem === 'empty' ? 'empty body' : 'body is not JSON'), maxAttempts: MALFORMED_ATTEMPTS };
    case 'schema':
      return { ...onlyIfIdempotent(`body does not match the API at ${failure.path}`), maxAttempts: MALFORMED_ATTEMPTS };
    case 'too-large':
      return { retry: false, reason: 'the answer is larger than accepted' };
    case 'aborted':
      return { retry: false, reason: 'stopped' };
  }
}

/** The HTTP failure behind an error, also when a client wrapped it (as `cause`). */
export function httpFailureOf(error: unknown): HttpFailure | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (e instanceof HttpError) return e.failure;
  }
  return undefined;
}

/** Exponential backoff with jitter in [50%, 100%] of the step, so matrix jobs do not retry in lockstep. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(step * (0.5 + random() / 2));
}

export interface RetryHooks {
  /** Which failures to try again: every call says it (see `retryDecision`). */
  classify: RetryClassifier;
  signal?: AbortSignal;
  onRetry?: (info: { attempt: number; delayMs: number; error: Error; reason: string }) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

/** Runs `attempt` until it succeeds, throws a non-retryable error, or the policy's budget is spent. */
export async function withRetry<T>(attempt: (n: number) => Promise<T>, policy: RetryPolicy, hooks: RetryHooks): Promise<T> {
  const now = hooks.now ?? Date.now;
  const wait = hooks.sleep ?? sleep;
  const started = now();
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const decision = hooks.classify(error);
      if (!decision.retry || n >= Math.min(policy.maxAttempts, decision.maxAttempts ?? Infinity) || hooks.signal?.aborted) throw error;
      const delayMs = decision.afterMs !== undefined ? Math.min(decision.afterMs, policy.maxRetryAfterMs) : backoffDelayMs(n, policy);
      if (now() - started + delayMs > policy.maxElapsedMs) throw error;
      hooks.onRetry?.({ attempt: n, delayMs, error: error instanceof Error ? error : new Error(String(error)), reason: decision.reason });
      await wait(delayMs, hooks.signal);
      if (hooks.signal?.aborted) throw error;
    }
  }
}
