// Several stacks in one step (bench/bench.mjs, section "stacks"): STACK_COUNT stacks with
// max-parallel STACK_COUNT against the Pulumi Cloud emulator, each compared with one stack run the
// same way (same scenario per stack, same inputs), and one stack's requests compared with those
// recorded before several stacks existed. Every budget is a ratio or a count, never a wall time.
import { manySteps, queuedSilently, stackTagged } from '../emulators/pulumi-cloud/scenarios.mjs';
import { tempDir, timedNode, startEmulators, runDist, requestCounts, median, minOf, int, mb, ms, ratio } from './lib.mjs';

export const STACK_COUNT = 20;
const FLEET = Array.from({ length: STACK_COUNT }, (_, i) => `acme/fleet/s${String(i + 1).padStart(2, '0')}`);
const QUEUED_MS = 600_000; // the queued runs: 10 min in not-started/accepted, as "10 min queued, silent"
const STREAM_LINES = 1_000; // the streaming runs: the 1,000-line stream of the streaming section,
const STREAM_MS = 10_000; // over 10 s, in real time
const RATE_MAX = STACK_COUNT; // requests per minute while queued: at most STACK_COUNT x one stack's
const RSS_MAX = 1.5; // peak RSS of the action's process: at most 1.5x one stack's

/**
 * Request counts by endpoint in bench/results.json at b3776ab (2026-11-24, the last saved run
 * before several stacks) of the same two scenarios, run the same way (the queued one at time scale
 * 20, a full run; a quick run's scale of 60 read the status 122 to 124 times then).
 */
const BEFORE = {
  stream: { token: 1, create: 1, get: 3, logs: 18, updates: 1, events: 1 },
  queued: { token: 1, create: 1, get: 125, logs: 1, updates: 1, events: 1 },
};
/**
 * Requests added since on purpose, per run: main reads the stack's newest deployment version
 * before the create, so post can find a deployment whose create answer was lost (5d04a34); and
 * with each progress line while a deployment is still not started (at 30 s, 90 s and 210 s of
 * the 10 queued minutes), the stack's and the organization's deployment metadata, to say why.
 */
const ADDED = { list: 1, 'stack-metadata': 3, 'org-metadata': 3 };
/** `get` and `logs` follow the clock (a status read every 0.5-5 s while queued, a log page a second while lines flow), and so do the progress lines' metadata reads; the others are fixed per run. */
const CLOCK_DRIVEN = new Set(['get', 'logs', 'stack-metadata', 'org-metadata']);
/** Allowed excess of a clock-driven count: 20% of the earlier count, at least 2 requests (a doubled poll rate fails). */
const noise = (before) => Math.max(2, Math.ceil(before * 0.2));

/**
 * One step deploying every stack of `stacks` with `scenario`, max-parallel STACK_COUNT, under the
 * /usr/bin/time wrapper: exit, peak RSS, requests (all, and while every deployment is queued:
 * from the login until the first deployment leaves the queue) and the log lines in the job log.
 */
async function fleetRun(stacks, scenario, timeScale) {
  const tmp = tempDir('bench-stacks-');
  const timed = timedNode(tmp.dir);
  const emu = await startEmulators({ stacks, scenario, timeScale });
  try {
    const inputs = { stack: stacks.join('\n'), operation: 'update', 'max-parallel': String(STACK_COUNT) };
    const run = await runDist(emu, { inputs, node: timed.node, runPost: false });
    const deployments = [...emu.cloud.deployments.values()];
    const requests = emu.cloud.requests;
    const from = minOf(requests.map((r) => r.at));
    const until = minOf(deployments.map((d) => d.startedAt ?? Infinity));
    const queued = requests.filter((r) => r.at >= from && r.at < until);
    const queuedMinutes = ((until - from) * timeScale) / 60_000;
    const result = {
      stacks: stacks.length,
      exitCode: run.main.exitCode,
      statuses: [...new Set(deployments.map((d) => d.status))],
      deployments: deployments.length,
      wallMs: run.main.durationMs,
      usage: timed.read(),
      requests: requestCounts(emu.cloud),
      queued: { minutes: queuedMinutes, total: queued.length, by: requestCounts({ requests: queued }).by, perMinute: queued.length / queuedMinutes },
      lines: tracedLines(deployments, run.jobLogEntries, stacks.length > 1),
    };
    run.cleanup();
    return result;
  } finally {
    await emu.close();
    tmp.cleanup();
  }
}

/**
 * Each deployment line (unique: stackTagged) in main's job log: printed once, more than once or
 * never, and (`labelled`: several stacks) outside a group labelled `[org/project/stack]` of its own.
 */
function tracedLines(deployments, entries, labelled) {
  const groupsOf = new Map();
  for (const e of entries) if (e.step === 'main' && e.kind === 'line') groupsOf.set(e.text, [...(groupsOf.get(e.text) ?? []), e.group]);
  const out = { expected: 0, once: 0, repeated: 0, missing: 0, untraced: 0 };
  for (const d of deployments) {
    for (const l of d.lines) {
      if (l.header !== undefined) continue;
      out.expected++;
      const groups = groupsOf.get(l.text) ?? [];
      if (groups.length === 0) out.missing++;
      else if (groups.length > 1) out.repeated++;
      else out.once++;
      if (labelled && groups.some((g) => !g?.startsWith(`[${d.stack}] `))) out.untraced++;
    }
  }
  return out;
}

/** Endpoints of `now` over what `before` (plus ADDED, plus noise when clock-driven) allows. */
function overBefore(now, before) {
  return Object.entries(now)
    .map(([endpoint, n]) => {
      const was = (before[endpoint] ?? 0) + (ADDED[endpoint] ?? 0);
      return { endpoint, now: n, allowed: was + (CLOCK_DRIVEN.has(endpoint) ? noise(was) : 0) };
    })
    .filter((x) => x.now > x.allowed);
}

const mean = (xs) => xs.reduce((a, x) => a + x, 0) / xs.length;
const sumLines = (runs) => runs.reduce((a, r) => Object.fromEntries(Object.keys(r.lines).map((k) => [k, (a[k] ?? 0) + r.lines[k]])), {});

/**
 * Requests while queued: one step of STACK_COUNT stacks, and at the same time STACK_COUNT steps of
 * one stack each (the one-stack rate is their mean), every stack queued QUEUED_MS at the bench's
 * `timeScale`. Peak RSS: STACK_COUNT stacks, then one, each streaming STREAM_LINES lines in real
 * time (`rssRuns` pairs, medians): at a scaled clock 20 stacks allocate far faster than they ever
 * would, and V8 grows its young generation for that. Every line of every stack is checked in all
 * runs. Returns rows [section, metric, value, note], budgets [name, limit, measured, ok], data.
 */
export async function benchStacks({ timeScale, rssRuns = 1, progress }) {
  const queuedScenario = stackTagged(queuedSilently(QUEUED_MS));
  const streamScenario = stackTagged(manySteps(STREAM_LINES, { durationMs: STREAM_MS, steps: 5 }));
  progress(
    `stacks: ${STACK_COUNT} stacks (max-parallel ${STACK_COUNT}) and ${STACK_COUNT} steps of one stack, at once, each queued ${QUEUED_MS / 60_000} min (time scale ${timeScale}: ~${(QUEUED_MS / timeScale / 1000).toFixed(0)} s)`,
  );
  // All at once, each step against its own emulators. At a scaled clock each answer's latency
  // delays the next status read timeScale times as much, and whether a stack's last read falls
  // inside the window is a matter of ms; with the shared login the design is under 1% below
  // 20x, so the same machine load for all and the mean of STACK_COUNT single stacks keep that
  // noise out of the ratio (one single stack run before or after varied from 18.1x to 21.0x).
  const [many, ...ones] = await Promise.all([fleetRun(FLEET, queuedScenario, timeScale), ...FLEET.map((stack) => fleetRun([stack], queuedScenario, timeScale))]);
  const queued = { many, ones, onePerMinute: mean(ones.map((r) => r.queued.perMinute)) };
  progress(`stacks: ${STACK_COUNT} stacks, then one, each streaming ${int(STREAM_LINES)} lines over ${STREAM_MS / 1000} s in real time, ${rssRuns} pair(s)`);
  const stream = { many: [], one: [] };
  for (let i = 0; i < rssRuns; i++) {
    stream.many.push(await fleetRun(FLEET, streamScenario, 1));
    stream.one.push(await fleetRun(FLEET.slice(0, 1), streamScenario, 1));
  }

  const rows = [];
  const row = (metric, value, note = '') => rows.push(['stacks', metric, value, note]);
  const rss = (r) => r.usage?.maxRssKb ?? NaN;
  const medianRss = (runs) => median(runs.map(rss));
  const rateRatio = queued.many.queued.perMinute / queued.onePerMinute;
  const rssRatio = medianRss(stream.many) / medianRss(stream.one);
  const runNote = (r) => `main ${ms(r.wallMs)}, exit ${r.exitCode}, ${r.deployments} deployment(s) ${r.statuses.join('/')}`;
  const window = (r) =>
    `${int(r.queued.total)} in ${r.queued.minutes.toFixed(1)} min (login to the first deployment's start, time scale ${timeScale}): ${JSON.stringify(r.queued.by)}`;
  const rates = queued.ones.map((r) => r.queued.perMinute);
  row(`queued, ${STACK_COUNT} stacks: requests per minute while queued`, queued.many.queued.perMinute.toFixed(1), `${window(queued.many)}; ${runNote(queued.many)}`);
  row(`queued, ${STACK_COUNT} stacks: all requests`, int(queued.many.requests.total), JSON.stringify(queued.many.requests.by));
  row(
    `queued, one stack: requests per minute while queued`,
    queued.onePerMinute.toFixed(2),
    `mean of ${rates.length} steps of one stack each, run at the same time as the ${STACK_COUNT} (${Math.min(...rates).toFixed(1)} to ${Math.max(...rates).toFixed(1)}); the first: ${window(queued.ones[0])}; ${runNote(queued.ones[0])}`,
  );
  row(`queued, one stack: all requests`, int(queued.ones[0].requests.total), `the first: ${JSON.stringify(queued.ones[0].requests.by)}`);
  row(`requests per minute while queued, ${STACK_COUNT} stacks / one`, ratio(rateRatio));
  for (const [label, runs] of [
    [`streaming, ${STACK_COUNT} stacks`, stream.many],
    ['streaming, one stack', stream.one],
  ]) {
    row(
      `${label}: peak RSS`,
      mb(medianRss(runs)),
      `${runs.length > 1 ? `median of ${runs.length} (${runs.map((r) => mb(rss(r))).join(', ')}); ` : ''}${runNote(runs[0])}; /usr/bin/time wrapper`,
    );
    row(`${label}: all requests`, int(runs[0].requests.total), JSON.stringify(runs[0].requests.by));
  }
  row(`peak RSS, ${STACK_COUNT} stacks / one`, ratio(rssRatio), `streaming ${int(STREAM_LINES)} lines each in real time`);
  const manyRuns = [queued.many, ...stream.many];
  const lines = sumLines(manyRuns);
  for (const [label, runs] of [
    [`${STACK_COUNT} stacks`, manyRuns],
    ['one stack', [...queued.ones, ...stream.one]],
  ]) {
    const l = sumLines(runs);
    row(
      `log lines, ${label}`,
      `${int(l.once)}/${int(l.expected)} once`,
      `${int(l.repeated)} repeated, ${int(l.missing)} missing${label === 'one stack' ? '' : `, ${int(l.untraced)} outside their stack's labelled groups`} (${runs.length} runs)`,
    );
  }
  const before = [
    ['1,000-line stream', stream.one, BEFORE.stream],
    ['10 min queued', queued.ones, BEFORE.queued],
  ].map(([label, runs, was]) => ({ label, now: runs.map((r) => r.requests.by), before: was, over: runs.flatMap((r) => overBefore(r.requests.by, was)) }));
  for (const b of before) {
    row(
      `one stack, ${b.label}: requests by endpoint`,
      JSON.stringify(b.now[0]),
      `before several stacks (b3776ab): ${JSON.stringify(b.before)}; added since on purpose: ${JSON.stringify(ADDED)}`,
    );
  }

  const exits = (runs) => runs.map((r) => r.exitCode).join('/');
  const budgets = [
    [
      `${STACK_COUNT} stacks, max-parallel ${STACK_COUNT}: requests per minute while queued`,
      `<= ${RATE_MAX}x one stack's`,
      `${ratio(rateRatio)} (${queued.many.queued.perMinute.toFixed(1)} vs ${queued.onePerMinute.toFixed(2)}, the mean of ${queued.ones.length} steps of one stack at the same time), exit ${exits([queued.many])}/${[...new Set(queued.ones.map((r) => r.exitCode))].join('/')}`,
      rateRatio <= RATE_MAX && [queued.many, ...queued.ones].every((r) => r.exitCode === 0),
    ],
    [
      `${STACK_COUNT} stacks, max-parallel ${STACK_COUNT}: peak RSS`,
      `<= ${RSS_MAX}x one stack's`,
      `${ratio(rssRatio)} (${mb(medianRss(stream.many))} vs ${mb(medianRss(stream.one))}${rssRuns > 1 ? `, medians of ${rssRuns}` : ''}), exit ${exits([...stream.many, ...stream.one])}`,
      rssRatio <= RSS_MAX && [...stream.many, ...stream.one].every((r) => r.exitCode === 0),
    ],
    [
      `${STACK_COUNT} stacks, max-parallel ${STACK_COUNT}: log lines`,
      "every line once, in its stack's groups, exit 0",
      `${int(lines.once)}/${int(lines.expected)} once, ${int(lines.repeated)} repeated, ${int(lines.missing)} missing, ${int(lines.untraced)} outside, exit ${exits(manyRuns)}`,
      lines.expected > 0 && lines.once === lines.expected && lines.untraced === 0 && manyRuns.every((r) => r.exitCode === 0 && r.deployments === STACK_COUNT),
    ],
    [
      'one stack: requests by endpoint, vs before several stacks',
      `as before, + ${Object.entries(ADDED)
        .map(([e, n]) => `${e} ${n}`)
        .join(', ')}; get, logs + max(2, 20%)`,
      before.map((b) => `${b.label}: ${b.over.length ? b.over.map((x) => `${x.endpoint} ${x.now} > ${x.allowed}`).join(', ') : 'within'}`).join('; '),
      before.every((b) => b.over.length === 0),
    ],
  ];
  const data = { stacks: STACK_COUNT, timeScale, rssRuns, scenarios: [queuedScenario.name, streamScenario.name], queued, stream, before, rateRatio, rssRatio };
  return { rows, budgets, data };
}
