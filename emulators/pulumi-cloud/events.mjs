// Engine events of the updates a deployment ran: GET /api/stacks/{o}/{p}/{s}/{kind}/{updateID}/events,
// paged with continuationToken (null on the last page of a finished update). Events are made
// from the scenario update's `events` data (or from its resourceChanges) and built one at a
// time by index, so a scenario of 10,000 resources costs no memory until a page is served.
//
// Scenario update `events` shape (all optional):
//   { resources: [{ op, type, name, diffs?, paths? (detailedDiff's, default diffs), replaceKeys?, old?, new? (inputs) }]
//       | { count, op, type, name: 'obj-{i}', diffs? },
//     diagnostics: [{ severity, message, resource? (a name from resources) }],
//     policies: [{ pack, policy, level: 'mandatory'|'advisory'|..., message, resource? }],
//     outputs: { ... } (stack outputs, sent in the root stack's resOutputsEvent; not for previews),
//     failed: name (a resOpFailedEvent for that resource, and no outputs event),
//     interrupted: name (its step never finishes: no outputs event), extra: [raw EngineEvent objects] }
// As the engine does, every step that finishes is followed by its resOutputsEvent.
import { json } from '../lib/http.mjs';
import { decodeToken, encodeToken } from '../lib/continuation-token.mjs';

const KINDS = new Set(['preview', 'update', 'refresh', 'destroy']);
const EVENT_KIND = { preview: 'preview', update: 'update', refresh: 'refresh', destroy: 'destroy', Pupdate: 'preview', Prefresh: 'preview', Pdestroy: 'preview' };
const PREVIEW_KINDS = new Set(['preview', 'Pupdate', 'Prefresh', 'Pdestroy']);
const REPLACE_STEPS = ['create-replacement', 'replace', 'delete-replaced'];

const error = (status, message) => json(status, { code: status, message });

/** The endpoint kind that serves an update's events. */
export const eventKindOf = (kind) => EVENT_KIND[kind];

/** Builds the events of one update lazily: { length, at(i) }. */
export function eventSource(update, { project, stack }) {
  const spec = update.events ?? fromCounts(update.resourceChanges ?? {});
  const preview = PREVIEW_KINDS.has(update.kind);
  const stackUrn = `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
  const urnOf = (type, name) => `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack$${type}::${name}`;
  const ts = Math.floor((update.endTimeMs ?? Date.now()) / 1000);
  const event = (type, payload) => ({ type, timestamp: ts, [type]: payload });
  const state = (type, urn, outputs = {}, inputs = {}) => ({
    type,
    urn,
    id: '',
    parent: type === 'pulumi:pulumi:Stack' ? '' : stackUrn,
    provider: '',
    custom: type !== 'pulumi:pulumi:Stack',
    inputs,
    outputs,
  });
  const step = (op, type, name, r = {}) => {
    const urn = type === 'pulumi:pulumi:Stack' ? stackUrn : urnOf(type, name);
    const diffs = r.diffs ?? [];
    const replaceKeys = r.replaceKeys ?? [];
    const detailedDiff = Object.fromEntries((r.paths ?? diffs).map((k) => [k, { diffKind: replaceKeys.includes(k) ? 'update-replace' : 'update', inputDiff: true }]));
    const metadata = {
      op,
      urn,
      type,
      provider: '',
      detailedDiff,
      // The trimmed spec has both states as objects (never null).
      old: state(type, urn, {}, r.old ?? {}),
      new: state(type, urn, {}, r.new ?? {}),
    };
    if (diffs.length) metadata.diffs = diffs;
    if (replaceKeys.length) metadata.keys = replaceKeys;
    return event('resourcePreEvent', { metadata });
  };
  const unfinished = new Set([spec.failed, spec.interrupted].filter(Boolean));
  /** A step, then (unless it failed or never finished) its outputs event. */
  const stepDone = (op, r) => {
    const pre = step(op, r.type, r.name, r);
    return unfinished.has(r.name) ? [pre] : [pre, event('resOutputsEvent', { metadata: pre.resourcePreEvent.metadata })];
  };
  const resource = (r) => (r.op === 'replace' ? REPLACE_STEPS.flatMap((op) => stepDone(op, r)) : stepDone(r.op, r));
  const typeOfName = (name) => (Array.isArray(spec.resources) ? spec.resources.find((r) => r.name === name)?.type : undefined) ?? 'emulated:index:Resource';

  const segments = [list([step('same', 'pulumi:pulumi:Stack', `${project}-${stack}`)])];
  const res = spec.resources ?? [];
  if (Array.isArray(res)) segments.push(list(res.flatMap(resource)));
  else {
    // Generated: every resource has the same number of events.
    const per = (res.op === 'replace' ? 3 : 1) * 2;
    const nameOf = (i) => String(res.name ?? 'res-{i}').replaceAll('{i}', String(i + 1));
    segments.push({ length: res.count * per, at: (i) => resource({ ...res, name: nameOf(Math.floor(i / per)) })[i % per] });
  }
  const tail = [];
  for (const d of spec.diagnostics ?? []) {
    tail.push(event('diagnosticEvent', { message: d.message, color: 'raw', severity: d.severity, ...(d.resource ? { urn: urnOf(typeOfName(d.resource), d.resource) } : {}) }));
  }
  if (spec.failed) tail.push(event('resOpFailedEvent', { metadata: step('create', typeOfName(spec.failed), spec.failed).resourcePreEvent.metadata, status: 1, steps: 1 }));
  for (const p of spec.policies ?? []) {
    tail.push(
      event('policyEvent', {
        message: p.message,
        color: 'raw',
        policyName: p.policy,
        policyPackName: p.pack,
        policyPackVersion: '1.0.0',
        policyPackVersionTag: 'v1.0.0',
        enforcementLevel: p.level === 'advisory' ? 'warning' : p.level,
        ...(p.resource ? { resourceUrn: urnOf(typeOfName(p.resource), p.resource) } : {}),
      }),
    );
  }
  tail.push(...(spec.extra ?? []));
  if (!preview && spec.outputs) {
    const meta = step('same', 'pulumi:pulumi:Stack', '').resourcePreEvent.metadata;
    tail.push(event('resOutputsEvent', { metadata: { ...meta, new: state('pulumi:pulumi:Stack', stackUrn, spec.outputs) } }));
  }
  tail.push(
    event('summaryEvent', {
      maybeCorrupt: false,
      durationSeconds: 3,
      resourceChanges: { ...(update.resourceChanges ?? {}) },
      PolicyPacks: {},
      isPreview: preview,
      result: update.result === 'failed' ? 'failed' : 'succeeded',
    }),
  );
  segments.push(list(tail));
  return concat(segments);
}

/** Resources for scenarios that only give counts: `create: 2` -> two created resources. */
function fromCounts(changes) {
  const resources = [];
  for (const op of ['create', 'update', 'delete', 'replace']) {
    for (let i = 1; i <= (changes[op] ?? 0); i++) resources.push({ op, type: 'emulated:index:Resource', name: `${op}-${i}`, diffs: op === 'update' ? ['tags'] : [] });
  }
  return { resources };
}

const list = (items) => ({ length: items.length, at: (i) => items[i] });

function concat(segments) {
  const length = segments.reduce((n, s) => n + s.length, 0);
  return {
    length,
    at(i) {
      for (const s of segments) {
        if (i < s.length) return s.at(i);
        i -= s.length;
      }
      return undefined;
    },
  };
}

/** deployments: the Map of server.mjs; returns the route handler. */
export function createEventsApi({ deployments, eventPageSize }) {
  return function events({ params, query }, token) {
    if (token.organization !== params.org) return error(403, `Forbidden: the token is not valid for organization '${params.org}'`);
    if (!KINDS.has(params.kind)) return error(404, 'Not Found');
    const stack = `${params.org}/${params.project}/${params.stack}`;
    let found;
    for (const d of deployments.values()) {
      if (d.stack !== stack) continue;
      const u = d.updates.find((x) => x.updateID === params.updateID);
      if (u) found = { d, u };
    }
    if (!found || eventKindOf(found.u.kind) !== params.kind) return error(404, `Update '${params.updateID}' not found`);
    const { d, u } = found;
    const now = Date.now();
    // Events are there once the run is over (as /updates); before, an in-progress answer.
    if (now < d.endsAt || d.startedAt === null) return json(200, { events: [], continuationToken: encodeToken(0, u.updateID) });
    let start = 0;
    if (query.continuationToken) {
      start = decodeToken(query.continuationToken, u.updateID);
      if (start === null) return error(400, 'Invalid continuation token.');
    }
    u.eventSource ??= eventSource({ ...u, endTimeMs: d.endsAt }, { org: params.org, project: params.project, stack: params.stack });
    const source = u.eventSource;
    if (start > source.length) return error(400, 'Invalid continuation token.');
    const end = Math.min(source.length, start + eventPageSize);
    const page = [];
    for (let i = start; i < end; i++) page.push(source.at(i));
    return json(200, { events: page, continuationToken: end < source.length ? encodeToken(end, u.updateID) : null });
  };
}
