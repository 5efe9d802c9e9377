// The fixture layer for end-to-end tests: the GitHub and Pulumi Cloud emulators, and the
// committed dist/ run through the runner emulator, exactly as a workflow would run it.
import { startGitHubEmulator, type GitHubEmulator, type GitHubEmulatorOptions } from '../../emulators/github/server.mjs';
import { startPulumiCloudEmulator, type PulumiCloudEmulator, type PulumiCloudEmulatorOptions } from '../../emulators/pulumi-cloud/server.mjs';
import { runAction, type RunActionOptions, type RunResult } from '../../emulators/runner/runner.mjs';

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
  const result = await runAction({
    timeoutMs: 120_000,
    ...options,
    inputs: { organization: 'acme', 'cloud-url': emulators.cloud.url, ...options.inputs },
    env: { ...emulators.env, ...options.env },
  });
  runs.push(result);
  return result;
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
