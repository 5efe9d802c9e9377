import { describe, expect, it } from 'vitest';
import { judge, type VerdictOptions } from '../../src/report/verdict.js';
import type { FollowedDeployment } from '../../src/domain/outcome.js';
import { update } from './update-fixtures.js';
import { followedDeployment } from '../support/outcomes.js';

// has-changes on runs that did not succeed, and the cause in a failure's line: untested before
// the mutation run (`npm run mutation`).

const CONSOLE = 'https://app.pulumi.com/acme/app/dev/deployments/42';
const OPTIONS: VerdictOptions = { failOnSkipped: false, expectNoChanges: false, timeoutSeconds: 3_600, operation: 'update', consoleBase: 'https://app.pulumi.com' };

function outcome(overrides: Partial<FollowedDeployment>): FollowedDeployment {
  return followedDeployment({
    ref: { organization: 'acme', project: 'app', stack: 'dev', id: 'dep-42' },
    consoleUrl: CONSOLE,
    version: 42,
    status: 'failed',
    durationMs: 1_000,
    ...overrides,
  });
}

describe('judge: has-changes of a run that did not succeed', () => {
  it.each(['failed', 'skipped'] as const)('%s with updates read and none ran: false (known, nothing changed)', (status) => {
    expect(judge(outcome({ status, updates: [] }), OPTIONS)).toMatchObject({ hasChanges: false, changes: undefined });
  });

  it.each(['failed', 'skipped'] as const)('%s with updates that could not be read: unknown', (status) => {
    expect(judge(outcome({ status, updates: undefined, updatesError: 'forbidden' }), OPTIONS)).toMatchObject({ hasChanges: 'unknown', changes: undefined, updateUrl: undefined });
  });

  it('failed after changing resources: true, with the counts', () => {
    const v = judge(outcome({ updates: [update({ version: 3, result: 'failed', resourceChanges: { delete: 1 } })] }), OPTIONS);
    expect(v).toMatchObject({ ok: false, hasChanges: true, changes: { delete: 1 } });
  });

  it("names the failing resource's error", () => {
    expect(judge(outcome({ cause: 'aws:s3:Bucket b: AccessDenied' }), OPTIONS).message).toBe(`Deployment dep-42 failed (aws:s3:Bucket b: AccessDenied): ${CONSOLE}`);
  });
});

describe('judge: expect-no-changes on a succeeded run', () => {
  it('fails when the counts are missing, saying so', () => {
    const v = judge(outcome({ status: 'succeeded', updates: [update({ version: 3 })] }), { ...OPTIONS, expectNoChanges: true });
    expect(v).toMatchObject({ ok: false, hasChanges: 'unknown' });
    expect(v.message).toBe('Deployment dep-42 succeeded, but its changes cannot be known, and expect-no-changes is true: the deployment reported no resource changes');
  });

  it('without expect-no-changes, missing counts pass as "changes unknown"', () => {
    const v = judge(outcome({ status: 'succeeded', updates: [update({ version: 3 })] }), OPTIONS);
    expect(v).toMatchObject({ ok: true, hasChanges: 'unknown' });
    expect(v.message).toBe(`Deployment dep-42 succeeded (changes unknown): ${CONSOLE}`);
  });
});
