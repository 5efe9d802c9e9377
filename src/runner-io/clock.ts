import { isLoopbackHost } from '../domain/names.js';
import { sleep } from '../cloud/retry.js';

/** The most a time scale may speed the action up. */
const MAX_TIME_SCALE = 100;

/**
 * `PULUMI_DEPLOY_ACTION_TIME_SCALE` runs the action's clock faster, for the local emulator
 * (the tests and the benchmark run its scenarios faster than real time). It is honoured only
 * for a loopback cloud-url, and bounded: it can never make the action poll a real service faster.
 */
export function timeScaleFor(cloudUrl: string, raw: string | undefined = process.env.PULUMI_DEPLOY_ACTION_TIME_SCALE): number {
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

/** A clock for retries that runs `scale` times faster: waits shrink and budgets pass sooner. */
export function scaledClock(scale: number): { sleep: (ms: number, signal?: AbortSignal) => Promise<void>; now: () => number } {
  if (scale === 1) return { sleep, now: Date.now };
  const start = Date.now();
  return { sleep: (ms, signal) => sleep(ms / scale, signal), now: () => start + (Date.now() - start) * scale };
}
