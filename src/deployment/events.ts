// Reads the engine events of every update a deployment ran and folds them, page by page, into
// what the report shows: changed resources, diagnostics, policy findings, stack outputs and
// Pulumi's own counts. Only changed resources are kept, each reduced to a few short strings, and
// every list is capped, so memory stays flat for stacks of tens of thousands of resources.
import type { UpdateEventsPage } from '../cloud/client.js';
import { REPLACE_STEPS, type StackRef } from '../domain/vocabulary.js';
import { stackOutputs } from '../domain/stack-outputs.js';
import { sanitizeLine } from '../runner-io/untrusted-text.js';
import { emptyPlan, type ChangedResource, type Diagnostic, type PolicyFinding, type UpdateInfo, type UpdatePlan } from '../domain/outcome.js';
import { outputChanges, propertyChanges } from './property-diff.js';

/** Past this many changed resources per update, the rest are only counted. */
/**
 * Changed resources listed (the rest are counted): a comment shows a few hundred anyway, and the
 * bench holds a 10,000-resource preview within 1.2x the peak RSS of a 100-resource one.
 */
export const MAX_RESOURCES = 300;
export const MAX_KEYS = 12;
/** Kept per update: the check run carries each one as an annotation (at most 2 MB of text). */
export const MAX_DIAGNOSTICS = 1_000;
export const MAX_POLICIES = 100;
const MAX_TEXT = 2_000;
const MAX_NAME = 300;
const MAX_PAGES = 100_000;
/** Entries remembered to deduplicate diagnostics and findings; past it duplicates only cost a counted slot. */
const MAX_SEEN = 5_000;

export interface EventsSource {
  getUpdateEvents(stack: StackRef, kind: string, updateId: string, continuationToken: string | undefined, signal?: AbortSignal): Promise<UpdateEventsPage>;
}

export type EngineReport =
  | { ok: true; updates: UpdatePlan[]; requests: number; events: number }
  /** The report must fall back to the counts of `/updates`; `warning` is the one line to print. */
  | { ok: false; warning: string; requests: number; events: number };

/** Raised for an event stream the report cannot trust. */
export class EventsFormatError extends Error {}

/** Update kinds -> events endpoint. Previews of refresh/destroy are recorded as previews (unconfirmed). */
const ENDPOINT_KIND = new Map([
  ['update', 'update'],
  ['preview', 'preview'],
  ['refresh', 'refresh'],
  ['destroy', 'destroy'],
  ['Pupdate', 'preview'],
  ['Prefresh', 'preview'],
  ['Pdestroy', 'preview'],
]);
/** Event types that carry nothing the report uses. */
const IGNORED = new Set([
  'cancelEvent',
  'stdoutEvent',
  'preludeEvent',
  'progressEvent',
  'policyLoadEvent',
  'startDebuggingEvent',
  'policyAnalyzeSummaryEvent',
  'policyAnalyzeStackSummaryEvent',
  'policyRemediateSummaryEvent',
  'policyRemediationEvent',
  'errorEvent',
]);
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
/**
 * A copy of a bounded prefix, sharing no memory with its source. V8 keeps a slice as a view of
 * the whole string, so a 300-character name cut from an 8 MiB URN would keep the 8 MiB alive.
 */
export const ownCopy = (text: string): string => (text.length < 16 ? text : Buffer.from(text, 'utf16le').toString('utf16le'));
/** The most of a URN kept to tell resources apart. */
const MAX_URN_KEY = 2_000;
const urnKey = (urn: string): string => ownCopy(urn.slice(0, MAX_URN_KEY));
const str = (v: unknown, max = MAX_TEXT): string => (typeof v === 'string' ? ownCopy(v.slice(0, max)) : '');
/** Pulumi's own colour markup in messages (`<{%fg 1%}>`, `<{%reset%}>`): noise in a report, so dropped here. */
const PULUMI_COLOR = /<\{%[^%]*%\}>/g;
const message = (v: unknown): string =>
  typeof v === 'string'
    ? ownCopy(
        v
          .slice(0, MAX_TEXT * 2)
          .replace(PULUMI_COLOR, '')
          .slice(0, MAX_TEXT)
          .trim(),
      )
    : '';

/** `urn:pulumi:STACK::PROJECT::[PARENT$]TYPE::NAME` -> type and name (names may hold `::`). */
export function parseUrn(urn: string): { type: string; name: string } | undefined {
  if (!urn.startsWith('urn:pulumi:')) return undefined;
  // By index, not split and join: a URN may be megabytes long, and only prefixes are kept.
  const project = urn.indexOf('::');
  const qualifiedAt = project < 0 ? -1 : urn.indexOf('::', project + 2);
  const nameAt = qualifiedAt < 0 ? -1 : urn.indexOf('::', qualifiedAt + 2);
  if (nameAt < 0) return undefined;
  const qualified = urn.slice(qualifiedAt + 2, nameAt);
  return { type: ownCopy(qualified.slice(qualified.lastIndexOf('$') + 1).slice(0, MAX_NAME)), name: ownCopy(urn.slice(nameAt + 2, nameAt + 2 + MAX_NAME)) };
}

const label = (urn: unknown): string | undefined => {
  const parsed = typeof urn === 'string' && urn ? parseUrn(urn) : undefined;
  return parsed ? `${parsed.type} ${parsed.name}` : undefined;
};

/** Folds one update's events as they arrive. */
export class PlanAggregator {
  readonly plan: UpdatePlan;
  private readonly byUrn = new Map<string, ChangedResource>();
  /** URNs of replaced resources past the cap, so their three steps count once. */
  private readonly omittedReplaces = new Set<string>();
  private readonly seen = new Set<string>();
  private failedUrn?: string;
  private readonly failedUrns = new Set<string>();
  private readonly errorsByUrn = new Map<string, Diagnostic>();
  /** Listed resources' steps begun and not yet finished, and whether each is a custom resource. */
  private readonly open = new Map<string, { steps: number; custom: boolean }>();
  private oldOutputs?: Record<string, unknown>;
  /** The stack's new outputs as its pre-event gives them (used only when no outputs event came). */
  private preOutputs?: Record<string, unknown>;

  constructor(kind: string, updateId: string, version: number) {
    this.plan = emptyPlan({ kind, updateId, version, preview: kind === 'preview' || kind.startsWith('P') });
  }

  add(event: unknown): void {
    if (!isObject(event) || typeof event.type !== 'string') throw new EventsFormatError('an engine event without a type');
    this.plan.events++;
    const type = event.type;
    if (IGNORED.has(type)) return;
    // Own keys only: a type named constructor or __proto__ must not find Object.prototype's.
    const payload = Object.hasOwn(event, type) ? event[type] : undefined;
    if (!isObject(payload)) throw new EventsFormatError(`a ${type.slice(0, 40)} event without its payload`);
    switch (type) {
      case 'resourcePreEvent':
        return this.step(payload.metadata);
      case 'resOutputsEvent':
        return this.outputs(payload.metadata);
      case 'resOpFailedEvent': {
        if (isObject(payload.metadata) && typeof payload.metadata.urn === 'string') {
          const urn = urnKey(payload.metadata.urn);
          this.failedUrn ??= urn;
          if (this.byUrn.has(urn)) this.failedUrns.add(urn);
        }
        return;
      }
      case 'diagnosticEvent':
        return this.diagnostic(payload);
      case 'policyEvent':
        return this.policy(payload);
      case 'summaryEvent':
        return this.summary(payload);
      default:
        throw new EventsFormatError(`an engine event of unknown type '${type.slice(0, 40)}'`);
    }
  }

  /** The plan once every page was read. */
  finish(): UpdatePlan {
    const plan = this.plan;
    const errors = plan.diagnostics.filter((d) => d.severity === 'error');
    plan.failure = (this.failedUrn ? this.errorsByUrn.get(this.failedUrn) : undefined) ?? errors.find((d) => d.resource) ?? errors[0];
    // As Pulumi's display: an error about a resource marks it failed; a custom resource's step
    // with no outputs event, once the stream is over, was interrupted.
    for (const [urn, entry] of this.byUrn) {
      const error = this.errorsByUrn.get(urn);
      if (this.failedUrns.has(urn) || error) {
        entry.failed = true;
        if (error) entry.error = error.message;
      } else if (this.open.get(urn)?.custom && this.open.get(urn)!.steps > 0) {
        entry.interrupted = true;
      }
    }
    if (this.plan.outputs || this.oldOutputs) {
      const { changes, total } = outputChanges(this.oldOutputs, this.plan.outputs ?? this.preOutputs ?? this.oldOutputs, MAX_KEYS);
      plan.outputChanges = changes;
      plan.omittedOutputChanges = total - changes.length;
    }
    return plan;
  }

  private step(meta: unknown): void {
    if (!isObject(meta) || typeof meta.op !== 'string' || typeof meta.urn !== 'string') throw new EventsFormatError('a resourcePreEvent without op or urn');
    const urn = urnKey(meta.urn);
    const op = ownCopy(meta.op.slice(0, 40));
    if (op === 'same' && meta.type === 'pulumi:pulumi:Stack' && !urn.split('::')[2]?.includes('$')) this.rememberOldOutputs(meta);
    const diffs = Array.isArray(meta.diffs) ? meta.diffs.filter((k): k is string => typeof k === 'string') : [];
    const detailed = isObject(meta.detailedDiff) ? meta.detailedDiff : {};
    // A refresh is a change only where it found drift.
    if (op === 'same' || (op === 'refresh' && !diffs.length && !Object.keys(detailed).length)) return;
    const parsed = parseUrn(meta.urn);
    if (!parsed) throw new EventsFormatError('a resourcePreEvent with an unreadable urn');
    const isReplaceStep = REPLACE_STEPS.has(op);
    let entry = this.byUrn.get(urn);
    if (!entry) {
      if (this.plan.resources.length >= MAX_RESOURCES) {
        // Count each resource once: a replace arrives as up to three steps.
        if (isReplaceStep || op === 'replace') {
          if (this.omittedReplaces.has(urn)) return;
          if (this.omittedReplaces.size < MAX_SEEN * 4) this.omittedReplaces.add(urn);
        }
        this.plan.omittedResources++;
        return;
      }
      entry = {
        op: isReplaceStep ? 'replace' : op,
        urn: ownCopy(urn.slice(0, MAX_TEXT)),
        type: str(meta.type, MAX_NAME) || parsed.type,
        name: parsed.name,
        keys: [],
        more: 0,
        replaceKeys: [],
        steps: [],
        props: [],
      };
      this.byUrn.set(urn, entry);
      this.plan.resources.push(entry);
    }
    if (isReplaceStep || op === 'replace') {
      entry.op = 'replace';
      if (isReplaceStep && !entry.steps.includes(op)) entry.steps.push(op);
    } else if (entry.op !== 'replace') {
      entry.op = op;
    }
    const replaceKeys = new Set(Array.isArray(meta.keys) ? meta.keys.filter((k): k is string => typeof k === 'string') : []);
    for (const [key, diff] of Object.entries(detailed)) {
      if (isObject(diff) && typeof diff.diffKind === 'string' && diff.diffKind.endsWith('-replace')) replaceKeys.add(key);
    }
    for (const key of new Set([...diffs, ...Object.keys(detailed), ...replaceKeys])) addKey(entry, key, replaceKeys.has(key));
    // Values only for the step that says what changes (a replace's delete step repeats nothing new).
    if ((op === 'update' || op === 'replace' || op === 'create-replacement' || (op === 'refresh' && entry.op === 'refresh')) && !entry.props.length) {
      const { changes, total } = propertyChanges(meta, replaceKeys, MAX_KEYS);
      entry.props = changes;
      // Keys found only by comparing inputs (no diffs, no detailedDiff) are counted as keys too.
      if (!diffs.length && !Object.keys(detailed).length) {
        for (const c of changes) addKey(entry, c.key, c.replace);
        entry.more += total - changes.length;
      }
    }
    if (op === 'update' && meta.type === 'pulumi:pulumi:Stack' && !urn.split('::')[2]?.includes('$')) this.rememberOldOutputs(meta);
    // These steps only change the state: they send no outputs event.
    if (op === 'remove-pending-replace') return;
    // Pulumi's display reads `custom` from the first state present.
    const state = [meta.new, meta.old].find(isObject);
    const custom = state?.custom === true;
    const open = this.open.get(urn) ?? { steps: 0, custom: false };
    open.steps++;
    open.custom ||= custom;
    this.open.set(urn, open);
  }

  private rememberOldOutputs(meta: Record<string, unknown>): void {
    const old = isObject(meta.old) ? meta.old : undefined;
    if (old && isObject(old.outputs)) this.oldOutputs = stackOutputs(old.outputs);
    const next = isObject(meta.new) ? meta.new : undefined;
    if (next && isObject(next.outputs) && Object.keys(next.outputs).length) this.preOutputs = stackOutputs(next.outputs);
  }

  private outputs(meta: unknown): void {
    if (!isObject(meta)) throw new EventsFormatError('a resOutputsEvent without metadata');
    const open = typeof meta.urn === 'string' ? this.open.get(urnKey(meta.urn)) : undefined;
    if (open && open.steps > 0) open.steps--;
    // Only the root stack resource (no parent in its URN) carries the stack outputs.
    if (meta.type !== 'pulumi:pulumi:Stack' || typeof meta.urn !== 'string' || meta.urn.split('::')[2]?.includes('$')) return;
    const state = isObject(meta.new) ? meta.new : undefined;
    if (state && isObject(state.outputs)) this.plan.outputs = stackOutputs(state.outputs);
  }

  private diagnostic(d: Record<string, unknown>): void {
    const severity = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : undefined;
    if (!severity) return; // info, info#err and debug are log lines, not findings
    const text = message(d.message);
    if (!text) return;
    const diag: Diagnostic = { severity, message: text, ...(label(d.urn) ? { resource: label(d.urn) } : {}) };
    if (!this.firstSeen(`d\0${severity}\0${diag.resource ?? ''}\0${text}`)) return;
    if (severity === 'error' && typeof d.urn === 'string' && !this.errorsByUrn.has(urnKey(d.urn)) && this.errorsByUrn.size < MAX_DIAGNOSTICS)
      this.errorsByUrn.set(urnKey(d.urn), diag);
    if (this.plan.diagnostics.length < MAX_DIAGNOSTICS) this.plan.diagnostics.push(diag);
    else this.plan.omittedDiagnostics++;
  }

  private policy(p: Record<string, unknown>): void {
    const raw = str(p.enforcementLevel, 40);
    const level = raw === 'warning' ? 'advisory' : raw || 'advisory';
    const finding: PolicyFinding = {
      pack: str(p.policyPackName, MAX_NAME),
      policy: str(p.policyName, MAX_NAME),
      level,
      severity: level === 'mandatory' ? 'error' : 'warning',
      message: message(p.message),
      ...(label(p.resourceUrn) ? { resource: label(p.resourceUrn) } : {}),
    };
    if (!this.firstSeen(`p\0${finding.pack}\0${finding.policy}\0${finding.resource ?? ''}\0${finding.message}`)) return;
    if (this.plan.policies.length < MAX_POLICIES) this.plan.policies.push(finding);
    else this.plan.omittedPolicies++;
  }

  private summary(s: Record<string, unknown>): void {
    if (!isObject(s.resourceChanges)) throw new EventsFormatError('a summaryEvent without resourceChanges');
    // Null prototype: an operation named __proto__ or constructor is a count like any other.
    const changes = Object.create(null) as Record<string, number>;
    for (const [op, n] of Object.entries(s.resourceChanges)) {
      if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) changes[ownCopy(op.slice(0, 40))] = n;
    }
    this.plan.changes = changes;
    if (typeof s.result === 'string') this.plan.result = ownCopy(s.result.slice(0, 40));
    if (typeof s.isPreview === 'boolean') this.plan.preview = s.isPreview;
  }

  /** False for a repeat; the memory of what was seen is bounded. */
  private firstSeen(key: string): boolean {
    if (this.seen.has(key)) return false;
    if (this.seen.size < MAX_SEEN) this.seen.add(key);
    return true;
  }
}

function addKey(entry: ChangedResource, key: string, replaces: boolean): void {
  const k = ownCopy(key.slice(0, 200));
  if (replaces && !entry.replaceKeys.includes(k) && entry.replaceKeys.length < MAX_KEYS) entry.replaceKeys.push(k);
  if (entry.keys.includes(k)) return;
  if (entry.keys.length < MAX_KEYS) entry.keys.push(k);
  else entry.more++;
}

export interface ReadOptions {
  signal?: AbortSignal;
  /** Called once per request, for the benchmark's request count. */
  onRequest?: () => void;
}

/**
 * Reads every update's events page by page. Anything the report cannot trust (a failed or
 * timed-out request, an unknown event type, an unreadable event, a missing updateID) gives
 * `ok: false` with one warning, and the report falls back to the counts of `/updates`.
 */
export async function readEngineEvents(source: EventsSource, stack: StackRef, updates: UpdateInfo[], options: ReadOptions = {}): Promise<EngineReport> {
  let requests = 0;
  let events = 0;
  const plans: UpdatePlan[] = [];
  try {
    const ordered = [...updates].sort((a, b) => (a?.version ?? 0) - (b?.version ?? 0));
    for (const update of ordered) {
      const updateId = update?.updateID;
      if (typeof updateId !== 'string' || !updateId) throw new EventsFormatError('an update without an updateID');
      const kind = ENDPOINT_KIND.get(String(update.info?.kind));
      if (!kind) throw new EventsFormatError(`an update of kind '${String(update.info?.kind).slice(0, 40)}'`);
      const aggregator = new PlanAggregator(kind, updateId, update.version);
      let token: string | undefined;
      for (let page = 0; ; page++) {
        if (page >= MAX_PAGES) throw new EventsFormatError('more event pages than any update has');
        options.signal?.throwIfAborted();
        requests++;
        options.onRequest?.();
        const body: unknown = await source.getUpdateEvents(stack, kind, updateId, token, options.signal);
        if (!isObject(body) || !Array.isArray(body.events)) throw new EventsFormatError('an events page without events');
        for (const event of body.events) aggregator.add(event);
        events += body.events.length;
        const next = body.continuationToken;
        if (next !== undefined && next !== null && typeof next !== 'string') throw new EventsFormatError('a continuation token that is not a string');
        // Done on a null, absent or empty token; an unchanged token with nothing new means the same.
        if (!next || (next === token && body.events.length === 0)) break;
        token = next;
      }
      aggregator.plan.requests = requests - plans.reduce((n, p) => n + p.requests, 0);
      plans.push(aggregator.finish());
    }
  } catch (error) {
    const why = error instanceof EventsFormatError ? `the service sent ${error.message}` : error instanceof Error ? error.message : String(error);
    return { ok: false, warning: sanitizeLine(`Could not read the engine events (${why.slice(0, 300)}); the report shows the counts only.`, 1_000), requests, events };
  }
  return { ok: true, updates: plans, requests, events };
}

/** The benchmark's bound: at most ceil(events / page size) + 2 requests (one more per extra update). */
export function eventRequestBudget(eventsPerUpdate: number[], pageSize: number): number {
  return eventsPerUpdate.reduce((n, e) => n + Math.ceil(e / pageSize), 0) + eventsPerUpdate.length + 1;
}
