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

export interface RetryableError {
  retryable: boolean;
  retryAfterMs?: number;
}

export function isRetryableError(error: unknown): error is Error & RetryableError {
  return error instanceof Error && (error as Partial<RetryableError>).retryable === true;
}

/** Exponential backoff with jitter in [50%, 100%] of the step, so matrix jobs do not retry in lockstep. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(step * (0.5 + random() / 2));
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

export interface RetryHooks {
  signal?: AbortSignal;
  onRetry?: (info: { attempt: number; delayMs: number; error: Error }) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

/** Runs `attempt` until it succeeds, throws a non-retryable error, or the policy's budget is spent. */
export async function withRetry<T>(attempt: (n: number) => Promise<T>, policy: RetryPolicy, hooks: RetryHooks = {}): Promise<T> {
  const now = hooks.now ?? Date.now;
  const wait = hooks.sleep ?? sleep;
  const started = now();
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!isRetryableError(error) || n >= policy.maxAttempts || hooks.signal?.aborted) throw error;
      const delayMs =
        error.retryAfterMs !== undefined
          ? Math.min(error.retryAfterMs, policy.maxRetryAfterMs)
          : backoffDelayMs(n, policy);
      if (now() - started + delayMs > policy.maxElapsedMs) throw error;
      hooks.onRetry?.({ attempt: n, delayMs, error });
      await wait(delayMs, hooks.signal);
      if (hooks.signal?.aborted) throw error;
    }
  }
}

/** A sleep that ends early (without throwing) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
