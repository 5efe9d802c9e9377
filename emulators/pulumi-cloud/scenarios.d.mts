export interface ScenarioStep {
  /** `{op}` becomes the requested operation */
  name: string;
  /** `{op}` / `{Verb}` placeholders are filled in; `{i}` in a template is the 1-based line number */
  lines: string[] | { count: number; template: string };
  lineIntervalMs?: number;
  /** minimum duration of the step */
  durationMs?: number;
  outcome?: 'succeeded' | 'failed';
}
export interface ScenarioResource {
  /** create, update, delete, replace (sent as create-replacement, replace, delete-replaced), import, read, same... */
  op: string;
  type: string;
  name: string;
  diffs?: string[];
  /** diffs that force a replacement */
  replaceKeys?: string[];
}
export interface ScenarioEvents {
  /** a list, or `count` resources alike whose `name` has `{i}` */
  resources?: ScenarioResource[] | (ScenarioResource & { count: number });
  diagnostics?: Array<{ severity: 'error' | 'warning' | 'info'; message: string; resource?: string }>;
  policies?: Array<{ pack: string; policy: string; level: string; message: string; resource?: string }>;
  /** stack outputs (not sent for previews) */
  outputs?: Record<string, unknown>;
  /** name of the resource whose operation failed */
  failed?: string;
  /** raw EngineEvent objects appended before the summary */
  extra?: unknown[];
}
export interface ScenarioUpdate {
  /** default: derived from the request's operation */
  kind?: string;
  result?: 'succeeded' | 'failed';
  resourceChanges: Record<string, number>;
  resourceCount?: number;
  message?: string;
  /** engine events; default: made from resourceChanges */
  events?: ScenarioEvents;
}
export interface Scenario {
  name: string;
  queuedMs?: number;
  acceptedMs?: number;
  cancelLatencyMs?: number;
  steps: ScenarioStep[];
  outcome?: 'succeeded' | 'failed' | 'skipped';
  updates?: ScenarioUpdate[];
}
export declare const quickSuccess: Scenario;
export declare const previewWithChanges: Scenario;
export declare const previewNoChanges: Scenario;
export declare const failsInUpdateStep: Scenario;
export declare const skipped: Scenario;
export declare function manySteps(nLines?: number, options?: { durationMs?: number; steps?: number }): Scenario;
export declare function longRunning(ms?: number, options?: { lineEveryMs?: number }): Scenario;
export declare function queuedSilently(ms?: number): Scenario;
export declare function manyResources(count?: number): Scenario;
export declare function hugeEventStrings(count?: number, bytes?: number): Scenario;
export declare const previewWithReplacements: Scenario;
/** Every log line prefixed with its deployment's `org/project/stack` and its `step.line` place: unique across stacks. */
export declare function stackTagged(scenario: Scenario): Scenario;
export declare const scenarios: {
  quickSuccess: Scenario;
  previewWithChanges: Scenario;
  previewNoChanges: Scenario;
  failsInUpdateStep: Scenario;
  skipped: Scenario;
  manySteps: typeof manySteps;
  longRunning: typeof longRunning;
  queuedSilently: typeof queuedSilently;
  manyResources: typeof manyResources;
  hugeEventStrings: typeof hugeEventStrings;
  previewWithReplacements: Scenario;
};
/** 'quickSuccess' or 'manySteps:5000' */
export declare function scenarioByName(spec: string): Scenario;
