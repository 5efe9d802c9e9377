// Starts the GitHub stand-in and the Pulumi Cloud emulator wired to each other (the cloud
// verifies ID tokens against the GitHub stand-in's JWKS), and gives the env a workflow step
// gets. The one starter for tests, the demo, `npm run try`, `start.mjs` and the benchmark.
import { startGitHubEmulator } from './github/server.mjs';
import { startPulumiCloudEmulator } from './pulumi-cloud/server.mjs';

/**
 * @param {{ cloud?: Omit<import('./pulumi-cloud/server.d.mts').PulumiCloudEmulatorOptions, 'issuer'>, github?: import('./github/server.d.mts').GitHubEmulatorOptions }} [options]
 * @returns {Promise<import('./stand-ins.d.mts').StandIns>}
 */
export async function startStandIns({ cloud: cloudOptions = {}, github: githubOptions = {} } = {}) {
  const github = await startGitHubEmulator(githubOptions);
  let cloud;
  try {
    cloud = await startPulumiCloudEmulator({ ...cloudOptions, issuer: { issuer: github.url, jwksUrl: github.jwksUrl } });
  } catch (error) {
    await github.close();
    throw error;
  }
  const timeScale = cloudOptions.timeScale ?? 1;
  const env = {
    ACTIONS_ID_TOKEN_REQUEST_URL: github.idTokenRequestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: github.idTokenRequestToken,
    GITHUB_API_URL: github.apiUrl,
    // The action's clock runs as fast as the emulator's scenarios (honoured for a loopback cloud-url only).
    ...(timeScale > 1 ? { PULUMI_DEPLOY_ACTION_TIME_SCALE: String(timeScale) } : {}),
  };
  return {
    github,
    cloud,
    timeScale,
    env,
    envFor(event) {
      if (!isForkPullRequest(event)) return env;
      // As on GitHub: no ID token, and a GITHUB_TOKEN that may only read.
      const { ACTIONS_ID_TOKEN_REQUEST_URL: _url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: _token, ...rest } = env;
      return { ...rest, GITHUB_TOKEN: github.workflowToken(FORK_TOKEN_PERMISSIONS) };
    },
    async close() {
      await Promise.all([github.close(), cloud.close()]);
    },
  };
}

/** What a `pull_request` run from a fork may do with its GITHUB_TOKEN: read only. */
const FORK_TOKEN_PERMISSIONS = { 'pull-requests': 'read', deployments: 'read', checks: 'read' };

/** A `pull_request` event whose head repository is not the base one (or is a deleted fork). */
function isForkPullRequest(event) {
  const pull = event?.name === 'pull_request' ? event.payload?.pull_request : undefined;
  if (!pull?.base?.repo) return false;
  return !pull.head?.repo || pull.head.repo.full_name !== pull.base.repo.full_name;
}
