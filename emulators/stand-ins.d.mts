import type { GitHubEmulator, GitHubEmulatorOptions } from './github/server.mjs';
import type { PulumiCloudEmulator, PulumiCloudEmulatorOptions } from './pulumi-cloud/server.mjs';

export interface StandIns {
  github: GitHubEmulator;
  cloud: PulumiCloudEmulator;
  /** How much faster than real time the emulator (and so the action's clock) runs. */
  timeScale: number;
  /** Env a workflow step gets from a job with `permissions: id-token: write` (and the time scale). */
  env: Record<string, string>;
  /** The env of a step run by this event: a `pull_request` from a fork gets no ID token and a read-only GITHUB_TOKEN, as on GitHub. */
  envFor(event: { name?: string; payload?: unknown } | undefined): Record<string, string>;
  close(): Promise<void>;
}

export function startStandIns(options?: { cloud?: Omit<PulumiCloudEmulatorOptions, 'issuer'>; github?: GitHubEmulatorOptions }): Promise<StandIns>;
