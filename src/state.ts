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
    tokenHashes: getState(STATE_KEYS.tokenHashes).split(',').filter(Boolean),
    deployment: json(STATE_KEYS.deployment),
    deploymentSettled: getState(STATE_KEYS.deploymentSettled) === 'true',
    cancelOnJobCancel: getState(STATE_KEYS.cancelOnJobCancel) !== 'false',
  };
}
