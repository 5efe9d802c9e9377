// Nothing is left running, and the user's choices hold: end to end through dist/ and the runner
// emulator, with the runner's SIGINT / SIGTERM / SIGKILL sequence (issues 9 and 12).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { longRunning } from '../../emulators/pulumi-cloud/scenarios.mjs';
import { createCanceller, type RunResult } from '../../emulators/runner/runner.mjs';
import type { DeploymentRecord } from '../../emulators/pulumi-cloud/server.mjs';
import { cleanupRuns, errorOf, runE2E, startEmulators, type Emulators } from '../support/harness.js';

const SCALE = 20;
const SCALED = { PULUMI_DEPLOY_ACTION_TIME_SCALE: String(SCALE) };
const STACK_TRACE = /^\s+at /m;
/** SIGINT, then SIGTERM and SIGKILL at once: main gets no time to act. */
const KILL_AT_ONCE = { sigint: 0, sigterm: 0 };

let emu: Emulators;
beforeAll(async () => {
  // 600 s of deployment at 20x: 30 s, longer than any test here.
  emu = await startEmulators({ timeScale: SCALE, scenario: longRunning(600_000) });
});
beforeEach(() => {
  emu.cloud.setFaults([]);
});
afterAll(async () => {
  cleanupRuns();
  await emu.close();
});

const deploy = (inputs: Record<string, string> = {}) => ({ stack: 'app/dev', operation: 'update', ...inputs });
const epochOf = (run: RunResult, at: number) => run.main.startedAtEpochMs + at;
/** Cancel requests for one deployment, split by who sent them (main, or post after main exited). */
function cancelsOf(run: RunResult, d: DeploymentRecord) {
  const mainEnd = epochOf(run, run.main.exitedAt!);
  const all = emu.cloud.requests.filter((r) => r.endpoint === 'cancel' && r.path.endsWith(`/deployments/${d.id}/cancel`));
  return { all, byMain: all.filter((r) => r.at <= mainEnd), byPost: all.filter((r) => r.at > mainEnd) };
}
/** The deployments created during a run (found by time, since main may never learn the id). */
const createdDuring = (run: RunResult) => [...emu.cloud.deployments.values()].filter((d) => d.createdAt >= run.main.startedAtEpochMs);

describe('a create answered late, or never', () => {
  // The create happens at once; its answer comes 10 s later, past main's 4 s wait after SIGINT.
  const slowCreate = [{ endpoint: 'create', lateMs: 10_000 }];
  const creating = (out: string) => out.includes('Creating an update deployment');

  it('SIGINT during a slow create: main gives up after its grace, post finds the deployment by listing and cancels it', async () => {
    emu.cloud.setFaults(slowCreate);
    const run = await runE2E(emu, { inputs: deploy(), env: SCALED, cancelWhen: creating });
    const [d, ...others] = createdDuring(run);
    expect(others).toHaveLength(0);
    expect(d, run.jobLog).toBeDefined();
    // main stopped within the runner's 7.5 s grace, on its own
    expect(run.main.signals.map((s) => s.signal)).toEqual(['SIGINT']);
    expect(run.main.exitedAt! - run.main.cancelledAt!).toBeLessThan(7_500);
    expect(errorOf(run)).toMatch(/^The workflow was cancelled \(SIGINT\) before the create request was answered; the post step looks for the deployment/);
    const cancels = cancelsOf(run, d!);
    expect(cancels.byPost.length, run.jobLog).toBeGreaterThanOrEqual(1);
    expect(emu.cloud.requests.some((r) => r.endpoint === 'list' && r.at > epochOf(run, run.main.exitedAt!))).toBe(true);
    expect(run.post!.stdout).toContain(`Found deployment ${d!.id}, created by this run's unanswered request: cancellation requested`);
    expect(d!.cancelRequestedAt).not.toBeNull();
    expect(run.jobLog).not.toMatch(STACK_TRACE);
  });

  /** NODE_OPTIONS that move the action's clock (Date) `offsetMs` off the service's, for main and post alike. */
  const skewedClock = (offsetMs: number) => {
    const code = `const off=${offsetMs};const R=Date;const now=R.now.bind(R);globalThis.Date=class extends R{constructor(...a){super(...(a.length?a:[now()+off]))}static now(){return now()+off}};`;
    return `--import=data:text/javascript,${encodeURIComponent(code)}`;
  };

  it.each([
    ['3 hours ahead of', 3],
    ['3 hours behind', -3],
  ])('the runner clock %s the service: post finds the deployment by version and cancels only it', async (_name, hours) => {
    // An older run of the same identity, still running: post must leave it alone.
    const older = await runE2E(emu, { inputs: deploy({ wait: 'false' }), env: SCALED });
    const olderId = older.outputs['deployment-id']!;
    emu.cloud.setFaults(slowCreate);
    const run = await runE2E(emu, { inputs: deploy(), env: { ...SCALED, NODE_OPTIONS: skewedClock(hours * 3_600_000) }, cancelWhen: creating });
    const [d, ...others] = createdDuring(run);
    expect(others).toHaveLength(0);
    expect(d, run.jobLog).toBeDefined();
    expect(run.post!.stdout, run.jobLog).toContain(`Found deployment ${d!.id}, created by this run's unanswered request: cancellation requested`);
    expect(d!.cancelRequestedAt).not.toBeNull();
    expect(emu.cloud.deployments.get(olderId)!.cancelRequestedAt).toBeNull();
    // The action did run on the skewed clock: the token expiry it printed is that far off the older run's.
    const expiry = (r: RunResult) => Date.parse(/it expires at (\S+)\./.exec(r.main.stdout)![1]!);
    expect(Math.abs(expiry(run) - expiry(older) - hours * 3_600_000)).toBeLessThan(60_000);
  });

  it('SIGKILL during a slow create: post still finds the deployment and cancels it', async () => {
    emu.cloud.setFaults(slowCreate);
    // Killed once the service has the request (a kill before it leaves creates nothing to find).
    const canceller = createCanceller();
    const since = Date.now();
    const watch = setInterval(() => {
      if ([...emu.cloud.deployments.values()].some((d) => d.createdAt >= since)) canceller.cancel();
    }, 5);
    const run = await runE2E(emu, { inputs: deploy(), env: SCALED, canceller, cancelGraceMs: KILL_AT_ONCE }).finally(() => clearInterval(watch));
    // Killed before any answer (SIGTERM or SIGKILL, both at once after SIGINT).
    expect(['SIGTERM', 'SIGKILL']).toContain(run.main.signal);
    const [d] = createdDuring(run);
    expect(d, run.jobLog).toBeDefined();
    expect(cancelsOf(run, d!).byPost.length, run.jobLog).toBeGreaterThanOrEqual(1);
    expect(run.post!.stdout).toContain(`Found deployment ${d!.id}, created by this run's unanswered request: cancellation requested`);
  });

  it('SIGINT during a slow create with cancel-on-job-cancel false: post leaves it running', async () => {
    emu.cloud.setFaults(slowCreate);
    const run = await runE2E(emu, { inputs: deploy({ 'cancel-on-job-cancel': 'false' }), env: SCALED, cancelWhen: creating });
    const [d] = createdDuring(run);
    expect(d).toBeDefined();
    expect(cancelsOf(run, d!).all).toHaveLength(0);
    expect(emu.cloud.requests.filter((r) => r.endpoint === 'list' && r.at > epochOf(run, run.main.exitedAt!))).toHaveLength(0);
    expect(d!.cancelRequestedAt).toBeNull();
  });
});

type Stop = 'timeout' | 'SIGINT' | 'SIGKILL';
const CASES: Array<{ stop: Stop; cancelOnTimeout: boolean; cancelOnJobCancel: boolean }> = [];
for (const stop of ['timeout', 'SIGINT', 'SIGKILL'] as Stop[]) {
  for (const cancelOnTimeout of [true, false]) for (const cancelOnJobCancel of [true, false]) CASES.push({ stop, cancelOnTimeout, cancelOnJobCancel });
}

describe('cancel-on-timeout x cancel-on-job-cancel x timeout / SIGINT / SIGKILL: post honours the choice', () => {
  it.each(CASES)('$stop, cancel-on-timeout $cancelOnTimeout, cancel-on-job-cancel $cancelOnJobCancel', async ({ stop, cancelOnTimeout, cancelOnJobCancel }) => {
    const inputs = deploy({ 'cancel-on-timeout': String(cancelOnTimeout), 'cancel-on-job-cancel': String(cancelOnJobCancel), timeout: stop === 'timeout' ? '3s' : '60s' });
    const created = (out: string) => / created: /.test(out);
    const run = await runE2E(emu, {
      inputs,
      env: SCALED,
      ...(stop === 'timeout' ? {} : { cancelWhen: created }),
      ...(stop === 'SIGKILL' ? { cancelGraceMs: KILL_AT_ONCE } : {}),
    });
    const id = run.outputs['deployment-id'];
    expect(id, run.jobLog).toBeDefined();
    const d = emu.cloud.deployments.get(id!)!;
    const allowed = stop === 'timeout' ? cancelOnTimeout : cancelOnJobCancel;
    const cancels = cancelsOf(run, d);
    const why = `${run.jobLog.slice(-2500)}\nstate: ${run.state.deployment}`;

    expect(run.exitCode === 0, why).toBe(false);
    // never cancels what the user asked to keep running
    if (!allowed) {
      expect(cancels.all, why).toHaveLength(0);
      expect(d.cancelRequestedAt).toBeNull();
      // main said so in the state; post says it left it running on purpose
      if (stop !== 'SIGKILL') expect(run.post!.stdout, why).toContain(`Deployment ${id} was left running on purpose`);
    } else {
      expect(cancels.all.length, why).toBeGreaterThanOrEqual(1);
      expect(d.cancelRequestedAt).not.toBeNull();
      // main cancels when it can; when it was killed, post cancels what main could not
      if (stop === 'SIGKILL') {
        // SIGKILL follows SIGINT at once, but main may still get its cancel out in that instant:
        // then post finds the run ended; otherwise post cancels what main could not.
        if (cancels.byMain.length === 0) {
          expect(cancels.byPost.length, why).toBeGreaterThanOrEqual(1);
          expect(run.post!.stdout).toMatch(new RegExp(`The step ended while deployment ${id} was [a-z-]+: cancellation requested`));
        }
      } else {
        expect(cancels.byMain.length, why).toBeGreaterThanOrEqual(1);
        expect(cancels.byPost, why).toHaveLength(0);
      }
    }
    // SIGTERM and SIGKILL follow SIGINT at once: main dies to one of them, or has just finished.
    if (stop === 'SIGKILL') expect(run.main.signals.map((x) => x.signal)[0]).toBe('SIGINT');
    expect(run.jobLog).not.toMatch(STACK_TRACE);
  });
});

describe('post: the token leaves the disk first, and post is bounded', () => {
  /** Main is killed once the deployment exists, so post has a deployment to clean up. */
  const killedAfterCreate = { cancelWhen: (out: string) => / created: /.test(out), cancelGraceMs: KILL_AT_ONCE };
  /** Post's own login hangs: the token exchange (the second of the run) is never answered. */
  const postLoginHangs = [{ endpoint: 'token', calls: [2, 3, 4, 5, 6], delayMs: 60_000 }];

  function withCredentialsFile() {
    const home = mkdtempSync(join(tmpdir(), 'pulumi-home-'));
    const file = join(home, '.pulumi', 'credentials.json');
    // A later `pulumi` CLI step writes the exported token into the credentials file.
    const onStdoutLine = (line: string, _at: number, info: { step: 'main' | 'post' }) => {
      if (info.step !== 'main' || !line.startsWith('Logged in to')) return;
      const ours = emu.cloud.issuedTokens.at(-1)!.token;
      mkdirSync(join(home, '.pulumi'), { recursive: true });
      writeFileSync(file, JSON.stringify({ current: emu.cloud.url, accessTokens: { [emu.cloud.url]: ours } }));
    };
    return { home, file, onStdoutLine, cleanup: () => rmSync(home, { recursive: true, force: true }) };
  }

  it('post stopped by SIGINT and SIGTERM while its clean-up hangs: no token is left on disk, and it exits on its own', async () => {
    emu.cloud.setFaults(postLoginHangs);
    const creds = withCredentialsFile();
    const run = await runE2E(emu, {
      inputs: deploy(),
      env: { ...SCALED, HOME: creds.home },
      onStdoutLine: creds.onStdoutLine,
      ...killedAfterCreate,
      // Once post has logged out, or 3 s in (a post that never does), SIGINT and SIGTERM at once,
      // SIGKILL 2.5 s later: as the runner's last two signals.
      cancelPost: { when: (out) => out.includes('Logged out'), afterMs: 3_000, graceMs: { sigint: 0, sigterm: 2_500 } },
    });
    const why = run.jobLog.slice(-2000);
    expect(
      run.post!.signals.map((s) => s.signal),
      why,
    ).toEqual(['SIGINT', 'SIGTERM']);
    expect(run.post!.signal, why).toBeNull();
    expect(run.post!.exitCode, why).toBe(0);
    expect(existsSync(creds.file), why).toBe(false);
    expect(run.post!.stdout).toMatch(/Stopped the deployment clean-up: post got SIG(INT|TERM)\. The local token was already removed/);
    creds.cleanup();
  });

  it('post with a hanging Pulumi API ends within its budget, the token already gone', async () => {
    emu.cloud.setFaults(postLoginHangs);
    const creds = withCredentialsFile();
    const run = await runE2E(emu, { inputs: deploy(), env: { ...SCALED, HOME: creds.home }, onStdoutLine: creds.onStdoutLine, ...killedAfterCreate });
    const why = run.jobLog.slice(-2000);
    // 60 s at 20x is 3 s, plus start-up and the 1 s flush a hung socket may cost.
    expect(run.post!.durationMs, why).toBeLessThan(60_000 / SCALE + 3_000);
    expect(run.post!.exitCode, why).toBe(0);
    expect(existsSync(creds.file), why).toBe(false);
    expect(run.post!.stdout).toContain("Stopped the deployment clean-up: post's 60 s budget ran out.");
    creds.cleanup();
  });
});
