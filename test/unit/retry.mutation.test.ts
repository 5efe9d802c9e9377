import { afterEach, describe, expect, it, vi } from 'vitest';
import { MALFORMED_ATTEMPTS, httpFailureOf, retryDecision } from '../../src/cloud/retry.js';
import { sleep } from '../../src/runner-io/clock.js';
import { HttpError, type HttpFailure } from '../../src/cloud/http.js';

// The reasons retries give (they are logged with each retry and each final failure), and the
// search through wrapped errors: untested before the mutation run (`npm run mutation`).

const failed = (failure: HttpFailure) => new HttpError('GET /x', failure);
const NEVER_RESENT = ', and a create that may have reached the server is never resent';

describe('retryDecision: the reason given', () => {
  it.each<[HttpFailure, string]>([
    [{ kind: 'status', status: 503, body: '' }, 'status 503'],
    [{ kind: 'status', status: 429, body: '' }, 'status 429'],
    [{ kind: 'network', code: 'ECONNRESET', reachedServer: true }, 'ECONNRESET'],
    [{ kind: 'network', reachedServer: true }, 'network error'],
    [{ kind: 'timeout', afterMs: 1 }, 'no answer in time'],
    [{ kind: 'body', status: 200, problem: 'empty' }, 'empty body'],
    [{ kind: 'body', status: 200, problem: 'not-json' }, 'body is not JSON'],
  ])('%j: retried when idempotent, never for a create', (failure, reason) => {
    // A malformed answer gets its own, smaller attempt budget.
    const budget = failure.kind === 'body' ? { maxAttempts: MALFORMED_ATTEMPTS } : {};
    expect(retryDecision(failed(failure), 'idempotent')).toEqual({ retry: true, reason, afterMs: undefined, ...budget });
    expect(retryDecision(failed(failure), 'create')).toEqual({ retry: false, reason: `${reason}${NEVER_RESENT}`, ...budget });
  });

  it.each<[HttpFailure, string]>([
    [{ kind: 'status', status: 499, body: '' }, 'status 499 cannot succeed on retry'],
    [{ kind: 'status', status: 404, body: '' }, 'status 404 cannot succeed on retry'],
    [{ kind: 'too-large', status: 200, maxBytes: 1 }, 'the answer is larger than accepted'],
    [{ kind: 'aborted' }, 'stopped'],
  ])('%j: never retried', (failure, reason) => {
    expect(retryDecision(failed(failure), 'idempotent')).toEqual({ retry: false, reason });
    expect(retryDecision(failed(failure), 'create')).toEqual({ retry: false, reason });
  });

  it('a request that never left is retried, a create too, and says so', () => {
    for (const request of ['idempotent', 'create'] as const) {
      expect(retryDecision(failed({ kind: 'network', code: 'ECONNREFUSED', reachedServer: false }), request)).toEqual({
        retry: true,
        reason: 'ECONNREFUSED before the request was sent',
      });
      expect(retryDecision(failed({ kind: 'network', reachedServer: false }), request)).toEqual({ retry: true, reason: 'network error before the request was sent' });
    }
    expect(retryDecision(new Error('x'), 'idempotent')).toEqual({ retry: false, reason: 'not an HTTP failure' });
  });
});

describe('httpFailureOf', () => {
  const wrap = (error: Error, times: number): Error => (times === 0 ? error : wrap(new Error('wrapped', { cause: error }), times - 1));

  it('finds the HTTP failure through up to three wrapping errors', () => {
    const failure: HttpFailure = { kind: 'aborted' };
    for (const times of [0, 1, 2, 3]) expect(httpFailureOf(wrap(failed(failure), times)), `${times}`).toBe(failure);
    expect(httpFailureOf(wrap(new Error('plain'), 3))).toBeUndefined();
  });

  it('ends on a cycle of causes, and on a cause that is not an Error', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(httpFailureOf(a)).toBeUndefined();
    expect(httpFailureOf(new Error('x', { cause: { failure: { kind: 'aborted' } } }))).toBeUndefined();
  });
});

describe('sleep leaves nothing behind', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('an aborted sleep clears its timer (a pending timer would hold the process open)', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const done = sleep(30_000, controller.signal);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort();
    await done;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a finished sleep removes the abort listener it added', async () => {
    vi.useFakeTimers();
    const signal = { aborted: false, addEventListener: vi.fn(), removeEventListener: vi.fn() };
    const done = sleep(10, signal as unknown as AbortSignal);
    await vi.advanceTimersByTimeAsync(10);
    await done;
    expect(signal.addEventListener).toHaveBeenCalledTimes(1);
    const [event, listener] = signal.addEventListener.mock.calls[0]!;
    expect(signal.removeEventListener).toHaveBeenCalledWith(event, listener);
    expect(event).toBe('abort');
  });

  it('0 ms sets no timer at all', async () => {
    vi.useFakeTimers();
    const done = sleep(0);
    expect(vi.getTimerCount()).toBe(0);
    await done;
  });
});
