// The orchestrator with a fake client, a fake clock and recording reporters: the order of calls,
// a failing deployment, the timeout, the workflow's cancel and an error of ours. No network, no
// wall-clock waits beyond a few milliseconds.
import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { deployStacks, type StackRun } from '../../src/orchestrator.js';
import { BufferedLog } from '../../src/runner-io/buffered-log.js';
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

/** Records every call; an own line first closes the open step group, as the runner's Log does. */
function recordingLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  let closeGroup: (() => void) | undefined;
  return {
    lines,
    info: (m) => (closeGroup?.(), lines.push(`info ${m}`)),
    warning: (m) => (closeGroup?.(), lines.push(`warning ${m}`)),
    error: (m) => (closeGroup?.(), lines.push(`error ${m}`)),
    debug: () => {},
    group: (title) => (closeGroup?.(), lines.push(`group ${title}`)),
    write: (chunk) => void lines.push(`log ${chunk}`),
    closeGroupWith: (close) => (closeGroup = close),
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
    { expectNoChanges: false, changesIncludeOutputs: false, consoleBase: ORIGIN, maxParallel: 1, failFast: true },
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

/** A client for several stacks: each stack's statuses follow its script (the last repeats); creates and ends are recorded in order. */
function stacksClient(scripts: Record<string, string[]>, options: { onGet?: (stack: string, n: number) => void; logs?: Record<string, string[]> } = {}) {
  const events: string[] = [];
  const gets = new Map<string, number>();
  let running = 0;
  let peak = 0;
  const ended = new Set<string>();
  const client = {
    listDeployments: async () => ({ deployments: [] }),
    createDeployment: async (ref: { stack: string }) => {
      events.push(`create ${ref.stack}`);
      running++;
      peak = Math.max(peak, running);
      return { id: `d-${ref.stack}`, version: 1, consoleUrl: `${ORIGIN}/acme/app/${ref.stack}/deployments/d-${ref.stack}` };
    },
    getDeployment: async (ref: { stack: string }) => {
      const n = (gets.get(ref.stack) ?? 0) + 1;
      gets.set(ref.stack, n);
      options.onGet?.(ref.stack, n);
      const statuses = scripts[ref.stack]!;
      const status = statuses[Math.min(n, statuses.length) - 1]!;
      if (['succeeded', 'failed'].includes(status) && !ended.has(ref.stack)) {
        ended.add(ref.stack);
        running--;
        events.push(`end ${ref.stack} ${status}`);
      }
      return { status, jobs: [] };
    },
    getDeploymentLogs: async (ref: { stack: string }, token?: string) => {
      const lines = options.logs?.[ref.stack] ?? [];
      if (token) return { lines: [] };
      return { lines: [{ header: `Step of ${ref.stack}` }, ...lines.map((line) => ({ line: `${line}\n` }))], nextToken: 'done' };
    },
    getDeploymentUpdates: async () => [],
    getUpdateEvents: async () => ({ events: [] }),
    cancelDeployment: async (ref: { stack: string }) => void events.push(`cancel ${ref.stack}`),
  };
  return { client: client as unknown as PulumiCloudClient, events, peak: () => peak };
}

async function runStacks(
  names: string[],
  client: PulumiCloudClient,
  options: { maxParallel?: number; failFast?: boolean; timeoutSeconds?: number; streamLogs?: boolean; signals?: EventEmitter; clock?: Clock } = {},
) {
  const log = recordingLog();
  const { reporter, seen, results } = recordingReporter();
  const started = Date.now();
  const judged = await deployStacks(
    names.map((name) => ({
      deployment: deployment({ stack: { ...stack, stack: name }, timeoutSeconds: options.timeoutSeconds ?? 3600, streamLogs: options.streamLogs ?? false }),
      body: { operation: 'update' },
    })),
    { expectNoChanges: false, changesIncludeOutputs: false, consoleBase: ORIGIN, maxParallel: options.maxParallel ?? 1, failFast: options.failFast ?? true },
    {
      client,
      secrets: new SecretRegistry(() => {}),
      state: new PostStateWriter(() => {}),
      log,
      clock: options.clock ?? fakeClock(),
      consoleOrigin: ORIGIN,
      signals: options.signals ?? new EventEmitter(),
      timing: { activeMs: 1, idleStartMs: 2, idleMaxMs: 4, growth: 2, statusMs: 4, drainMs: 10 },
    },
    [reporter],
  );
  return { judged, log, seen, results, tookMs: Date.now() - started };
}

const ends = (judged: Judged[]) =>
  judged.map((j) => (j.outcome.end === 'followed' ? j.outcome.followed.status : j.outcome.end === 'skipped' ? `skipped (${j.outcome.because})` : j.outcome.end));

describe('deployStacks with several stacks', () => {
  it('max-parallel 1: strictly in the listed order, each created only after the previous one ended; reporters once, in that order', async () => {
    const { client, events, peak } = stacksClient({ net: ['running', 'succeeded'], db: ['accepted', 'succeeded'], app: ['running', 'running', 'succeeded'] });
    const r = await runStacks(['net', 'db', 'app'], client);
    expect(events).toEqual(['create net', 'end net succeeded', 'create db', 'end db succeeded', 'create app', 'end app succeeded']);
    expect(peak()).toBe(1);
    expect(r.seen).toEqual(['created d-net', 'created d-db', 'created d-app', 'finished']);
    expect(r.judged.map((j) => j.outcome.stack.stack)).toEqual(['net', 'db', 'app']);
    expect(r.log.lines.filter((l) => l.startsWith('info Stacks:')).at(-1)).toBe('info Stacks: done acme/app/net (succeeded), acme/app/db (succeeded), acme/app/app (succeeded).');
    expect(r.tookMs).toBeLessThan(2_000);
  });

  it('several at once: a queued deployment reads its status half as often as one alone', async () => {
    const queued = [...Array<string>(20).fill('not-started'), 'succeeded'];
    const alone = fakeClock();
    await runStacks(['a', 'b'], stacksClient({ a: queued, b: queued }).client, { maxParallel: 1, clock: alone });
    const together = fakeClock();
    await runStacks(['a', 'b'], stacksClient({ a: queued, b: queued }).client, { maxParallel: 2, clock: together });
    // The test timing's idleMaxMs is 4: the longest wait while queued, alone, and twice it together.
    expect(Math.max(...alone.slept)).toBe(4);
    expect(Math.max(...together.slept)).toBe(8);
  });

  it('fail-fast: after a failure no more stacks start; they are skipped, and the step fails', async () => {
    const { client, events } = stacksClient({ a: ['succeeded'], b: ['running', 'failed'], c: ['succeeded'], d: ['succeeded'] });
    const r = await runStacks(['a', 'b', 'c', 'd'], client);
    expect(events).toEqual(['create a', 'end a succeeded', 'create b', 'end b failed']);
    expect(ends(r.judged)).toEqual(['succeeded', 'failed', 'skipped (fail-fast)', 'skipped (fail-fast)']);
    expect(r.judged.map((j) => j.ok)).toEqual([true, false, false, false]);
    expect(r.judged[2]!.message).toBe('acme/app/c was not deployed: an earlier stack failed (fail-fast).');
  });

  it('fail-fast false: a failure does not stop the rest', async () => {
    const { client, events } = stacksClient({ a: ['failed'], b: ['succeeded'] });
    const r = await runStacks(['a', 'b'], client, { failFast: false });
    expect(events).toEqual(['create a', 'end a failed', 'create b', 'end b succeeded']);
    expect(ends(r.judged)).toEqual(['failed', 'succeeded']);
  });

  it('max-parallel 2: never more than 2 at once, started in the listed order, the third only once one ended', async () => {
    const { client, events, peak } = stacksClient({ a: ['running', 'running', 'running', 'running', 'succeeded'], b: ['running', 'succeeded'], c: ['succeeded'] });
    const r = await runStacks(['a', 'b', 'c'], client, { maxParallel: 2 });
    expect(peak()).toBe(2);
    expect(events.filter((e) => e.startsWith('create'))).toEqual(['create a', 'create b', 'create c']);
    expect(events.indexOf('create c')).toBeGreaterThan(events.indexOf('end b succeeded'));
    expect(events.indexOf('create c')).toBeLessThan(events.indexOf('end a succeeded'));
    expect(ends(r.judged)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('fail-fast with max-parallel 2: the running one finishes, the queued ones are skipped', async () => {
    const { client, events } = stacksClient({ a: ['running', 'running', 'running', 'running', 'succeeded'], b: ['failed'], c: ['succeeded'] });
    const r = await runStacks(['a', 'b', 'c'], client, { maxParallel: 2 });
    expect(events).not.toContain('create c');
    expect(events).toContain('end a succeeded');
    expect(ends(r.judged)).toEqual(['succeeded', 'failed', 'skipped (fail-fast)']);
  });

  it('timeout bounds the whole step: the running stack times out, the rest never start', async () => {
    const { client, events } = stacksClient({ a: ['running'], b: ['succeeded'], c: ['succeeded'] });
    const r = await runStacks(['a', 'b', 'c'], client, { timeoutSeconds: 0.05, failFast: false });
    expect(events).toEqual(['create a', 'cancel a']);
    expect(ends(r.judged)).toEqual(['running', 'skipped (timeout)', 'skipped (timeout)']);
    expect(r.tookMs).toBeLessThan(2_000);
  });

  it('one signal listener on the process whatever max-parallel is (Node warns past 10)', async () => {
    const signals = new EventEmitter();
    let most = 0;
    const names = Array.from({ length: 12 }, (_, i) => `s${i}`);
    const { client, peak } = stacksClient(Object.fromEntries(names.map((n) => [n, ['running', 'running', 'succeeded']])), {
      onGet: () => (most = Math.max(most, signals.listenerCount('SIGINT'))),
    });
    await runStacks(names, client, { maxParallel: 12, signals });
    expect(peak()).toBe(12);
    expect(most).toBe(1);
    expect(signals.listenerCount('SIGINT')).toBe(0);
  });

  it("the workflow's cancel cancels every running deployment and starts no more", async () => {
    const signals = new EventEmitter();
    const { client, events } = stacksClient(
      { a: ['running'], b: ['running'], c: ['succeeded'] },
      { onGet: (name, n) => name === 'b' && n === 3 && signals.emit('SIGTERM', 'SIGTERM') },
    );
    const r = await runStacks(['a', 'b', 'c'], client, { maxParallel: 2, signals });
    expect(events.filter((e) => e.startsWith('cancel')).sort()).toEqual(['cancel a', 'cancel b']);
    expect(events).not.toContain('create c');
    expect(ends(r.judged)).toEqual(['workflow-cancelled', 'workflow-cancelled', 'skipped (job-cancelled)']);
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('several at once: one streams live, the other is held and written whole; every line once, in a group of its own stack', async () => {
    const logs = { a: ['a1', 'a2', '::warning::from a'], b: ['b1', 'b2'] };
    const { client } = stacksClient({ a: ['running', 'running', 'running', 'succeeded'], b: ['running', 'succeeded'] }, { logs });
    const r = await runStacks(['a', 'b'], client, { maxParallel: 2, streamLogs: true });
    // What the job log shows, in order: own lines and the deployment's chunks.
    const transcript = r.log.lines
      .filter((l) => l.startsWith('log ') || l.startsWith('info '))
      .map((l) => (l.startsWith('log ') ? l.slice('log '.length) : `${l.slice('info '.length)}\n`))
      .join('')
      .split('\n');
    // As the runner reads it: commands outside a stop-commands guard, one group at a time.
    let group: string | undefined;
    let guard: string | undefined;
    const seen: Record<string, string[]> = { a: [], b: [] };
    const owner = (line: string) => {
      const stackOf = /^\[acme\/app\/(\w)\] /.exec(group ?? '')?.[1];
      expect(stackOf, `${line} outside a group of its stack`).toBe(line.includes('from a') ? 'a' : line[0]);
      seen[stackOf!]!.push(line);
    };
    for (const line of transcript) {
      if (guard) {
        if (line === `::${guard}::`) guard = undefined;
        else owner(line);
        continue;
      }
      if (line.startsWith('::stop-commands::')) guard = line.slice('::stop-commands::'.length);
      else if (line.startsWith('::group::')) group = line.slice('::group::'.length);
      else if (line === '::endgroup::') group = undefined;
      else if (/^[ab]\d$/.test(line)) owner(line);
    }
    expect(seen).toEqual({ a: logs.a, b: logs.b });
    // b was held: its block comes whole, between its own header and footer lines.
    const start = transcript.indexOf('[acme/app/b] ---- log of acme/app/b ----');
    const end = transcript.indexOf('[acme/app/b] ---- end of acme/app/b ----');
    expect(start).toBeGreaterThanOrEqual(0);
    expect(transcript.slice(start, end).filter((l) => /^[ab]\d$/.test(l))).toEqual(['b1', 'b2']);
    // a streamed live: its lines are outside the held block, and a has no block of its own.
    expect(transcript.indexOf('a1') < start || transcript.indexOf('a1') > end).toBe(true);
    expect(transcript).not.toContain('[acme/app/a] ---- log of acme/app/a ----');
  });
});

describe('BufferedLog', () => {
  it('past its limit it keeps the group ends, counts the cut lines and names the console', async () => {
    const target = recordingLog();
    const log = new BufferedLog(target, 'acme/app/dev', { lines: 3, chars: 1_000 });
    void log.write('::group::one\nl1\nl2\n');
    void log.write('l3\nl4\n');
    void log.write('::endgroup::\n');
    await log.flush('https://app.pulumi.com/x');
    const block = target.lines.join('');
    expect(block).toContain('::group::[acme/app/dev] one\nl1\nl2\n::endgroup::\n');
    expect(block).not.toContain('l3');
    expect(block).toContain('[acme/app/dev] 2 lines of this log were cut (at most 3 are held while stacks run at once); the full log: https://app.pulumi.com/x');
  });

  it('a group line inside a stop-commands guard is deployment text: left as it is', () => {
    const target = recordingLog();
    const log = new BufferedLog(target, 's');
    void log.write('::stop-commands::pulumi-log-x\n::group::evil\n::pulumi-log-x::\n::group::ours\n');
    void log.flush();
    expect(target.lines.join('')).toContain('::stop-commands::pulumi-log-x\n::group::evil\n::pulumi-log-x::\n::group::[s] ours\n');
  });
});
