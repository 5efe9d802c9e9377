// The orchestrator with a fake client, a fake clock and recording reporters: the order of calls,
// a failing deployment, the timeout, the workflow's cancel and an error of ours. No network, no
// wall-clock waits beyond a few milliseconds.
import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { deployStacks, type StackRun } from '../../src/orchestrator.js';
import type { PulumiCloudClient } from '../../src/cloud/client.js';
import type { DeploymentConfig } from '../../src/inputs/parse.js';
import type { CreatedRun } from '../../src/domain/outcome.js';
import type { Judged } from '../../src/report/verdict.js';
import type { Reporter } from '../../src/report/reporter.js';
import type { Clock } from '../../src/runner-io/clock.js';
import type { Log } from '../../src/runner-io/log.js';
import { SecretRegistry } from '../../src/runner-io/secrets.js';
import { PostStateWriter } from '../../src/runner-io/state.js';

const stack = { organization: 'acme', project: 'app', stack: 'dev' };
const ORIGIN = 'https://app.pulumi.com';

/** A clock that moves only when the code sleeps; each sleep yields to the event loop. */
function fakeClock(): Clock & { slept: number[] } {
  let t = 1_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
    deadline: () => new AbortController().signal,
    realMs: (ms) => ms,
  };
}

function recordingLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warning: (m) => lines.push(`warning ${m}`),
    error: (m) => lines.push(`error ${m}`),
    debug: () => {},
    group: (title) => lines.push(`group ${title}`),
    write: (chunk) => void lines.push(`log ${chunk}`),
    closeGroupWith: () => {},
  };
}

/** A client whose statuses follow `statuses` (the last one repeats); every call is recorded in order. */
function fakeClient(statuses: string[], options: { onGet?: (n: number) => void; createFails?: boolean } = {}) {
  const calls: string[] = [];
  let gets = 0;
  const client = {
    listDeployments: async () => (calls.push('list'), { deployments: [{ version: 2 }] }),
    createDeployment: async () => {
      calls.push('create');
      if (options.createFails) throw new Error('Creating the deployment failed: 400 bad request');
      return { id: 'd-1', version: 3, consoleUrl: `${ORIGIN}/acme/app/dev/deployments/d-1` };
    },
    getDeployment: async () => {
      calls.push('get');
      gets++;
      options.onGet?.(gets);
      return { status: statuses[Math.min(gets, statuses.length) - 1], jobs: [] };
    },
    getDeploymentLogs: async () => (calls.push('logs'), { lines: [], nextToken: undefined }),
    getDeploymentUpdates: async () => (calls.push('updates'), []),
    getUpdateEvents: async () => (calls.push('events'), { events: [] }),
    cancelDeployment: async () => void calls.push('cancel'),
  };
  return { client: client as unknown as PulumiCloudClient, calls };
}

function recordingReporter() {
  const seen: string[] = [];
  const results: Judged[][] = [];
  const reporter: Reporter = {
    created: (run: CreatedRun) => void seen.push(`created ${run.ref.id}`),
    finished: async (r) => {
      seen.push('finished');
      results.push(r);
    },
  };
  return { reporter, seen, results };
}

const deployment = (overrides: Partial<DeploymentConfig> = {}): DeploymentConfig =>
  ({
    stack,
    operation: 'update',
    wait: true,
    streamLogs: false,
    timeoutSeconds: 3600,
    cancelOnTimeout: true,
    cancelOnJobCancel: true,
    failOnSkipped: false,
    ...overrides,
  }) as DeploymentConfig;

async function run(stackRun: StackRun, client: PulumiCloudClient, signals = new EventEmitter()) {
  const log = recordingLog();
  const clock = fakeClock();
  const saved: Record<string, string> = {};
  const state = new PostStateWriter((name, value) => (saved[name] = value));
  const { reporter, seen, results } = recordingReporter();
  const started = Date.now();
  const judged = await deployStacks(
    [stackRun],
    { expectNoChanges: false, changesIncludeOutputs: false, consoleBase: ORIGIN },
    {
      client,
      secrets: new SecretRegistry(() => {}),
      state,
      log,
      clock,
      consoleOrigin: ORIGIN,
      signals,
      timing: { activeMs: 1, idleStartMs: 2, idleMaxMs: 4, growth: 2, statusMs: 4, drainMs: 10 },
    },
    [reporter],
  );
  return { judged, log, clock, saved, seen, results, tookMs: Date.now() - started };
}

describe('deployStacks', () => {
  it('creates, follows to the end, then reports once: created before finished, the verdict in the results', async () => {
    const { client, calls } = fakeClient(['accepted', 'running', 'succeeded']);
    const r = await run({ deployment: deployment(), body: { operation: 'update' } }, client);
    expect(calls).toEqual(['list', 'create', 'get', 'get', 'get', 'updates']);
    expect(r.seen).toEqual(['created d-1', 'finished']);
    expect(r.judged).toHaveLength(1);
    expect(r.judged[0]!.outcome.end).toBe('followed');
    expect(r.judged[0]!.ok).toBe(true);
    expect(r.results[0]).toBe(r.judged);
    const creating = r.log.lines.findIndex((l) => l.startsWith('info Creating an update deployment of acme/app/dev'));
    const created = r.log.lines.findIndex((l) => l.startsWith('info Deployment d-1 (#3) created'));
    expect(creating).toBeGreaterThanOrEqual(0);
    expect(created).toBeGreaterThan(creating);
    expect(JSON.parse(r.saved.deployment!)).toMatchObject({ settled: 'finished', run: { ref: { id: 'd-1' } } });
    // The status loop waited on the clock, not the wall.
    expect(r.clock.slept.length).toBeGreaterThan(0);
    expect(r.tookMs).toBeLessThan(1_000);
  });

  it('a failing deployment is a failed verdict that names the status', async () => {
    const { client } = fakeClient(['running', 'failed']);
    const r = await run({ deployment: deployment(), body: { operation: 'update' } }, client);
    expect(r.judged[0]!.ok).toBe(false);
    expect(r.judged[0]!.message).toMatch(/failed/);
    expect(r.seen).toEqual(['created d-1', 'finished']);
  });

  it('the timeout stops following, cancels (cancel-on-timeout) and is one stop reason on the outcome', async () => {
    const { client, calls } = fakeClient(['running']);
    const r = await run({ deployment: deployment({ timeoutSeconds: 0.02 }), body: { operation: 'update' } }, client);
    const outcome = r.judged[0]!.outcome;
    expect(outcome.end).toBe('followed');
    if (outcome.end !== 'followed') return;
    expect(outcome.followed.stop).toBe('timeout');
    expect(outcome.followed.cancelRequested).toBe(true);
    expect(calls).toContain('cancel');
    expect(r.judged[0]!.ok).toBe(false);
    expect(JSON.parse(r.saved.deployment!)).toMatchObject({ stoppedBy: 'timeout', settled: 'cancel-requested' });
    expect(r.tookMs).toBeLessThan(1_000);
  });

  it("the workflow's cancel (SIGTERM) cancels the deployment and fails the step saying so", async () => {
    const signals = new EventEmitter();
    const { client, calls } = fakeClient(['running'], { onGet: (n) => n === 2 && signals.emit('SIGTERM', 'SIGTERM') });
    const r = await run({ deployment: deployment(), body: { operation: 'update' } }, client, signals);
    expect(r.judged[0]!.outcome).toMatchObject({ end: 'workflow-cancelled', cancel: 'requested', signalName: 'SIGTERM' });
    expect(calls.at(-1)).toBe('cancel');
    expect(r.judged[0]!.ok).toBe(false);
    expect(r.judged[0]!.message).toBe(`The workflow was cancelled (SIGTERM); cancellation of deployment d-1 requested: ${ORIGIN}/acme/app/dev/deployments/d-1`);
    expect(signals.listenerCount('SIGTERM')).toBe(0);
    expect(r.tookMs).toBeLessThan(1_000);
  });

  it('cancel-on-job-cancel false leaves it running and says where', async () => {
    const signals = new EventEmitter();
    const { client, calls } = fakeClient(['running'], { onGet: () => signals.emit('SIGINT', 'SIGINT') });
    const r = await run({ deployment: deployment({ cancelOnJobCancel: false }), body: { operation: 'update' } }, client, signals);
    expect(r.judged[0]!.outcome).toMatchObject({ end: 'workflow-cancelled', cancel: 'not-asked' });
    expect(calls).not.toContain('cancel');
    expect(JSON.parse(r.saved.deployment!)).toMatchObject({ stoppedBy: 'job-cancelled', settled: 'left-running-on-purpose' });
  });

  it('an error of ours before the create is an outcome, not a throw: no created, one finished', async () => {
    const { client, calls } = fakeClient(['running'], { createFails: true });
    const r = await run({ deployment: deployment(), body: { operation: 'update' } }, client);
    expect(calls).toEqual(['list', 'create']);
    expect(r.seen).toEqual(['finished']);
    expect(r.judged[0]).toMatchObject({ ok: false, message: 'Creating the deployment failed: 400 bad request', outcome: { end: 'error', run: undefined } });
  });

  it('wait: false hands the deployment over: no verdict line, the status read once', async () => {
    const { client, calls } = fakeClient(['running']);
    const r = await run({ deployment: deployment({ wait: false }), body: { operation: 'update' } }, client);
    expect(calls).toEqual(['list', 'create', 'get']);
    expect(r.judged[0]).toMatchObject({ ok: true, message: '', outcome: { end: 'not-waited', status: 'running' } });
  });
});
