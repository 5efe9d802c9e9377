import * as core from '@actions/core';
import { credentialsFilePath, removeTokensFromCredentials } from './credentials-file.js';
import { readPostState, type PostState } from './state.js';
import { oneLine } from './errors.js';

/** post: cancel a deployment main left running, then log out. Never fails the job. */
export async function run(): Promise<void> {
  const state = readPostState(core.getState);
  try {
    const run = state.deployment;
    if (run && !state.deploymentSettled && state.cancelOnJobCancel && state.login) {
      const { cancelLeftoverDeployment } = await import('./post-cancel.js');
      await cancelLeftoverDeployment(run, state.login);
    }
  } catch (error) {
    core.warning(`Could not cancel the deployment left running: ${oneLine(error)}`);
  }
  try {
    logOut(state);
  } catch (error) {
    core.warning(`Logout did not complete: ${oneLine(error)}`);
  }
}

function logOut(state: PostState): void {
  if (!state.login?.logout || !state.tokenHashes.length) return;
  const path = credentialsFilePath();
  const result = removeTokensFromCredentials(path, state.tokenHashes);
  const where = result.target ? `${path} (a symlink to ${result.target})` : path;
  if (result.warning) {
    core.warning(`Logout did not complete: ${result.warning}.`);
  } else if (result.target === '') {
    core.info(`Logged out: ${path} is a symlink to a missing file; no token to remove.`);
  } else if (!result.removed.length) {
    core.info(`Logged out: the Pulumi token was never written to ${where}; nothing to remove.`);
  } else {
    const file = result.fileDeleted ? 'deleted the file, no token was left' : result.emptied ? 'no token was left; kept the symlinked file' : 'kept the other accounts';
    core.info(`Logged out: removed the token for ${result.removed.join(', ')} from ${where} (${file}).`);
  }
}
