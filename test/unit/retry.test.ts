import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_RETRY, MALFORMED_ATTEMPTS, POLLING_RETRY, backoffDelayMs, retryDecision, withRetry, type RetryPolicy } from '../../src/cloud/retry.js';
import { sleep } from '../../src/runner-io/clock.js';
import { HttpError, parseRetryAfterMs, type HttpFailure } from '../../src/cloud/http.js';

/** An error the policy may retry, optionally with a Retry-After. */
function retryable(message: string, retryAfterMs?: number): Error & { retryable: boolean; retryAfterMs?: number } {
  return Object.assign(new Error(message), { retryable: true, retryAfterMs });
}

const POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 3_000, maxElapsedMs: 60_000 };

/** The test classification: what the test error says about itself. */
const byFlag = (error: unknown) => {
  const e = error as Partial<{ retryable: unknown; retryAfterMs: number }>;
  return { retry: error instanceof Error && e.retryable === true, reason: 'test', afterMs: e.retryAfterMs };
};

/** A fake clock that only moves when the code sleeps (or a test says so). */
function fakeClock() {
  let t = 1_000_000;
  const sleeps: number[] = [];
  return {
    classify: byFlag,
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
    sleeps,
    sleep: vi.fn(async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    }),
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('withRetry', () => {
  it('returns the first success without sleeping', async () => {
    const clock = fakeClock();
    const attempt = vi.fn(async (n: number) => `ok ${n}`);
    await expect(withRetry(attempt, POLICY, clock)).resolves.toBe('ok 1');
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('retries retryable errors and passes the 1-based attempt number', async () => {
    const clock = fakeClock();
    const seen: number[] = [];
    const result = await withRetry(
      async (n) => {
        seen.push(n);
        if (n < 3) throw retryable(`fail ${n}`, 10);
        return 'done';
      },
      POLICY,
      clock,
    );
    expect(result).toBe('done');
    expect(seen).toEqual([1, 2, 3]);
    expect(clock.sleeps).toEqual([10, 10]);
  });

  it('makes at most maxAttempts attempts and throws the last error', async () => {
    const clock = fakeClock();
    const errors: Error[] = [];
    const attempt = vi.fn(async (n: number) => {
      const e = retryable(`fail ${n}`, 1);
      errors.push(e);
      throw e;
    });
    const failure = await withRetry(attempt, POLICY, clock).catch((e: unknown) => e);
    expect(attempt).toHaveBeenCalledTimes(5);
    expect(failure).toBe(errors[4]);
    expect((failure as Error).message).toBe('fail 5');
    expect(clock.sleeps).toEqual([1, 1, 1, 1]);
  });

  it('maxAttempts 1 means no retry', async () => {
    const clock = fakeClock();
    const attempt = vi.fn(async () => {
      throw retryable('once', 1);
    });
    await expect(withRetry(attempt, { ...POLICY, maxAttempts: 1 }, clock)).rejects.toThrow('once');
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(clock.sleep).not.toHaveBeenCalled();
  });

  it.each([
    ['a plain Error', () => new Error('plain')],
    ['an error with retryable false', () => Object.assign(new Error('plain'), { retryable: false, retryAfterMs: 5 })],
    ['an error with retryable "true" (a string, not true)', () => Object.assign(new Error('plain'), { retryable: 'true' })],
  ])('fails at once on %s', async (_name, make) => {
    const clock = fakeClock();
    const error = make();
    const attempt = vi.fn(async () => {
      throw error;
    });
    await expect(withRetry(attempt, POLICY, clock)).rejects.toBe(error);
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(clock.sleep).not.toHaveBeenCalled();
  });

  it('fails at once when something that is not an Error is thrown, even if it says retryable', async () => {
    const clock = fakeClock();
    const thrown = { retryable: true, message: 'not an Error' };
    const attempt = vi.fn(async () => {
      throw thrown;
    });
    await expect(withRetry(attempt, POLICY, clock)).rejects.toBe(thrown);
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('honours Retry-After instead of the backoff', async () => {
    const clock = fakeClock();
    const random = vi.spyOn(Math, 'random').mockReturnValue(0);
    let n = 0;
    await withRetry(
      async () => {
        n++;
        if (n === 1) throw retryable('429', 2_500);
        if (n === 2) throw retryable('429', 0);
        return 'ok';
      },
      POLICY,
      clock,
    );
    expect(clock.sleeps).toEqual([2_500, 0]);
    expect(random).not.toHaveBeenCalled();
  });

  it('caps a long Retry-After at maxRetryAfterMs', async () => {
    const clock = fakeClock();
    let n = 0;
    await withRetry(
      async () => {
        if (++n === 1) throw retryable('503', 90_000);
        return 'ok';
      },
      POLICY,
      clock,
    );
    expect(clock.sleeps).toEqual([3_000]);
  });

  it('uses exponential backoff with jitter when there is no Retry-After', async () => {
    const clock = fakeClock();
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const attempt = vi.fn(async () => {
      throw retryable('boom');
    });
    await expect(withRetry(attempt, { ...POLICY, maxAttempts: 6 }, clock)).rejects.toThrow('boom');
    // base 100 doubling to the 1,000 cap, each at the bottom of the jitter range (50%).
    expect(clock.sleeps).toEqual([50, 100, 200, 400, 500]);
  });

  it('does not start a retry that would end after maxElapsedMs', async () => {
    const clock = fakeClock();
    const policy = { ...POLICY, maxAttempts: 100, maxElapsedMs: 5_000 };
    const attempt = vi.fn(async () => {
      throw retryable('slow', 2_000);
    });
    await expect(withRetry(attempt, policy, clock)).rejects.toThrow('slow');
    // t=0 fail, wait to 2000; fail, wait to 4000; fail: 4000 + 2000 > 5000, give up.
    expect(attempt).toHaveBeenCalledTimes(3);
    expect(clock.sleeps).toEqual([2_000, 2_000]);
  });

  it('counts the time attempts take against maxElapsedMs, and allows a retry ending exactly at the limit', async () => {
    const clock = fakeClock();
    const policy = { ...POLICY, maxAttempts: 100, maxElapsedMs: 5_000 };
    const attempt = vi.fn(async () => {
      clock.advance(1_500); // each attempt itself takes 1.5 s
      throw retryable('slow', 1_000);
    });
    await expect(withRetry(attempt, policy, clock)).rejects.toThrow('slow');
    // 1500 + 1000 = 2500 ok; 2500 + 1500 = 4000, + 1000 = 5000 (not over) ok; 5000 + 1500 + 1000 > 5000 stop.
    expect(attempt).toHaveBeenCalledTimes(3);
    expect(clock.sleeps).toEqual([1_000, 1_000]);
  });

  it('reports each retry to onRetry with the attempt, the delay and the error', async () => {
    const clock = fakeClock();
    const onRetry = vi.fn();
    const errors = [retryable('one', 7), retryable('two', 9)];
    let n = 0;
    await withRetry(
      async () => {
        if (n < errors.length) throw errors[n++];
        return 1;
      },
      POLICY,
      { ...clock, onRetry },
    );
    expect(onRetry.mock.calls).toEqual([[{ attempt: 1, delayMs: 7, error: errors[0], reason: 'test' }], [{ attempt: 2, delayMs: 9, error: errors[1], reason: 'test' }]]);
  });

  it('does not retry once the signal is aborted', async () => {
    const clock = fakeClock();
    const controller = new AbortController();
    controller.abort();
    const attempt = vi.fn(async () => {
      throw retryable('aborted run', 1);
    });
    await expect(withRetry(attempt, POLICY, { ...clock, signal: controller.signal })).rejects.toThrow('aborted run');
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(clock.sleep).not.toHaveBeenCalled();
  });

  it('hands the signal to sleep, and stops retrying after an abort during the wait', async () => {
    const controller = new AbortController();
    const sleeps: [number, AbortSignal | undefined][] = [];
    const attempt = vi.fn(async (n: number) => {
      throw retryable(`fail ${n}`, 50);
    });
    const failure = await withRetry(
      attempt,
      { ...POLICY, maxAttempts: 10 },
      {
        classify: byFlag,
        signal: controller.signal,
        now: () => 0,
        sleep: async (ms, signal) => {
          sleeps.push([ms, signal]);
          controller.abort();
        },
      },
    ).catch((e: unknown) => e);
    expect(sleeps).toEqual([[50, controller.signal]]);
    // No attempt starts after the abort: the last error is the answer.
    expect((failure as Error).message).toBe('fail 1');
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('uses the real sleep and clock by default', async () => {
    let n = 0;
    const started = Date.now();
    const result = await withRetry(
      async () => {
        if (++n < 3) throw retryable('x', 5);
        return n;
      },
      POLICY,
      { classify: byFlag },
    );
    expect(result).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(9);
  });
});

describe('backoffDelayMs', () => {
  const policy: RetryPolicy = { ...POLICY, baseDelayMs: 1_000, maxDelayMs: 30_000 };

  it('doubles from the base to the cap', () => {
    const full = () => 1; // top of the jitter range
    expect([1, 2, 3, 4, 5, 6, 7, 10].map((a) => backoffDelayMs(a, policy, full))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('jitters between 50% and 100% of the step', () => {
    expect(backoffDelayMs(3, policy, () => 0)).toBe(2_000);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(3_000);
    expect(backoffDelayMs(3, policy, () => 0.999999)).toBe(4_000);
    expect(backoffDelayMs(6, policy, () => 0)).toBe(15_000);
  });

  it('stays in [step/2, step] with Math.random, and is not constant', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i++) {
      const d = backoffDelayMs(2, policy);
      expect(d).toBeGreaterThanOrEqual(1_000);
      expect(d).toBeLessThanOrEqual(2_000);
      seen.add(d);
    }
    expect(seen.size).toBeGreaterThan(100);
  });

  it('matches what withRetry sleeps when Math.random is fixed', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.25);
    const sleeps: number[] = [];
    await withRetry(
      async (n) => {
        if (n < 3) throw retryable('x');
        return n;
      },
      DEFAULT_RETRY,
      { classify: byFlag, sleep: async (ms) => void sleeps.push(ms), now: () => 0 },
    );
    expect(sleeps).toEqual([625, 1_250]);
  });
});

describe('policies', () => {
  it('DEFAULT_RETRY is 4 attempts, 1 s doubling to 30 s, Retry-After up to 30 s, 2 min in all', () => {
    expect(DEFAULT_RETRY).toEqual({ maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 30_000, maxRetryAfterMs: 30_000, maxElapsedMs: 120_000 });
  });
  it('POLLING_RETRY rides out a longer outage', () => {
    expect(POLLING_RETRY).toEqual({ maxAttempts: 40, baseDelayMs: 500, maxDelayMs: 5_000, maxRetryAfterMs: 30_000, maxElapsedMs: 150_000 });
  });
});

describe('retryDecision', () => {
  const failed = (failure: HttpFailure) => new HttpError('GET /x', failure);
  const wrapped = (failure: HttpFailure) => new Error('Reading failed', { cause: failed(failure) });
  it.each<[string, HttpFailure, boolean, boolean]>([
    ['429', { kind: 'status', status: 429, body: '' }, true, false],
    ['500', { kind: 'status', status: 500, body: '' }, true, false],
    ['503', { kind: 'status', status: 503, body: '' }, true, false],
    ['400', { kind: 'status', status: 400, body: '' }, false, false],
    ['401', { kind: 'status', status: 401, body: '' }, false, false],
    ['403', { kind: 'status', status: 403, body: '' }, false, false],
    ['404', { kind: 'status', status: 404, body: '' }, false, false],
    ['connection refused (never sent)', { kind: 'network', code: 'ECONNREFUSED', reachedServer: false }, true, true],
    ['connection reset (may have reached the server)', { kind: 'network', code: 'ECONNRESET', reachedServer: true }, true, false],
    ['our deadline', { kind: 'timeout', afterMs: 30_000 }, true, false],
    ['a body that is not JSON', { kind: 'body', status: 200, problem: 'not-json' }, true, false],
    ['an empty body', { kind: 'body', status: 200, problem: 'empty' }, true, false],
    ['a body off the schema', { kind: 'schema', status: 200, path: 'status', expected: 'expected string' }, true, false],
    ...['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID'].map(
      (code): [string, HttpFailure, boolean, boolean] => [`an untrusted certificate (${code})`, { kind: 'network', code, reachedServer: false }, false, false],
    ),
    ['a body over the cap', { kind: 'too-large', status: 200, maxBytes: 1024 }, false, false],
    ['aborted by the caller', { kind: 'aborted' }, false, false],
  ])('%s: idempotent %s, create %s', (_, failure, idempotent, create) => {
    expect(retryDecision(failed(failure), 'idempotent').retry).toBe(idempotent);
    expect(retryDecision(failed(failure), 'create').retry).toBe(create);
    // The same decision when a client wrapped the HTTP error.
    expect(retryDecision(wrapped(failure), 'idempotent').retry).toBe(idempotent);
  });

  it('caps malformed answers (empty, not JSON, off the schema) at MALFORMED_ATTEMPTS, even under the polling policy', async () => {
    for (const failure of [
      { kind: 'body', status: 200, problem: 'empty' },
      { kind: 'body', status: 200, problem: 'not-json' },
      { kind: 'schema', status: 200, path: 'lines', expected: 'expected Array' },
    ] satisfies HttpFailure[]) {
      let attempts = 0;
      const attempt = async () => {
        attempts++;
        throw failed(failure);
      };
      await expect(withRetry(attempt, POLLING_RETRY, { classify: (e) => retryDecision(e, 'idempotent'), sleep: async () => {} })).rejects.toThrow('GET /x answered 200');
      expect(attempts).toBe(MALFORMED_ATTEMPTS);
    }
  });

  it('passes Retry-After on', () => {
    expect(retryDecision(failed({ kind: 'status', status: 429, body: '', retryAfterMs: 2_000 }), 'idempotent')).toMatchObject({ retry: true, afterMs: 2_000 });
  });

  it('never retries what is not an HTTP failure, whatever its message says', () => {
    expect(retryDecision(new Error('socket hang up: timeout, 503'), 'idempotent').retry).toBe(false);
    expect(retryDecision(Object.assign(new Error('x'), { retryable: true }), 'idempotent').retry).toBe(false);
    expect(retryDecision(undefined, 'idempotent').retry).toBe(false);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2025-01-02T03:04:05Z');

  it.each([
    ['0', 0],
    ['1', 1_000],
    ['120', 120_000],
    [' 7 ', 7_000],
  ])('reads seconds %j', (header, expected) => {
    expect(parseRetryAfterMs(header, now)).toBe(expected);
  });

  it('reads an HTTP date relative to now', () => {
    expect(parseRetryAfterMs('Thu, 02 Jan 2025 03:04:35 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs('Thursday, 02-Jan-25 03:05:05 GMT', now)).toBe(60_000);
  });

  it('reads an HTTP date in the past as 0', () => {
    expect(parseRetryAfterMs('Wed, 01 Jan 2025 00:00:00 GMT', now)).toBe(0);
  });

  it('uses Date.now() by default', () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const ms = parseRetryAfterMs(inTenSeconds);
    // toUTCString drops milliseconds, so up to one second less (and a little time passes).
    expect(ms).toBeGreaterThan(8_000);
    expect(ms).toBeLessThanOrEqual(10_000);
  });

  it.each([undefined, '', '   ', 'soon', 'later please', '-1', '1.5', '10s', '0x10'])('is undefined for %j', (header) => {
    expect(parseRetryAfterMs(header, now)).toBeUndefined();
  });
});

describe('sleep', () => {
  it('waits about the time asked', async () => {
    const started = performance.now();
    await sleep(20);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('ends at once for 0 ms, a negative time, or an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    const started = performance.now();
    await sleep(0);
    await sleep(-5);
    await sleep(60_000, controller.signal);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('ends early, without throwing, when the signal aborts', async () => {
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 10);
    await expect(sleep(60_000, controller.signal)).resolves.toBeUndefined();
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
