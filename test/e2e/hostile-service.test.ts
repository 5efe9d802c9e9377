// A misbehaving or hostile Pulumi Cloud, end to end through dist/ and the runner emulator:
// slow bodies, endless streams, empty and non-JSON answers, path-changing ids, refused
// /updates, oversized bodies. Each test names the promise it checks (issues 9 and 12).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { longRunning, previewWithChanges, quickSuccess } from '../../emulators/pulumi-cloud/scenarios.mjs';
import { hugeErrorBody } from '../../emulators/lib/faults.mjs';
import type { RunResult } from '../../emulators/runner/runner.mjs';
import { cleanupRuns, errorOf, requestsTo, runE2E, startEmulators, type Emulators } from '../support/harness.js';

/** Emulator and action both run 20 times faster than real time (loopback only, see pollTiming). */
const SCALE = 20;
const SCALED = { PULUMI_DEPLOY_ACTION_TIME_SCALE: String(SCALE) };
const STACK_TRACE = /^\s+at /m;
const REQUEST_ID = /\(request id [0-9a-f-]{36}\)/;

let emu: Emulators;
beforeAll(async () => {
  emu = await startEmulators({ timeScale: SCALE });
});
beforeEach(() => {
  emu.cloud.setFaults([]);
  emu.cloud.setHostile({});
  emu.cloud.setScenario(quickSuccess);
});
afterAll(async () => {
  cleanupRuns();
  await emu.close();
});

const deploy = (inputs: Record<string, string> = {}) => ({ stack: 'app/dev', operation: 'update', ...inputs });
const latest = () => [...emu.cloud.deployments.values()].at(-1)!;
/** ms from the "Creating ..." line (the timeout starts just before it) to main's exit. */
function createToExitMs(run: RunResult): number {
  const created = run.main.lines.find((l) => l.text.startsWith('Creating '));
  expect(created, run.jobLog).toBeDefined();
  return run.main.exitedAt! - created!.at;
}
/** Errors of main, one per annotation. */
const mainErrors = (run: RunResult) => run.annotations.filter((a) => a.step === 'main' && a.level === 'error').map((a) => a.message);

describe('time stays bounded', () => {
  const trickling = async (endpoint: string) => {
    emu.cloud.setScenario(longRunning(600_000));
    // 1 byte every 300 ms: a socket idle timeout never fires, a status body takes minutes.
    emu.cloud.setFaults([{ endpoint, trickle: { bytesPerChunk: 1, intervalMs: 300 } }]);
    // The runner emulator's safety net ends a hung step after 12 s (the test then fails).
    const run = await runE2E(emu, { inputs: deploy({ timeout: '4s' }), env: SCALED, timeoutMs: 12_000 });
    expect(run.main.timedOut, run.jobLog.slice(-2000)).toBe(false);
    expect(run.exitCode).toBe(1);
    expect(createToExitMs(run), run.jobLog).toBeLessThan(4_000 + 3_000);
    expect(errorOf(run)).toMatch(/did not finish within 4s|timed out|timeout/i);
    expect(requestsTo(emu.cloud, 'cancel').filter((r) => r.path.includes(latest().id)).length).toBeGreaterThanOrEqual(1);
    expect(latest().cancelRequestedAt).not.toBeNull();
    expect(run.jobLog).not.toMatch(STACK_TRACE);
  };
  it('a body trickling on logs: the step still ends by timeout, and the deployment is cancelled', () => trickling('logs'));
  it('a body trickling on get: the step still ends by timeout, and the deployment is cancelled', () => trickling('get'));

  it('a log stream whose nextToken never ends: a succeeded deployment still succeeds, within one status interval and the drain', async () => {
    emu.cloud.setHostile({ endlessLogs: 'lines' });
    const run = await runE2E(emu, { inputs: deploy({ timeout: '12s' }), env: SCALED });
    expect(run.exitCode, run.jobLog).toBe(0);
    expect(run.outputs['deployment-status']).toBe('succeeded');
    const d = latest();
    // The deployment ran well under a second; then at most one status interval (10 s / 20) and
    // the drain (60 s / 20) before the verdict. Without the status reads: 12 s.
    expect(createToExitMs(run)).toBeLessThan(d.endsAt - d.createdAt + 500 + 3_000 + 3_000);
    expect(run.jobLog).toContain('still streaming after the end (1)');
    expect(run.jobLog).toContain('The deployment ended but its log kept coming; the rest is in the console');
    // Bounded: the pages of one status interval (500 ms / 50 ms apart) after the end, then the drain (3 s / 50 ms).
    expect(d.pagesAfterEnd ?? 0).toBeLessThanOrEqual(10 + 60 + 5);
  });
});

describe('empty and non-JSON answers', () => {
  it.each([
    ['an empty body', ''],
    ['a body that is not JSON', '<html>502 Bad Gateway</html>'],
  ])('create answers 200 with %s: one line naming the call, status and request id; post cancels what was created', async (problem, rawBody) => {
    emu.cloud.setScenario(longRunning(600_000));
    emu.cloud.setFaults([{ endpoint: 'create', rawBody }]);
    const run = await runE2E(emu, { inputs: deploy() });
    expect(run.exitCode).toBe(1);
    expect(mainErrors(run)).toHaveLength(1);
    expect(errorOf(run)).toMatch(new RegExp(`^Creating the deployment failed: POST /api/stacks/acme/app/dev/deployments answered 200 with ${problem} ${REQUEST_ID.source}$`));
    expect(run.jobLog).not.toMatch(STACK_TRACE);
    expect(run.jobLog).not.toMatch(/TypeError|SyntaxError|undefined/);
    // the create happened; main never learnt its id, so post found it and cancelled it
    expect(run.post?.stdout).toMatch(/Found deployment \S+, created by this run's unanswered request: cancellation requested/);
    expect(latest().cancelRequestedAt).not.toBeNull();
  });

  it('get answers 200 with an empty and a non-JSON body: readable retry lines, then it goes on', async () => {
    emu.cloud.setFaults([
      { endpoint: 'get', calls: [1], rawBody: '' },
      { endpoint: 'get', calls: [2], rawBody: 'upstream connect error' },
    ]);
    const run = await runE2E(emu, { inputs: deploy(), env: SCALED });
    expect(run.exitCode, run.jobLog).toBe(0);
    const id = latest().id;
    const path = `GET /api/stacks/acme/app/dev/deployments/${id}`;
    expect(run.jobLog).toMatch(new RegExp(`Reading the deployment failed: ${path} answered 200 with an empty body ${REQUEST_ID.source}; retrying in`));
    expect(run.jobLog).toMatch(new RegExp(`Reading the deployment failed: ${path} answered 200 with a body that is not JSON ${REQUEST_ID.source}; retrying in`));
    expect(run.jobLog).not.toMatch(STACK_TRACE);
  });
});

describe('ids from the service never change a request path', () => {
  const ALLOWED =
    /^\/api\/(oauth\/token|user|stacks\/acme\/app\/dev\/(deployments(\/[0-9a-f-]{36}(\/(logs|updates|cancel))?)?|(preview|update|refresh|destroy)\/[0-9a-f-]{36}\/events))$/;
  it.each(['..', 'a/b', '../../../user', '.', '%2e%2e', 'x?y=1'])('id %j: one clear error, no request to a changed path', async (id) => {
    emu.cloud.setHostile({ id });
    const run = await runE2E(emu, { inputs: deploy() });
    expect(run.exitCode).toBe(1);
    const bad = emu.cloud.requests.filter((r) => !ALLOWED.test(r.path));
    expect(bad.map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(mainErrors(run)).toHaveLength(1);
    expect(errorOf(run)).toMatch(/^Creating the deployment failed: the service answered an id that is not a deployment id \(.+\)$/);
    expect(run.jobLog).not.toMatch(STACK_TRACE);
  });
});

describe('/updates refused: changes are unknown, never "none"', () => {
  it.each([
    [403, { code: 403, message: 'Forbidden: no read access to updates' }],
    [503, { code: 503, message: 'Service Unavailable' }],
  ])('%i on /updates: has-changes unknown, resource-changes {"unknown":true}, expect-no-changes fails naming the call', async (status, body) => {
    emu.cloud.setScenario(previewWithChanges);
    emu.cloud.setFaults([{ endpoint: 'updates', status, body, headers: { 'Retry-After': '0' } }]);
    const run = await runE2E(emu, { inputs: deploy({ operation: 'preview', 'expect-no-changes': 'true' }), env: SCALED });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['has-changes']).toBe('unknown');
    expect(JSON.parse(run.outputs['resource-changes']!)).toEqual({ unknown: true });
    expect(mainErrors(run)).toHaveLength(1);
    expect(errorOf(run)).toMatch(new RegExp(`Reading the deployment updates failed: Pulumi Cloud answered ${status}`));
    expect(errorOf(run)).not.toContain('\n');
    expect(run.jobLog).not.toMatch(STACK_TRACE);
  });
});

describe('oversized bodies', () => {
  it.each([
    ['with Content-Length', 32 * 1024 * 1024],
    ['chunked', { bytes: 32 * 1024 * 1024, chunked: true }],
  ])('a 32 MiB log page (%s): one clear error, no crash', async (_how, oversize) => {
    emu.cloud.setFaults([{ endpoint: 'logs', calls: [1], oversize }]);
    const seen = emu.cloud.requests.length;
    const run = await runE2E(emu, { inputs: deploy(), env: SCALED });
    expect(run.exitCode).toBe(1);
    expect(mainErrors(run)).toHaveLength(1);
    expect(errorOf(run)).toMatch(
      new RegExp(`^Reading the deployment logs failed: GET /api/stacks/acme/app/dev/deployments/[0-9a-f-]{36}/logs answered 200 with a body over 16384 KiB ${REQUEST_ID.source}$`),
    );
    expect(run.jobLog).not.toMatch(STACK_TRACE);
    expect(emu.cloud.requests.slice(seen).filter((r) => r.endpoint === 'logs')).toHaveLength(1); // never retried
  });

  it('a 4 MiB error message is cut in the retry line and in the annotation', async () => {
    const huge = hugeErrorBody(0, 4 * 1024 * 1024, 'm');
    emu.cloud.setFaults([
      { endpoint: 'logs', calls: [1], status: 503, body: { ...huge, code: 503 }, headers: { 'Retry-After': '0' } },
      { endpoint: 'logs', calls: [2], status: 400, body: { ...huge, code: 400 } },
    ]);
    const run = await runE2E(emu, { inputs: deploy(), env: SCALED });
    expect(run.exitCode).toBe(1);
    const retry = run.jobLogEntries.find((e) => e.step === 'main' && /Reading the deployment logs failed: Pulumi Cloud answered 503/.test(e.text));
    expect(retry, run.jobLog.slice(0, 5000)).toBeDefined();
    expect(retry!.text.length).toBeLessThan(1_000);
    expect(retry!.text).toMatch(/m… \(\d+ more characters\)/);
    expect(mainErrors(run)).toHaveLength(1);
    expect(errorOf(run).length).toBeLessThan(1_000);
    expect(errorOf(run)).toMatch(/^Reading the deployment logs failed: Pulumi Cloud answered 400: m+… \(\d+ more characters\)/);
    // nothing in the whole log carries the message whole
    expect(Math.max(...run.jobLog.split('\n').map((l) => l.length))).toBeLessThan(5_000);
    expect(run.jobLog).not.toMatch(STACK_TRACE);
  });
});

describe('hostile field values set nothing on the runner', () => {
  const OWN_STATE = ['login', 'token-sha256', 'deployment'];
  const INJECTED_MASK = 'pulumi-hostile-injected-mask-value';
  /** What only an injected command could have done. */
  function expectNothingInjected(run: RunResult): void {
    expect(Object.keys(run.outputs).filter((k) => !run.manifest.outputs.includes(k))).toEqual([]);
    expect(Object.keys(run.state).filter((k) => !OWN_STATE.includes(k))).toEqual([]);
    expect(run.masks).not.toContain(INJECTED_MASK);
    expect(run.masks.filter((m) => m.length < 20)).toEqual([]);
    expect(run.annotations.filter((a) => /injected/.test(a.message))).toEqual([]);
    expect(run.main.commandFailed).toBe(false);
    // Commands still work after the hostile value was printed: the streamed steps are groups.
    // Whatever the emulator makes of it: no line the runner could read as a command carries it
    // (the runner splits on \n and a bare \r; `::` at a line's start, `##[` anywhere).
    const lines = [run.main.stdout, run.post?.stdout ?? ''].join('\n').split(/\r\n|\r|\n/);
    expect(lines.filter((l) => /injected/.test(l) && (/^\s*::/.test(l) || /##\[/.test(l)))).toEqual([]);
    const groups = run.jobLogEntries.filter((e) => e.step === 'main' && e.kind === 'group').map((e) => e.text);
    expect(groups).toContain('Get source');
  }

  it.each([
    ['a newline and ::set-output', 'https://app.pulumi.com/acme/app/dev/deployments/1\n::set-output name=injected::yes'],
    ['a newline and ::add-mask', `https://app.pulumi.com/acme/app/dev/deployments/1\n::add-mask::${INJECTED_MASK}`],
    ['a CR and ##[stop-commands]', 'https://app.pulumi.com/acme/app/dev/deployments/1\r##[stop-commands]injected'],
    ['a CR and ::error', 'https://app.pulumi.com/1\r::error::injected annotation'],
  ])('consoleUrl with %s', async (_what, consoleUrl) => {
    emu.cloud.setHostile({ consoleUrl });
    const run = await runE2E(emu, { inputs: deploy(), env: SCALED });
    expectNothingInjected(run);
    expect(run.outputs['deployment-url'] ?? '').not.toMatch(/[\r\n]/);
  });

  it('a consoleUrl that is not http(s) is neither output nor linked', async () => {
    emu.cloud.setHostile({ consoleUrl: 'javascript:alert(document.cookie)' });
    const run = await runE2E(emu, { inputs: deploy(), env: SCALED });
    expect(run.exitCode, run.jobLog).toBe(0);
    expect(run.allBytesWritten).not.toContain('javascript:');
  });

  const hostileStatus = async (status: string) => {
    emu.cloud.setScenario(longRunning(600_000));
    emu.cloud.setHostile({ status });
    const run = await runE2E(emu, { inputs: deploy({ timeout: '2s' }), env: SCALED });
    expect(run.exitCode).toBe(1);
    expectNothingInjected(run);
    expect(run.outputs['deployment-status'] ?? '').toMatch(/^[a-z-]*$/);
    expect(run.allBytesWritten).not.toContain('##[stop-commands]');
    expect(run.jobLog).not.toMatch(STACK_TRACE);
  };
  it('a status not in the enum: timeout as usual, the status said safely', () => hostileStatus('exploded'));
  // The status goes to the deployment-status output and the summary: only the spec's values, else 'unknown'.
  it.each([
    ['a newline and ::set-output', 'running\n::set-output name=injected::yes'],
    ['a CR and ##[stop-commands]', 'running\r##[stop-commands]injected'],
  ])('a status with %s: timeout as usual, nothing injected, status said safely', (_what, status) => hostileStatus(status));
});
