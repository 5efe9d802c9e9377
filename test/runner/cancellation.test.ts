// Cancellation like the Actions runner: SIGINT, grace, SIGTERM, grace, SIGKILL;
// post still runs afterwards. Grace periods are shortened via cancelGraceMs.
import { describe, expect, it } from 'vitest';
import { CANCEL_GRACE_MS } from '../../emulators/runner/runner.mjs';
import { runFixture } from './helpers.js';

const GRACE = { sigint: 600, sigterm: 400 };
/** The fixture prints `ready` once its signal handlers are installed: signal then, never on a timer. */
const onReady = (out: string) => /^ready$/m.test(out);

describe('cancellation', () => {
  it('uses the runner grace periods by default (7.5 s, 2.5 s)', () => {
    expect(CANCEL_GRACE_MS).toEqual({ sigint: 7500, sigterm: 2500 });
  });

  it('sends SIGINT first after cancelAfterMs, then nothing else to an action that exits on it', async () => {
    // A timer races the fixture's start-up (its handler may not be installed yet), so this checks
    // only what the emulator does; how the fixture reacts is checked on its ready line below.
    const run = await runFixture({ inputs: { who: 'x', mode: 'wait' }, cancelAfterMs: 300, cancelGraceMs: GRACE });
    expect(run.cancelled).toBe(true);
    expect(run.main.cancelReason).toBe('cancelAfterMs');
    expect(run.main.signals.map((s) => s.signal)).toEqual(['SIGINT']);
    expect(run.main.cancelledAt).toBeGreaterThanOrEqual(290);
    expect(run.main.exitedAt! - run.main.cancelledAt!).toBeLessThan(GRACE.sigint);
    expect(run.jobLog).toContain('Error: The operation was canceled.');
    expect(run.post?.exitCode).toBe(0);
  });

  it('cancels when cancelWhen(stdoutSoFar) first returns true; an action that exits on SIGINT gets nothing else', async () => {
    let calls = 0;
    const run = await runFixture({
      inputs: { who: 'x', mode: 'wait' },
      cancelGraceMs: GRACE,
      cancelWhen: (out) => {
        calls++;
        return onReady(out);
      },
    });
    expect(run.main.cancelReason).toBe('cancelWhen');
    expect(run.main.signals.map((s) => s.signal)).toEqual(['SIGINT']);
    const ready = run.main.lines.find((l) => l.text === 'ready')!;
    expect(run.main.cancelledAt).toBeGreaterThanOrEqual(ready.at);
    expect(calls).toBeGreaterThan(0);
    expect(run.main.exitedAt! - run.main.cancelledAt!).toBeLessThan(GRACE.sigint);
    expect(run.main.exitCode).toBe(1);
    expect(run.main.stdout).toContain('got SIGINT (wait)');
    expect(run.jobLog).toContain('Error: The operation was canceled.');
    // post-if: always(): post runs with the state written before and during cancellation.
    expect(run.post?.exitCode).toBe(0);
    expect(run.post?.stdout).toContain('post got STATE_cancelled=yes');
    expect(run.post?.stdout).toContain('post got STATE_started=yes');
  });

  it('sends SIGTERM after the SIGINT grace period to an action that ignores SIGINT', async () => {
    const run = await runFixture({ inputs: { who: 'x', mode: 'ignore-sigint' }, cancelWhen: onReady, cancelGraceMs: GRACE });
    const [int, term] = run.main.signals;
    expect(run.main.signals.map((s) => s.signal)).toEqual(['SIGINT', 'SIGTERM']);
    expect(term!.at - int!.at).toBeGreaterThanOrEqual(GRACE.sigint - 20);
    expect(term!.at - int!.at).toBeLessThan(GRACE.sigint + 500);
    expect(run.main.stdout).toContain('got SIGINT (ignore-sigint)');
    expect(run.main.stdout).toContain('got SIGTERM');
    expect(run.main.exitCode).toBe(143);
    expect(run.post?.exitCode).toBe(0);
  });

  it('SIGKILLs an action that ignores SIGINT and SIGTERM after both grace periods', async () => {
    const run = await runFixture({ inputs: { who: 'x', mode: 'ignore-all' }, cancelWhen: onReady, cancelGraceMs: GRACE });
    const [int, term, kill] = run.main.signals;
    expect(run.main.signals.map((s) => s.signal)).toEqual(['SIGINT', 'SIGTERM', 'SIGKILL']);
    expect(kill!.at - term!.at).toBeGreaterThanOrEqual(GRACE.sigterm - 20);
    expect(kill!.at - int!.at).toBeLessThan(GRACE.sigint + GRACE.sigterm + 800);
    expect(run.main.signal).toBe('SIGKILL');
    expect(run.main.exitCode).toBeNull();
    expect(run.post).not.toBeNull();
  });

  it('kills and reports a step that outlives timeoutMs', async () => {
    const run = await runFixture({ inputs: { who: 'x', mode: 'wait' }, timeoutMs: 400, runPost: false });
    expect(run.main.timedOut).toBe(true);
    expect(run.main.signal).toBe('SIGKILL');
    expect(run.main.exitedAt).toBeGreaterThanOrEqual(390);
    expect(run.jobLog).toContain('Error: The action has timed out');
  });
});
