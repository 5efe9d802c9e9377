// Pure deployment timeline: a scenario and a creation time fix every status change and
// log line in advance; state is read from the clock on each request (no timers, deterministic).
// All times are epoch milliseconds on the Date.now() clock (may be fractional after timeScale),
// so another process can compare them with its own Date.now().

const VERBS = {
  update: 'Updating',
  preview: 'Previewing update',
  destroy: 'Destroying',
  refresh: 'Refreshing',
  'detect-drift': 'Detecting drift',
  'remediate-drift': 'Remediating drift',
};

export const CANCEL_LINE = 'Deployment was cancelled by request; stopping the current step.';

/** `{op}`, `{Verb}`, and the deployment's own `{org}`, `{project}`, `{stack}`, `{commit}`, `{short}` (7 hex). */
const fill = (text, operation, names = {}) => {
  const commit = names.commit ?? '0000000000000000000000000000000000000000';
  return String(text)
    .replaceAll('{op}', operation)
    .replaceAll('{Verb}', VERBS[operation] ?? operation)
    .replaceAll('{org}', names.org ?? 'acme')
    .replaceAll('{project}', names.project ?? 'app')
    .replaceAll('{stack}', names.stack ?? 'dev')
    .replaceAll('{commit}', commit)
    .replaceAll('{short}', commit.slice(0, 7));
};

function expandLines(lines, operation, names) {
  if (Array.isArray(lines)) return lines.map((l) => fill(l, operation, names));
  if (lines && typeof lines === 'object') {
    return Array.from({ length: lines.count ?? 0 }, (_, k) => fill(String(lines.template ?? 'line {i}').replaceAll('{i}', String(k + 1)), operation, names));
  }
  return [];
}

/**
 * Returns the timeline fields of a deployment record:
 * {acceptedAt, startedAt (null if it never runs), endsAt, outcome, steps:[{name, startAt, endAt, outcome}],
 *  lines:[{text, header?, step, availableAt}]}. A header row ({header, text: ''}) starts each step.
 */
export function planTimeline(scenario, { createdAt, timeScale = 1, operation = 'update', names = {} }) {
  const scale = (ms) => Math.max(0, Number(ms ?? 0)) / timeScale;
  const queuedMs = scenario.queuedMs ?? 300;
  const acceptedAt = createdAt + scale(scenario.acceptedMs ?? queuedMs / 2);
  const queueEnd = createdAt + scale(queuedMs);
  const steps = (scenario.steps ?? []).map((s) => ({ name: fill(s.name, operation), startAt: null, endAt: null, outcome: 'not-started' }));

  if (scenario.outcome === 'skipped') {
    return { acceptedAt: Math.min(acceptedAt, queueEnd), startedAt: null, endsAt: queueEnd, outcome: 'skipped', steps: [], lines: [] };
  }

  const lines = [];
  let t = queueEnd;
  let failed = false;
  for (const [index, spec] of (scenario.steps ?? []).entries()) {
    if (failed) break; // later steps never run
    const step = steps[index];
    const texts = expandLines(spec.lines, operation, names);
    const interval = scale(spec.lineIntervalMs ?? 10);
    step.startAt = t;
    lines.push({ header: step.name, text: '', step: index, availableAt: t });
    texts.forEach((text, k) => lines.push({ text, step: index, availableAt: t + (k + 1) * interval }));
    step.endAt = Math.max(t + texts.length * interval, t + scale(spec.durationMs), t + interval);
    step.outcome = spec.outcome ?? 'succeeded';
    failed = step.outcome === 'failed';
    t = step.endAt;
  }
  return {
    acceptedAt,
    startedAt: queueEnd,
    endsAt: t,
    outcome: scenario.outcome ?? (failed ? 'failed' : 'succeeded'),
    steps,
    lines,
  };
}

/** Status of the deployment at `now`. */
export function statusAt(d, now) {
  if (now >= d.endsAt) return d.outcome;
  if (d.startedAt !== null && now >= d.startedAt) return 'running';
  return now >= d.acceptedAt ? 'accepted' : 'not-started';
}

const iso = (ms) => new Date(ms).toISOString();

/** jobs[] as GetDeployment returns them, or undefined before the job starts. */
export function jobsAt(d, now) {
  if (d.startedAt === null || now < d.startedAt) return undefined;
  const status = statusAt(d, now);
  return [
    {
      status,
      started: iso(d.startedAt),
      lastUpdated: iso(Math.min(now, d.endsAt)),
      steps: d.steps.map((s) => {
        if (s.startAt === null || now < s.startAt) return { name: s.name, status: 'not-started' };
        if (now < s.endAt) return { name: s.name, status: 'running', started: iso(s.startAt), lastUpdated: iso(now) };
        return { name: s.name, status: s.outcome, started: iso(s.startAt), lastUpdated: iso(s.endAt) };
      }),
    },
  ];
}

/** Index one past the last line available at `now` (lines are in availableAt order). */
export function availableCount(d, now) {
  let lo = 0;
  let hi = d.lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (d.lines[mid].availableAt <= now) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Applies a cancel requested at `now`: the run stops `latencyMs` later (or at its natural end,
 * whichever comes first) and ends failed with a final log line. Lines already available stay.
 * Returns false when the deployment had already finished.
 */
export function applyCancel(d, now, latencyMs) {
  if (now >= d.endsAt) return false;
  if (d.cancelledAt != null) return true; // already cancelling
  const at = Math.min(now + latencyMs, d.endsAt);
  d.cancelRequestedAt ??= now;
  d.cancelledAt = at;
  const started = d.startedAt !== null && at >= d.startedAt;
  let current;
  for (const [index, s] of d.steps.entries()) {
    if (s.startAt === null || !started) continue;
    if (s.startAt > at) {
      s.startAt = null;
      s.endAt = null;
      s.outcome = 'not-started';
      continue;
    }
    if (s.endAt > at || (s.endAt === at && index === d.steps.length - 1)) {
      s.endAt = at;
      s.outcome = 'failed';
      current = index;
    }
  }
  if (!started) {
    // Queued runs are removed from the queue: no job ever starts.
    d.startedAt = null;
    for (const s of d.steps) {
      s.startAt = null;
      s.endAt = null;
      s.outcome = 'not-started';
    }
  }
  d.lines.length = availableCount(d, at); // lines are in time order: drop the tail
  d.lines.push({ text: CANCEL_LINE, step: current ?? null, availableAt: at });
  d.endsAt = at;
  d.outcome = 'failed';
  return true;
}
