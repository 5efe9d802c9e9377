import { STATUSES, knownStatus, stackLabel } from '../domain/vocabulary.js';
import type { CreatedRun, FollowedDeployment, UpdatePlan } from '../domain/outcome.js';
import { outputText, setOutput } from '../runner-io/outputs.js';
import { stepHasChanges, type Judged, type Verdict } from './verdict.js';
import type { Log } from '../runner-io/log.js';
import type { Reporter, ReporterDeps } from './reporter.js';
import type { ReportData } from './markdown.js';
import { updateUrl } from './resource-changes.js';
import { outputsJson } from '../domain/stack-outputs.js';
import type { PropertyChange } from '../domain/outcome.js';

/** Outputs known as soon as the deployment exists, so they survive a later failure. */
export function publishCreated(run: CreatedRun, consoleOrigin: string | undefined): void {
  setOutput('deployment-id', { kind: 'id', value: run.ref.id });
  // A link on the console's host, or empty: never the sentence the log shows instead.
  setOutput('deployment-url', { kind: 'url', value: run.consoleUrl, origin: consoleOrigin });
  setOutput('deployment-version', { kind: 'integer', value: run.version });
}

const STATUS_OUTPUTS = [...STATUSES, 'unknown'] as const;

function publishStatus(status: string): void {
  setOutput('deployment-status', { kind: 'enum', value: knownStatus(status), allowed: STATUS_OUTPUTS });
}

/** Nothing was judged (wait: false): the changes are unknown, never "no changes". */
function publishUnknownChanges(): void {
  setOutput('has-changes', { kind: 'enum', value: 'unknown', allowed: ['unknown'] });
  setOutput('resource-changes', { kind: 'json', text: JSON.stringify({ unknown: true }) });
}

export function publishOutcome(outcome: FollowedDeployment, verdict: Verdict, consoleOrigin: string | undefined): void {
  publishStatus(outcome.status);
  setOutput('update-url', { kind: 'url', value: verdict.updateUrl, origin: consoleOrigin });
  setOutput('has-changes', { kind: 'enum', value: String(verdict.hasChanges), allowed: ['true', 'false', 'unknown'] });
  // Unknown is said, never left as `{}`: a gate reading the counts must not see "no changes".
  const changes = verdict.hasChanges === 'unknown' ? { unknown: true } : (verdict.changes ?? {});
  setOutput('resource-changes', { kind: 'json', text: JSON.stringify(changes) });
}

export function reportData(outcome: FollowedDeployment, verdict: Verdict, operation: string, redact: (text: string) => string, consoleBase?: string): ReportData {
  return {
    stack: stackLabel(outcome.ref),
    operation,
    status: outcome.stop === 'timeout' ? `${outcome.status} (timed out)` : outcome.status,
    ok: verdict.ok,
    message: redact(verdict.message),
    durationMs: outcome.durationMs,
    deploymentUrl: outcome.consoleUrl,
    deploymentVersion: outcome.version,
    updateUrl: verdict.updateUrl,
    failedStep: outcome.failedStep,
    changes: verdict.changes,
    engineChanges: verdict.engineChanges,
    contradictions: verdict.contradictions,
    plans: outcome.plans?.map((plan) => ({ plan: redactPlan(plan, redact), url: planUrl(outcome, plan, consoleBase) })),
    tail: outcome.tail.map(redact),
    totalLines: outcome.linesStreamed + outcome.steps.length,
  };
}

/** The console link of one update's plan (a preview by its id, an update by its version). */
function planUrl(outcome: FollowedDeployment, plan: UpdatePlan, consoleBase: string | undefined): string | undefined {
  const update = outcome.updates?.find((u) => u.updateID === plan.updateId);
  return update ? updateUrl(consoleBase, outcome.ref, update) : undefined;
}

/** Event text may quote a secret (a diagnostic echoing a config value): redacted like the log tail. */
function redactPlan(plan: UpdatePlan, redact: (text: string) => string): UpdatePlan {
  const opt = (text: string | undefined) => (text === undefined ? undefined : redact(text));
  return {
    ...plan,
    resources: plan.resources.map((r) => ({
      ...r,
      urn: redact(r.urn),
      type: redact(r.type),
      name: redact(r.name),
      keys: r.keys.map(redact),
      replaceKeys: r.replaceKeys.map(redact),
      props: r.props.map((p) => redactChange(p, redact)),
      error: opt(r.error),
    })),
    outputChanges: plan.outputChanges.map((c) => redactChange(c, redact)),
    diagnostics: plan.diagnostics.map((d) => ({ ...d, resource: opt(d.resource), message: redact(d.message) })),
    policies: plan.policies.map((f) => ({ ...f, pack: redact(f.pack), policy: redact(f.policy), resource: opt(f.resource), message: redact(f.message) })),
    failure: plan.failure && { ...plan.failure, resource: opt(plan.failure.resource), message: redact(plan.failure.message) },
    outputs: undefined,
  };
}

function redactChange(change: PropertyChange, redact: (text: string) => string): PropertyChange {
  return { ...change, key: redact(change.key), ...(change.old === undefined ? {} : { old: redact(change.old) }), ...(change.new === undefined ? {} : { new: redact(change.new) }) };
}

/**
 * The stack's outputs after an update, from the engine events, as the `outputs` output: every
 * secret is already `[secret]`; a value holding one the action knows becomes `[secret]` too
 * (`redactJson`, value by value, so the output always parses). Not set when the events could not
 * be read or the last update is a preview.
 */
export function publishStackOutputs(plans: UpdatePlan[] | undefined, redactJson: (value: unknown) => unknown, log: Log): void {
  const last = plans?.at(-1);
  if (!last || last.preview || !last.outputs) return;
  const { json, note } = outputsJson(redactJson(last.outputs) as Record<string, unknown>);
  if (json === undefined) {
    if (note) log.info(note);
    return;
  }
  setOutput('outputs', { kind: 'json', text: json });
}

/** The step outputs: what is known once the deployment exists, then the outcome's; with several stacks, all of them at once. */
export function outputsReporter({ settings, secrets, log }: ReporterDeps): Reporter {
  const redactJson = (value: unknown) => secrets.redactJson(value);
  const several = settings.stackCount > 1;
  return {
    created: (run) => {
      if (!several) publishCreated(run, settings.consoleOrigin);
    },
    finished: (results) => {
      setOutput('results', { kind: 'json', text: JSON.stringify(resultsOutput(results, settings.consoleOrigin, redactJson)) });
      if (several) return publishCombined(results);
      for (const { outcome, verdict } of results) {
        if (outcome.end === 'followed' && verdict) {
          publishOutcome(outcome.followed, verdict, settings.consoleOrigin);
          publishStackOutputs(outcome.followed.plans, redactJson, log);
          continue;
        }
        if (outcome.end === 'not-waited') publishStatus(outcome.status);
        if (outcome.end === 'skipped') publishStatus('skipped');
        // Nothing was judged: the changes are unknown, never "no changes".
        if (outcome.end !== 'error' || outcome.run) publishUnknownChanges();
      }
    },
  };
}

/** One entry of the `results` output: every value built from allow-listed parts, as the singular outputs are. */
export interface StackResult {
  status: string;
  'deployment-id': string;
  'deployment-url': string;
  'has-changes': 'true' | 'false' | 'unknown';
  'resource-changes': Record<string, number> | { unknown: true };
  outputs: Record<string, unknown> | null;
}

/** The status a stack ended with: the deployment's, `skipped` when it never started, `unknown` when it cannot be said. */
function statusOf({ outcome }: Judged): string {
  switch (outcome.end) {
    case 'followed':
      return knownStatus(outcome.followed.status);
    case 'not-waited':
      return outcome.status;
    case 'skipped':
      return 'skipped';
    default:
      return 'unknown';
  }
}

/** What a judged stack says about changes: unknown unless a verdict read them. */
function changesOf({ verdict }: Judged): { has: StackResult['has-changes']; changes: StackResult['resource-changes'] } {
  if (!verdict || verdict.hasChanges === 'unknown') return { has: 'unknown', changes: { unknown: true } };
  return { has: String(verdict.hasChanges) as 'true' | 'false', changes: verdict.changes ?? {} };
}

/** The `results` output: one entry per stack, keyed by `org/project/stack`, in the listed order. */
export function resultsOutput(results: Judged[], consoleOrigin: string | undefined, redactJson: (value: unknown) => unknown): Record<string, StackResult> {
  const entries: Record<string, StackResult> = {};
  for (const result of results) {
    const { outcome } = result;
    const run = outcome.end === 'followed' ? outcome.followed : outcome.end === 'skipped' || outcome.end === 'not-created' ? undefined : outcome.run;
    const { has, changes } = changesOf(result);
    const last = outcome.end === 'followed' ? outcome.followed.plans?.at(-1) : undefined;
    const outputs = last && !last.preview && last.outputs ? outputsJson(redactJson(last.outputs) as Record<string, unknown>).json : undefined;
    entries[stackLabel(outcome.stack)] = {
      status: outputText({ kind: 'enum', value: statusOf(result), allowed: STATUS_OUTPUTS }),
      'deployment-id': outputText({ kind: 'id', value: run?.ref.id }),
      'deployment-url': outputText({ kind: 'url', value: run?.consoleUrl, origin: consoleOrigin }),
      'has-changes': has,
      'resource-changes': changes,
      outputs: outputs === undefined ? null : (JSON.parse(outputs) as Record<string, unknown>),
    };
  }
  return entries;
}

/** How bad a status is for the combined `deployment-status`: the worst stack's status wins. */
const SEVERITY = ['succeeded', 'not-started', 'accepted', 'running', 'skipped', 'unknown', 'failed'];

/** Several stacks: the singular outputs say them all; those of one deployment stay empty. */
function publishCombined(results: Judged[]): void {
  const statuses = results.map(statusOf);
  const worst = statuses.reduce((a, b) => (SEVERITY.indexOf(b) > SEVERITY.indexOf(a) ? b : a), 'succeeded');
  publishStatus(worst);
  const changes = results.map(changesOf);
  const anyUnknown = changes.some((c) => c.has === 'unknown');
  setOutput('has-changes', { kind: 'enum', value: String(stepHasChanges(results)), allowed: ['true', 'false', 'unknown'] });
  const sum: Record<string, number> = {};
  for (const { changes: counts } of changes) for (const [kind, n] of Object.entries(counts)) sum[kind] = (sum[kind] ?? 0) + Number(n);
  setOutput('resource-changes', { kind: 'json', text: JSON.stringify(anyUnknown ? { unknown: true } : sum) });
  // deployment-id, deployment-url, deployment-version, update-url and outputs are never set: empty.
}
