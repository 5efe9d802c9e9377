import type { RetryPolicy } from '../cloud/retry.js';
import type { StopReason } from '../domain/vocabulary.js';

/**
 * The runner sends SIGINT, waits 7.5 s, sends SIGTERM, waits 2.5 s, then kills. Everything main
 * does after a signal must fit in the first 7.5 s: wait for a create answer, then cancel.
 */
export const CREATE_GRACE_MS = 4_000;
export const CANCEL_AFTER_SIGNAL: RetryPolicy = { maxAttempts: 4, baseDelayMs: 300, maxDelayMs: 1_000, maxRetryAfterMs: 1_000, maxElapsedMs: 3_000 };
/** A cancel after our own timeout has more time, but not unbounded time. */
export const CANCEL_AFTER_TIMEOUT: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 5_000, maxRetryAfterMs: 5_000, maxElapsedMs: 20_000 };

/**
 * Why main stops following a deployment: the `timeout` input, or the workflow being cancelled
 * (SIGINT/SIGTERM). Every request made while following takes `signal`, so a stop aborts the
 * requests in flight too.
 */
/** Where SIGINT and SIGTERM arrive: the process, or a test's emitter. */
export interface SignalSource {
  on(event: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
}

export class Stop {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private stopReason?: StopReason;
  signalName?: NodeJS.Signals;

  constructor(
    timeoutMs: number,
    private readonly signals: SignalSource = process,
  ) {
    this.timer = setTimeout(() => this.stop('timeout'), timeoutMs);
    signals.on('SIGINT', this.onSignal);
    signals.on('SIGTERM', this.onSignal);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  reason(): StopReason | undefined {
    return this.stopReason;
  }

  /** A signal that aborts at `grace()`'s deadline, started at the stop: for a request whose answer is still worth having. */
  after(grace: () => AbortSignal): AbortSignal {
    const later = new AbortController();
    const arm = () => grace().addEventListener('abort', () => later.abort(), { once: true });
    if (this.signal.aborted) arm();
    else this.signal.addEventListener('abort', arm, { once: true });
    return later.signal;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.signals.off('SIGINT', this.onSignal);
    this.signals.off('SIGTERM', this.onSignal);
  }

  private readonly onSignal = (signal: NodeJS.Signals) => {
    if (this.stopReason) return;
    this.signalName = signal;
    this.stop('job-cancelled');
  };

  private stop(reason: StopReason): void {
    if (this.stopReason) return;
    this.stopReason = reason;
    clearTimeout(this.timer);
    this.controller.abort();
  }
}
