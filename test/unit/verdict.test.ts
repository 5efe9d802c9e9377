import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { judge, type VerdictOptions } from '../../src/report/verdict.js';
import type { FollowedDeployment, UpdatePlan } from '../../src/domain/outcome.js';
import { update } from './update-fixtures.js';
import { emptyPlan, followedDeployment } from '../support/outcomes.js';

const CONSOLE = 'https://app.pulumi.com/acme/app/dev/deployments/42';
const UPDATE_17 = 'https://app.pulumi.com/acme/app/dev/updates/17';

function outcome(overrides: Partial<FollowedDeployment> = {}): FollowedDeployment {
  return followedDeployment({
    ref: { organization: 'acme', project: 'app', stack: 'dev', id: 'dep-42' },
    consoleUrl: CONSOLE,
    version: 42,
    updates: [],
    durationMs: 1_000,
    ...overrides,
  });
}

const OPTIONS: VerdictOptions = { failOnSkipped: false, expectNoChanges: false, timeoutSeconds: 3_600, operation: 'update', consoleBase: 'https://app.pulumi.com' };
const withChanges = [update({ version: 17, resourceChanges: { create: 2, update: 1, same: 5 } })];
const noChanges = [update({ version: 17, resourceChanges: { same: 5 } })];

describe('judge: succeeded', () => {
  it('passes and names the changes', () => {
    expect(judge(outcome({ updates: withChanges }), OPTIONS)).toEqual({
      ok: true,
      message: `Deployment dep-42 succeeded (+2 created, ~1 updated, 5 unchanged): ${CONSOLE}`,
      changes: { create: 2, update: 1, delete: 0, replace: 0, same: 5 },
      hasChanges: true,
      updateUrl: UPDATE_17,
      engineChanges: undefined,
      contradictions: [],
      droppedKinds: [],
    });
  });

  it('passes with the changes unknown (never "no changes") when there are no updates', () => {
    expect(judge(outcome(), OPTIONS)).toEqual({
      ok: true,
      message: `Deployment dep-42 succeeded (changes unknown): ${CONSOLE}`,
      changes: undefined,
      hasChanges: 'unknown',
      updateUrl: undefined,
      engineChanges: undefined,
      contradictions: [],
      droppedKinds: [],
    });
  });

  it('fails closed: unreadable updates make the changes unknown, and expect-no-changes fails naming the failing call', () => {
    const reason = 'Reading the deployment updates failed: Pulumi Cloud answered 403: forbidden';
    const v = judge(outcome({ updates: undefined, updatesError: reason }), { ...OPTIONS, expectNoChanges: true });
    expect(v).toMatchObject({ ok: false, hasChanges: 'unknown', changes: undefined });
    expect(v.message).toBe(`Deployment dep-42 succeeded, but its changes cannot be known, and expect-no-changes is true: ${reason}`);
    expect(judge(outcome({ updates: undefined, updatesError: reason }), OPTIONS)).toMatchObject({ ok: true, hasChanges: 'unknown' });
  });

  it('passes with expect-no-changes when nothing changed', () => {
    const v = judge(outcome({ updates: noChanges }), { ...OPTIONS, expectNoChanges: true });
    expect(v.ok).toBe(true);
    expect(v.hasChanges).toBe(false);
    expect(v.message).toBe(`Deployment dep-42 succeeded (no changes, 5 unchanged): ${CONSOLE}`);
  });

  it('fails with expect-no-changes when resources change, naming the counts and linking the update', () => {
    const v = judge(outcome({ updates: withChanges }), { ...OPTIONS, expectNoChanges: true });
    expect(v.ok).toBe(false);
    expect(v.hasChanges).toBe(true);
    expect(v.message).toBe(`Deployment dep-42 would change resources (+2 to create, ~1 to update, 5 unchanged) but expect-no-changes is true: ${UPDATE_17}`);
  });

  it('falls back to the deployment link when the update has no link', () => {
    const v = judge(outcome({ updates: withChanges, consoleUrl: 'https://elsewhere.example/d/42' }), { ...OPTIONS, consoleBase: undefined, expectNoChanges: true });
    expect(v.message).toBe('Deployment dep-42 would change resources (+2 to create, ~1 to update, 5 unchanged) but expect-no-changes is true: https://elsewhere.example/d/42');
    expect(v.updateUrl).toBeUndefined();
  });
});

describe('judge: skipped', () => {
  it('passes without fail-on-skipped', () => {
    const v = judge(outcome({ status: 'skipped' }), OPTIONS);
    expect(v.ok).toBe(true);
    expect(v.message).toBe(`Deployment dep-42 was skipped: ${CONSOLE}`);
  });
  it('fails with fail-on-skipped', () => {
    const v = judge(outcome({ status: 'skipped' }), { ...OPTIONS, failOnSkipped: true });
    expect(v.ok).toBe(false);
    expect(v.message).toBe(`Deployment dep-42 was skipped and fail-on-skipped is true: ${CONSOLE}`);
  });
});

describe('judge: failed', () => {
  it('fails naming the step', () => {
    const v = judge(outcome({ status: 'failed', failedStep: 'Pulumi update' }), OPTIONS);
    expect(v.ok).toBe(false);
    expect(v.message).toBe(`Deployment dep-42 failed in step 'Pulumi update': ${CONSOLE}`);
  });
  it('fails without a step when none is known', () => {
    expect(judge(outcome({ status: 'failed' }), OPTIONS).message).toBe(`Deployment dep-42 failed: ${CONSOLE}`);
  });
  it('says when cancellation was requested', () => {
    expect(judge(outcome({ status: 'failed', failedStep: 'Pulumi update', cancelRequested: true }), OPTIONS).message).toBe(
      `Deployment dep-42 failed in step 'Pulumi update' after cancellation was requested: ${CONSOLE}`,
    );
  });
  it('keeps the changes of a failed update', () => {
    const v = judge(outcome({ status: 'failed', updates: withChanges }), OPTIONS);
    expect(v.changes).toEqual({ create: 2, update: 1, delete: 0, replace: 0, same: 5 });
    expect(v.updateUrl).toBe(UPDATE_17);
  });
});

describe('judge: timeout and unfinished', () => {
  it('fails on timeout and says cancellation was requested', () => {
    const v = judge(outcome({ status: 'running', stop: 'timeout' as const, cancelRequested: true, finished: false }), OPTIONS);
    expect(v.ok).toBe(false);
    expect(v.message).toBe(`Deployment dep-42 did not finish within 1h; cancellation requested: ${CONSOLE}`);
  });
  it('fails on timeout and says it is still running without cancel', () => {
    const v = judge(outcome({ status: 'running', stop: 'timeout' as const, finished: false }), { ...OPTIONS, timeoutSeconds: 90 });
    expect(v.ok).toBe(false);
    expect(v.message).toBe(`Deployment dep-42 did not finish within 1m30s; it is still running (cancel-on-timeout is false): ${CONSOLE}`);
  });
  it('judges the timeout even when the status read afterwards is terminal', () => {
    const v = judge(outcome({ status: 'succeeded', stop: 'timeout' as const, cancelRequested: true }), { ...OPTIONS, timeoutSeconds: 5_400 });
    expect(v.ok).toBe(false);
    expect(v.message).toBe(`Deployment dep-42 did not finish within 1h30m; cancellation requested: ${CONSOLE}`);
  });
  it.each(['running', 'accepted', 'not-started'] as const)('fails when stopped while %s', (status) => {
    const v = judge(outcome({ status, finished: false }), OPTIONS);
    expect(v.ok).toBe(false);
    expect(v.message).toBe(`Deployment dep-42 stopped while ${status}: ${CONSOLE}`);
  });
});

const plan = (changes: Record<string, number> | undefined, result = 'succeeded'): UpdatePlan => emptyPlan({ updateId: 'upd-17', version: 17, changes, result });

describe('judge: fails closed when the evidence disagrees', () => {
  it('a stopped run (timed out, or cancelled by us) has unknown changes, whatever was read', () => {
    for (const stop of [{ stop: 'timeout' as const }, { cancelRequested: true, status: 'failed' as const }]) {
      const v = judge(outcome({ updates: noChanges, ...stop }), OPTIONS);
      expect(v).toMatchObject({ ok: false, hasChanges: 'unknown', changes: undefined });
    }
  });

  it('the update counts and the engine events must agree, both ways; the gate fails and both are kept', () => {
    for (const [updates, summary] of [
      [noChanges, { create: 1, same: 5 }],
      [withChanges, { same: 8 }],
    ] as const) {
      const v = judge(outcome({ updates: [...updates], plans: [plan(summary)] }), OPTIONS);
      expect(v.ok).toBe(false);
      expect(v.hasChanges).toBe('unknown');
      expect(v.changes).toBeDefined();
      expect(v.engineChanges).toBeDefined();
      expect(v.contradictions).toHaveLength(1);
      expect(v.contradictions[0]).toMatch(/^the update's counts say .* but the engine events say /);
    }
    expect(judge(outcome({ updates: withChanges, plans: [plan({ create: 2, update: 1, same: 5 })] }), OPTIONS)).toMatchObject({ ok: true, hasChanges: true, contradictions: [] });
    expect(judge(outcome({ updates: noChanges, plans: [plan({ same: 5 })] }), { ...OPTIONS, expectNoChanges: true })).toMatchObject({ ok: true, hasChanges: false });
  });

  it('succeeded with a failed step, a failed update or a failed engine summary is a contradiction', () => {
    for (const extra of [
      { failedStep: 'pulumi up' },
      { updates: [update({ version: 17, result: 'failed', resourceChanges: { same: 1 } })] },
      { updates: noChanges, plans: [plan({ same: 5 }, 'failed')] },
    ]) {
      const v = judge(outcome({ updates: noChanges, ...extra }), OPTIONS);
      expect(v.ok).toBe(false);
      expect(v.contradictions).toHaveLength(1);
      expect(v.message).toContain('reported success, but what it reported does not agree');
    }
  });

  it('a deployment that ran another operation than the one requested fails', () => {
    const v = judge(outcome({ updates: noChanges, operation: 'destroy' }), { ...OPTIONS, operation: 'preview' });
    expect(v.ok).toBe(false);
    expect(v.contradictions).toEqual(['the deployment ran destroy, not the preview requested']);
    expect(judge(outcome({ updates: noChanges, operation: 'preview' }), { ...OPTIONS, operation: 'preview' }).ok).toBe(true);
  });

  it('is never "no changes" when either source cannot be read or disagrees (generated)', () => {
    const counts = fc.dictionary(fc.constantFrom('create', 'update', 'delete', 'same', 'replace', 'read'), fc.nat({ max: 3 }));
    fc.assert(
      fc.property(fc.option(counts, { nil: undefined }), fc.option(counts, { nil: undefined }), fc.boolean(), (fromUpdates, fromEvents, expectNoChanges) => {
        const v = judge(outcome({ updates: fromUpdates ? [update({ version: 17, resourceChanges: fromUpdates })] : [], plans: fromEvents ? [plan(fromEvents)] : undefined }), {
          ...OPTIONS,
          expectNoChanges,
        });
        const changedByUpdates = fromUpdates && Object.entries(fromUpdates).some(([k, n]) => n > 0 && k !== 'same' && k !== 'read');
        const changedByEvents = fromEvents && Object.entries(fromEvents).some(([k, n]) => n > 0 && k !== 'same' && k !== 'read');
        if (v.hasChanges === false) {
          expect(fromUpdates).toBeDefined();
          expect(changedByUpdates).toBe(false);
          expect(changedByEvents ?? false).toBe(false);
        }
        if (expectNoChanges && v.ok) expect(v.hasChanges).toBe(false);
      }),
    );
  });
});

describe('judge: changes-include-outputs', () => {
  const outputsChanged = { ...plan({ same: 5 }), outputChanges: [{ key: 'url', kind: 'update' as const, replace: false, old: '"a"', new: '"b"' }] };
  it('leaves output changes out of has-changes by default, as Pulumi counts only resources', () => {
    expect(judge(outcome({ updates: noChanges, plans: [outputsChanged] }), { ...OPTIONS, expectNoChanges: true })).toMatchObject({ ok: true, hasChanges: false });
  });
  it('counts them when asked, for has-changes and expect-no-changes', () => {
    const on = { ...OPTIONS, changesIncludeOutputs: true };
    expect(judge(outcome({ updates: noChanges, plans: [outputsChanged] }), on)).toMatchObject({ ok: true, hasChanges: true });
    const v = judge(outcome({ updates: noChanges, plans: [outputsChanged] }), { ...on, expectNoChanges: true });
    expect(v).toMatchObject({ ok: false, hasChanges: true });
    expect(v.message).toBe(`Deployment dep-42 would change 1 stack outputs but expect-no-changes is true: ${UPDATE_17}`);
    expect(judge(outcome({ updates: noChanges, plans: [plan({ same: 5 })] }), { ...on, expectNoChanges: true })).toMatchObject({ ok: true, hasChanges: false });
  });
});
