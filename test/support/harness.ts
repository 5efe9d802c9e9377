// The fixture layer for end-to-end tests: the GitHub and Pulumi Cloud emulators, and the
// committed dist/ run through the runner emulator, exactly as a workflow would run it.
import type { GitHubEmulatorOptions } from '../../emulators/github/server.mjs';
import type { PulumiCloudEmulator, PulumiCloudEmulatorOptions } from '../../emulators/pulumi-cloud/server.mjs';
import { startStandIns, type StandIns } from '../../emulators/stand-ins.mjs';
import { runAction, type RunActionOptions, type RunResult } from '../../emulators/runner/runner.mjs';
import type { RecordedRequest } from '../../emulators/lib/http.mjs';
import { operationIdFor, validateRequest, validateResponse } from './openapi-contract.js';
import { eventPayloadViolations } from './webhook-contract.js';
import { githubContractViolations } from './github-contract.js';

export type Emulators = StandIns;

/** The stand-ins, with the stacks the end-to-end tests use. */
export function startEmulators(cloudOptions: Omit<PulumiCloudEmulatorOptions, 'issuer'> = {}, githubOptions: GitHubEmulatorOptions = {}): Promise<Emulators> {
  return startStandIns({ cloud: { stacks: ['acme/app/dev', 'acme/app/prod'], ...cloudOptions }, github: githubOptions });
}

export interface E2EOptions extends RunActionOptions {
  inputs?: Record<string, string>;
}

const runs: RunResult[] = [];

/** Runs dist/ main and post against the emulators with `cloud-url` pointing at the local Pulumi Cloud. */
export async function runE2E(emulators: Emulators, { checkResponses = true, ...options }: E2EOptions & { checkResponses?: boolean } = {}): Promise<RunResult> {
  const seen = emulators.cloud.requests.length;
  const seenGitHub = emulators.github.requests.length;
  const event = knowPullRequest(emulators, options) ?? options.event;
  const result = await runAction({
    timeoutMs: 120_000,
    ...options,
    event,
    inputs: { organization: 'acme', 'cloud-url': emulators.cloud.url, ...options.inputs },
    env: { ...emulators.envFor(event), ...options.env },
  });
  runs.push(result);
  // The action reads only what GitHub would send it.
  const payloadViolations = WEBHOOK_EVENTS.includes(result.event.name) ? eventPayloadViolations(result.event.name, result.event.payload as Record<string, unknown>) : [];
  if (payloadViolations.length) throw new Error(`Event payload violations (webhook schema):\n${payloadViolations.join('\n')}`);
  // A stand-in told to break the contract on purpose: only the action's requests are checked.
  const violations = contractViolations(emulators.cloud.requests.slice(seen)).filter((v) => checkResponses || !v.includes(' response '));
  if (violations.length) throw new Error(`OpenAPI contract violations:\n${violations.join('\n')}`);
  const githubViolations = githubContractViolations(emulators.github.requests.slice(seenGitHub)).filter((v) => checkResponses || !v.includes(' response '));
  if (githubViolations.length) throw new Error(`GitHub REST contract violations:\n${githubViolations.join('\n')}`);
  return result;
}

/** The events whose payloads are checked against GitHub's webhook schemas. */
const WEBHOOK_EVENTS = ['push', 'pull_request', 'pull_request_target', 'merge_group', 'workflow_dispatch'];

/**
 * GitHub knows the pull request an event is about: a pull request event of a test's own making
 * opens it, at the event's head, and the run gets the payload GitHub sends for that head (a test's
 * thin payload names only the number and the head commit).
 */
function knowPullRequest(emulators: Emulators, options: RunActionOptions): RunActionOptions['event'] {
  const name = options.event?.name;
  const payload = options.event?.payload as Record<string, unknown> | undefined;
  const pull = (payload as { pull_request?: { number?: number; head?: { sha?: string } } } | undefined)?.pull_request;
  if ((name !== 'pull_request' && name !== 'pull_request_target') || !pull?.number || !pull.head?.sha || !eventPayloadViolations(name, payload!).length) return undefined;
  const repository = options.env?.GITHUB_REPOSITORY ?? 'acme/infra';
  if (!emulators.github.hasPullRequest(repository, pull.number)) emulators.github.openPullRequest({ repo: repository, number: pull.number, headSha: pull.head.sha });
  const event = emulators.github.pullRequestEvent(repository, pull.number, name);
  // The event of an earlier push: its head is the test's commit, whatever the pull request's is now.
  event.payload.pull_request.head.sha = event.payload.after = pull.head.sha;
  return event;
}

/**
 * Checks every request the action sent against the official spec, and every response the
 * emulator gave (but those a fault rule or a hostile option replaced or cut on purpose).
 */
export function contractViolations(requests: RecordedRequest[]): string[] {
  const problems: string[] = [];
  for (const r of requests) {
    const operationId = operationIdFor(r.method, r.path);
    const label = `${r.method} ${r.path}`;
    if (!operationId) {
      problems.push(`${label}: not an operation of the spec`);
      continue;
    }
    const request = validateRequest(operationId, { method: r.method, path: r.path, body: r.body });
    if (!request.valid) problems.push(`${label} request: ${request.errors.join('; ')}`);
    if (r.fault || r.hostile || typeof r.status !== 'number') continue;
    const response = validateResponse(operationId, r.status, r.responseBody);
    if (!response.valid) problems.push(`${label} response ${r.status}: ${response.errors.join('; ')}`);
  }
  return problems;
}

/** Removes the temp folders of every run so far (call in afterAll). */
export function cleanupRuns(): void {
  for (const run of runs.splice(0)) run.cleanup();
}

/** Requests the Pulumi emulator saw, by endpoint. */
export const requestsTo = (cloud: PulumiCloudEmulator, endpoint: string) => cloud.requests.filter((r) => r.endpoint === endpoint);

/** The `::error::` line text of main, or '' */
export function errorOf(run: RunResult): string {
  return run.annotations
    .filter((a) => a.step === 'main' && a.level === 'error')
    .map((a) => a.message)
    .join('\n');
}
