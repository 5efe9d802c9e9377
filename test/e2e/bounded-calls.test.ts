// Every call is bounded, end to end through dist/ and the runner emulator: a Pulumi Cloud that
// keeps answering 200 with an empty or off-schema body fails the step within a few attempts
// (not at `timeout`), and a GitHub API that trickles its answers cannot hold the step after the
// deployment ended. Scaled time: the action and the emulators run 20 times faster.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { longRunning, previewWithChanges } from '../../emulators/pulumi-cloud/scenarios.mjs';
import type { RunResult } from '../../emulators/runner/runner.mjs';
import { cleanupRuns, errorOf, requestsTo, runE2E, startEmulators, type Emulators } from '../support/harness.js';

const SCALE = 20;
const STACK_TRACE = /^\s+at /m;
const PR = 7;
const eventOn = (pr: number) => ({ name: 'pull_request', payload: { number: pr, pull_request: { number: pr, head: { sha: 'c'.repeat(40) } } } });
const event = eventOn(PR);

let emu: Emulators;
beforeAll(async () => {
  emu = await startEmulators({ timeScale: SCALE });
});
beforeEach(() => {
  emu.cloud.setFaults([]);
  emu.github.setFaults([]);
});
afterAll(async () => {
  cleanupRuns();
  await emu.close();
});

const latest = () => [...emu.cloud.deployments.values()].at(-1)!;
const mainErrors = (run: RunResult) => run.annotations.filter((a) => a.step === 'main' && a.level === 'error').map((a) => a.message);
/** The warnings about the comment (the scenario's own diagnostics are warnings too). */
const commentWarnings = (run: RunResult) =>
  run.annotations.filter((a) => a.step === 'main' && a.level === 'warning' && a.message.startsWith('Could not comment')).map((a) => a.message);
/** ms from the "Creating ..." line to main's exit. */
function createToExitMs(run: RunResult): number {
  const created = run.main.lines.find((l) => l.text.startsWith('Creating '));
  expect(created, run.jobLog).toBeDefined();
  return run.main.exitedAt! - created!.at;
}

describe('a malformed answer that keeps coming back', () => {
  it.each([
    ['get', 'an empty body', { rawBody: '' }, /answered 200 with an empty body/],
    ['get', 'a body off the schema', { status: 200, body: { status: 7 } }, /Pulumi Cloud answered 200 with a body that does not match the API \(\w+: (missing|expected \w+)\)/],
    ['logs', 'an empty body', { rawBody: '' }, /answered 200 with an empty body/],
  ] as const)('%s answering %s on every call fails the step within the retry budget, with one error naming the call', async (endpoint, _what, fault, words) => {
    emu.cloud.setScenario(longRunning(600_000));
    emu.cloud.setFaults([{ endpoint, ...fault }]);
    // timeout 60 min: the step must end long before it (the runner emulator's safety net is 30 s).
    const run = await runE2E(emu, { inputs: { stack: 'app/dev', operation: 'update', timeout: '60m' }, timeoutMs: 30_000 });
    expect(run.main.timedOut, run.jobLog.slice(-2000)).toBe(false);
    expect(run.exitCode).toBe(1);
    expect(mainErrors(run)).toHaveLength(1);
    const call = endpoint === 'get' ? 'Reading the deployment' : 'Reading the deployment logs';
    expect(errorOf(run)).toMatch(new RegExp(`^${call} failed: `));
    expect(errorOf(run)).toMatch(words);
    // About five attempts, then done.
    const attempts = requestsTo(emu.cloud, endpoint).filter((r) => r.path.includes(latest().id)).length;
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(attempts).toBeLessThanOrEqual(5 + 1);
    expect(run.jobLog).not.toMatch(STACK_TRACE);
  });
});

describe('GitHub calls are bounded', () => {
  it.each(['user', 'comments'])('a GitHub %s endpoint that trickles a byte every 2 s: the comment gives up within its budget and the verdict stands', async (endpoint) => {
    emu.cloud.setScenario(previewWithChanges, 'acme/app/dev');
    // Real seconds: this is GitHub, whose pace no time scale changes.
    emu.github.setFaults([{ endpoint, trickle: { bytesPerChunk: 1, intervalMs: 2_000 } }]);
    const run = await runE2E(emu, {
      event,
      env: { GITHUB_REPOSITORY: 'acme/infra' },
      inputs: { stack: 'app/dev', operation: 'preview', 'comment-on-pr': 'true' },
      timeoutMs: 40_000,
    });
    expect(run.main.timedOut, run.jobLog.slice(-3000)).toBe(false);
    expect(run.exitCode, run.jobLog).toBe(0);
    expect(run.outputs['has-changes']).toBe('true');
    const d = latest();
    // The run itself, then at most the comment budget (60 s / 20, at least 8 s) and some slack.
    expect(createToExitMs(run)).toBeLessThan(d.endsAt - d.createdAt + 8_000 + 4_000);
    expect(commentWarnings(run)).toEqual([expect.stringMatching(new RegExp(`^Could not comment on pull request #${PR}: (GET|POST) /\\S+ got no complete answer within \\d+ s$`))]);
    expect(run.jobLog).not.toMatch(STACK_TRACE);
  });

  it('a GitHub 502 on the comment list is retried, and the comment is posted', async () => {
    emu.cloud.setScenario(previewWithChanges, 'acme/app/dev');
    emu.github.setFaults([{ endpoint: 'comments', calls: [1], status: 502 }]);
    const before = emu.github.comments.length;
    const run = await runE2E(emu, {
      event: eventOn(PR + 2),
      env: { GITHUB_REPOSITORY: 'acme/infra' },
      inputs: { stack: 'app/dev', operation: 'preview', 'comment-on-pr': 'true' },
    });
    expect(run.exitCode, run.jobLog).toBe(0);
    expect(commentWarnings(run)).toEqual([]);
    expect(emu.github.comments.length).toBe(before + 1);
    expect(emu.github.requests.filter((r) => r.endpoint === 'comments' && r.method === 'GET').length).toBeGreaterThanOrEqual(2);
  });

  it('a GitHub 500 on the comment create is not sent again (it may have been made)', async () => {
    emu.cloud.setScenario(previewWithChanges, 'acme/app/dev');
    const creates = () => emu.github.requests.filter((r) => r.endpoint === 'comments' && r.method === 'POST').length;
    const before = creates();
    emu.github.setFaults([{ endpoint: 'comments', calls: [2], status: 500 }]);
    const run = await runE2E(emu, {
      event: eventOn(PR + 1),
      env: { GITHUB_REPOSITORY: 'acme/infra' },
      inputs: { stack: 'app/dev', operation: 'preview', 'comment-on-pr': 'true' },
    });
    expect(run.exitCode, run.jobLog).toBe(0);
    expect(creates() - before).toBe(1);
    expect(commentWarnings(run)).toEqual([expect.stringMatching(/^Could not comment on pull request #8: POST \/repos\/acme\/infra\/issues\/8\/comments answered 500/)]);
  });
});
