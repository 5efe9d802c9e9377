import { isLoopbackHost } from '../domain/names.js';

/**
 * The one source of time, passed in: what the action reads the time from, waits on and bounds
 * its work by. Against a local emulator it may run faster (`clockFor`); code never scales a
 * number itself.
 */
export interface Clock {
  now(): number;
  /** Ends early (without throwing) when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A signal that aborts once `ms` of this clock have passed, plus `realSlackMs` of real time (a loaded machine answers slowly). */
  deadline(ms: number, realSlackMs?: number): AbortSignal;
  /** How much real time `ms` of this clock take (for timeouts set outside it: sockets, post's budget). */
  realMs(ms: number): number;
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

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep,
  deadline: (ms, realSlackMs = 0) => AbortSignal.timeout(ms + realSlackMs),
  realMs: (ms) => ms,
};

/** The most a time scale may speed the action up. */
const MAX_TIME_SCALE = 100;

/**
 * `PULUMI_DEPLOY_ACTION_TIME_SCALE` runs the action's clock faster, for the local emulator
 * (the tests and the benchmark run its scenarios faster than real time). It is honoured only
 * for a loopback cloud-url, and bounded: it can never make the action poll a real service faster.
 */
function timeScaleFor(cloudUrl: string, raw: string | undefined = process.env.PULUMI_DEPLOY_ACTION_TIME_SCALE): number {
  const scale = Number(raw);
  if (!raw || !Number.isFinite(scale) || scale <= 1) return 1;
  let host: string;
  try {
    host = new URL(cloudUrl).hostname;
  } catch {
    return 1;
  }
  return isLoopbackHost(host) ? Math.min(MAX_TIME_SCALE, scale) : 1;
}

/** The clock for a cloud-url: the system clock, or one `scale` times faster for a loopback emulator. */
export function clockFor(cloudUrl: string, raw?: string): Clock {
  const scale = timeScaleFor(cloudUrl, raw);
  if (scale === 1) return systemClock;
  const start = Date.now();
  return {
    now: () => start + (Date.now() - start) * scale,
    sleep: (ms, signal) => sleep(ms / scale, signal),
    // AbortSignal.timeout takes whole milliseconds only (it throws on 10_000 / 60).
    deadline: (ms, realSlackMs = 0) => AbortSignal.timeout(Math.ceil(ms / scale + realSlackMs)),
    realMs: (ms) => ms / scale,
  };
}
