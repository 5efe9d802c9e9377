import { describe, expect, it } from 'vitest';
import { decideComment, type CommentSituation } from '../../src/report/comment-decision.js';
import { formatWaited, ProgressScheduler } from '../../src/deployment/progress.js';

describe('decideComment', () => {
  const cases: Array<[Partial<CommentSituation>, string]> = [
    [{ mode: false, hasChanges: true, failed: true, existingComment: true }, 'skip'],
    [{ mode: true, hasChanges: false, existingComment: false }, 'create'],
    [{ mode: true, hasChanges: false, existingComment: true }, 'update'],
    [{ mode: 'changes', hasChanges: true, existingComment: false }, 'create'],
    [{ mode: 'changes', hasChanges: true, existingComment: true }, 'update'],
    [{ mode: 'changes', hasChanges: false, failed: true, existingComment: false }, 'create'],
    [{ mode: 'changes', hasChanges: 'unknown', existingComment: false }, 'create'],
    [{ mode: 'changes', hasChanges: false, existingComment: false }, 'skip'],
    [{ mode: 'changes', hasChanges: false, existingComment: true }, 'update-no-changes'],
  ];
  it.each(cases)('%j -> %s', (situation, action) => {
    expect(decideComment({ mode: true, hasChanges: false, failed: false, existingComment: false, ...situation })).toBe(action);
  });
});

describe('ProgressScheduler', () => {
  const URL = 'https://app.pulumi.com/acme/app/dev/deployments/3';

  /** Polls every 5 s for `ms` and returns the times (s) at which a line came. */
  function run(scheduler: ProgressScheduler, ms: number, outputAt: number[] = []) {
    const at: number[] = [];
    for (let t = 0; t <= ms; t += 5_000) {
      if (outputAt.includes(t)) scheduler.printed(t);
      if (scheduler.due('not-started', t)) at.push(t / 1000);
    }
    return at;
  }

  it('prints at growing intervals while silent, capped', () => {
    expect(run(new ProgressScheduler({ startedAt: 0, consoleUrl: URL }), 1_200_000)).toEqual([30, 90, 210, 450, 750, 1050]);
  });

  it('never prints more than one line per 30 s, whatever it is configured with', () => {
    const times = run(new ProgressScheduler({ startedAt: 0, consoleUrl: URL, firstAfterMs: 1, minGapMs: 1, growth: 0 }), 300_000);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(30);
  });

  it('stays quiet while the deployment prints, and starts over after', () => {
    const outputs = Array.from({ length: 20 }, (_, i) => i * 10_000);
    expect(run(new ProgressScheduler({ startedAt: 0, consoleUrl: URL }), 300_000, outputs)).toEqual([220, 280]);
  });

  it('says status, time waited and the console link, in one safe line', () => {
    const s = new ProgressScheduler({ startedAt: 1_000, consoleUrl: `${URL}\n::error::x` });
    expect(s.due('not-started', 31_000)).toBe(`Deployment queued; waited 30s: ${URL} :\u200b:error:\u200b:x`);
    expect(s.due('running', 40_000)).toBeUndefined();
    expect(new ProgressScheduler({ startedAt: 0, consoleUrl: URL }).due('weird\r::set-output', 60_000)).not.toMatch(/[\r\n]|::/);
    // A status from the service is a plain word, also when Object.prototype has a member so named.
    for (const status of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(new ProgressScheduler({ startedAt: 0, consoleUrl: URL }).due(status, 60_000)).toBe(`Deployment ${status}; waited 1m 0s: ${URL}`);
    }
    expect(formatWaited(3_725_000)).toBe('1h 2m 5s');
    expect(formatWaited(65_000)).toBe('1m 5s');
  });
});
