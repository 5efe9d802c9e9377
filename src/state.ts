import type { LoginConfig } from './inputs.js';
import type { CreatedRun } from './deployment-runner.js';

/** What main hands the post step through GITHUB_STATE (never a secret: tokens travel as hashes). */
export interface PostState {
  login?: Pick<LoginConfig, 'organization' | 'tokenType' | 'scope' | 'cloudUrl' | 'audience' | 'logout'>;
  tokenHashes: string[];
  deployment?: CreatedRun;
  deploymentSettled: boolean;
  cancelOnJobCancel: boolean;
}

export const STATE_KEYS = {
  login: 'login',
  tokenHashes: 'token-sha256',
  deployment: 'deployment',
  deploymentSettled: 'deployment-settled',
  cancelOnJobCancel: 'cancel-on-job-cancel',
} as const;

export function readPostState(getState: (name: string) => string): PostState {
  const json = <T>(name: string): T | undefined => {
    const raw = getState(name);
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch {
      return undefined;
    }
  };
  return {
    login: json(STATE_KEYS.login),
    tokenHashes: readTokenHashes(getState),
    deployment: json(STATE_KEYS.deployment),
    deploymentSettled: getState(STATE_KEYS.deploymentSettled) === 'true',
    cancelOnJobCancel: getState(STATE_KEYS.cancelOnJobCancel) !== 'false',
  };
}

/** `token-sha256` (once a comma-separated list), then one hash per refresh under `token-sha256-1`, `-2`, ... */
function readTokenHashes(getState: (name: string) => string): string[] {
  const hashes = getState(STATE_KEYS.tokenHashes).split(',');
  for (let i = 1; i <= 100_000; i++) {
    const hash = getState(`${STATE_KEYS.tokenHashes}-${i}`);
    if (!hash) break;
    hashes.push(hash);
  }
  return hashes.filter((h) => /^[0-9a-f]{64}$/.test(h));
}
