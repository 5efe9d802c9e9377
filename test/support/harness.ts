// The fixture layer for end-to-end tests: the GitHub and Pulumi Cloud emulators, and the
// committed dist/ run through the runner emulator, exactly as a workflow would run it.
import { startGitHubEmulator, type GitHubEmulator, type GitHubEmulatorOptions } from '../../emulators/github/server.mjs';
import { startPulumiCloudEmulator, type PulumiCloudEmulator, type PulumiCloudEmulatorOptions } from '../../emulators/pulumi-cloud/server.mjs';
import { runAction, type RunActionOptions, type RunResult } from '../../emulators/runner/runner.mjs';
import type { RecordedRequest } from '../../emulators/lib/http.mjs';
import { operationIdFor, validateRequest, validateResponse } from './openapi-contract.js';

export interface Emulators {
  github: GitHubEmulator;
  cloud: PulumiCloudEmulator;
  /** Env a workflow step gets from a job with `permissions: id-token: write`. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startEmulators(
  cloudOptions: Omit<PulumiCloudEmulatorOptions, 'issuer'> = {},
  githubOptions: GitHubEmulatorOptions = {},
): Promise<Emulators> {
  const github = await startGitHubEmulator(githubOptions);
  const cloud = await startPulumiCloudEmulator({
    stacks: ['acme/app/dev', 'acme/app/prod'],
    ...cloudOptions,
    issuer: { issuer: github.url, jwksUrl: github.jwksUrl },
  });
  return {
    github,
    cloud,
    env: {
      ACTIONS_ID_TOKEN_REQUEST_URL: github.idTokenRequestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: github.idTokenRequestToken,
      GITHUB_API_URL: github.apiUrl,
    },
    async close() {
      await Promise.all([github.close(), cloud.close()]);
    },
  };
}

export interface E2EOptions extends RunActionOptions {
  inputs?: Record<string, string>;
}

const runs: RunResult[] = [];

/** Runs dist/ main and post against the emulators with `cloud-url` pointing at the local Pulumi Cloud. */
export async function runE2E(emulators: Emulators, options: E2EOptions = {}): Promise<RunResult> {
  const seen = emulators.cloud.requests.length;
  const result = await runAction({
    timeoutMs: 120_000,
    ...options,
    inputs: { organization: 'acme', 'cloud-url': emulators.cloud.url, ...options.inputs },
    env: { ...emulators.env, ...options.env },
  });
  runs.push(result);
  const violations = contractViolations(emulators.cloud.requests.slice(seen));
  if (violations.length) throw new Error(`OpenAPI contract violations:\n${violations.join('\n')}`);
  return result;
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
  return run.annotations.filter((a) => a.step === 'main' && a.level === 'error').map((a) => a.message).join('\n');
}
