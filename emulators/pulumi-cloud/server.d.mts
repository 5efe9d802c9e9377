import type { FaultRule } from '../lib/faults.mjs';
import type { RecordedRequest } from '../lib/http.mjs';
import type { Scenario, ScenarioUpdate } from './scenarios.mjs';

export type { FaultRule } from '../lib/faults.mjs';
export type { Scenario } from './scenarios.mjs';
export { scenarios, scenarioByName } from './scenarios.mjs';

export type TokenType = 'organization' | 'team' | 'personal' | 'runner';
export interface IssuedToken {
  token: string;
  tokenType: TokenType;
  issuedTokenType: string;
  scope: string;
  organization: string;
  subject: string;
  claims?: Record<string, unknown>;
  /** Date.now() ms */
  issuedAt: number;
  /** Date.now() ms */
  expiresAt: number;
}
export interface DeploymentLine {
  /** without the trailing newline the wire `line` carries; '' for header rows */
  text: string;
  header?: string;
  /** step index, null for a cancel line of a run that never started */
  step: number | null;
  /** when the line becomes available (Date.now() clock, ms, may be fractional) */
  availableAt: number;
  /** when the emulator first returned it (Date.now() ms) */
  servedAt?: number;
}
export interface DeploymentRecord {
  id: string;
  /** 'org/project/stack' */
  stack: string;
  org: string;
  project: string;
  stackName: string;
  version: number;
  operation: string;
  request: any;
  initiator: string;
  requestedBy: { name: string; githubLogin: string; avatarUrl: string };
  scenario: Scenario;
  createdAt: number;
  acceptedAt: number;
  /** null when the job never starts (skipped, cancelled while queued) */
  startedAt: number | null;
  endsAt: number;
  outcome: 'succeeded' | 'failed' | 'skipped';
  /** status now */
  readonly status: 'not-started' | 'accepted' | 'running' | 'succeeded' | 'failed' | 'skipped';
  steps: Array<{ name: string; startAt: number | null; endAt: number | null; outcome: string }>;
  lines: DeploymentLine[];
  updates: Array<ScenarioUpdate & { kind: string; updateID: string; version: number }>;
  /** first cancel request (also set when the run had already finished) */
  cancelRequestedAt: number | null;
  /** when the cancellation took effect (null if it never did) */
  cancelledAt: number | null;
  /** first cancel request that arrived after the run had finished */
  cancelIgnoredAt?: number;
  /** log pages served after the end with hostile `endlessLogs` */
  pagesAfterEnd?: number;
}
/** Field values a compromised or broken service could send (each applies while set). */
export interface HostileFields {
  /** `id` in the create answer (e.g. '..', 'a/b'); the deployment is still stored under its real id */
  id?: string;
  /** `consoleUrl` in the create answer (e.g. with '\n::set-output name=x::y', '\r##[stop-commands]x', 'javascript:...') */
  consoleUrl?: string;
  /** `status` in get and list answers, whatever the timeline says (off-spec: the request is marked `hostile`) */
  status?: string;
  /** After the deployment ended, logs keep answering with a new nextToken ('empty') and one new line each page ('lines') */
  endlessLogs?: 'empty' | 'lines';
}
export interface PulumiCloudEmulatorOptions {
  port?: number;
  issuer?: { issuer: string; jwksUrl: string } | Array<{ issuer: string; jwksUrl: string }>;
  /** 'org/project/stack' that exist */
  stacks?: string[];
  scenario?: Scenario;
  scenarios?: Record<string, Scenario>;
  /** organizations that trust the issuer (default: the orgs of `stacks`) */
  organizations?: string[];
  maxTokenLifetimeSeconds?: number;
  /** endpoints: 'token', 'user', 'create', 'get', 'logs', 'updates', 'cancel', 'events', 'stack-metadata', 'org-metadata', 'unknown' */
  faults?: FaultRule[];
  timeScale?: number;
  logPageSize?: number;
  /** engine events per page of GET .../{kind}/{updateID}/events (default 100) */
  eventPageSize?: number;
  /** pre-issued access tokens */
  tokens?: Array<Partial<IssuedToken> & { token: string }>;
  /** A hostile or broken token endpoint: fields replacing those of every successful exchange's answer. */
  tokenAnswer?: TokenAnswer;
  hostile?: HostileFields;
  /** The organizations' concurrent deployments, as their deployment metadata reports (default 4). */
  concurrency?: number;
}
/** A field set to undefined is left out; a string access_token becomes the issued token. */
export type TokenAnswer = Partial<Record<'access_token' | 'expires_in' | 'token_type' | 'scope' | 'issued_token_type' | 'refresh_token', unknown>>;
export interface PulumiCloudEmulator {
  url: string;
  requests: RecordedRequest[];
  deployments: Map<string, DeploymentRecord>;
  issuedTokens: IssuedToken[];
  setFaults(rules: FaultRule[]): void;
  goDown(ms: number): Promise<void>;
  waitUntilUp(): Promise<void>;
  expireToken(token?: string): void;
  setTokenAnswer(answer?: TokenAnswer): void;
  setScenario(scenario: Scenario, stack?: string): void;
  setHostile(fields?: HostileFields): void;
  /** Deployments of these organizations and `org/project/stack`s are reported paused (empty: none). */
  setPaused(paused?: { organizations?: string[]; stacks?: string[] }): void;
  addStack(stack: string): void;
  close(): Promise<void>;
}
export declare function startPulumiCloudEmulator(options?: PulumiCloudEmulatorOptions): Promise<PulumiCloudEmulator>;
