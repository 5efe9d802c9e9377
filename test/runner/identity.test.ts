// The stand-ins agree on who is running: the GitHub emulator's ID-token claims describe the same
// repository, commit and run as the env the runner emulator gives the step.
import { describe, expect, it } from 'vitest';
import { defaultClaims } from '../../emulators/github/server.mjs';
import { envSeen, runFixture } from './helpers.js';

describe('ID-token claims match the runner emulator defaults', () => {
  it('repository, owner, sub, sha, workflow and run ids', async () => {
    const env = envSeen(await runFixture({ inputs: { who: 'x' } }));
    const claims = defaultClaims();
    expect(claims).toMatchObject({
      repository: env.GITHUB_REPOSITORY,
      repository_owner: env.GITHUB_REPOSITORY_OWNER,
      repository_id: env.GITHUB_REPOSITORY_ID,
      repository_owner_id: env.GITHUB_REPOSITORY_OWNER_ID,
      sub: `repo:${env.GITHUB_REPOSITORY}:ref:${env.GITHUB_REF}`,
      ref: env.GITHUB_REF,
      sha: env.GITHUB_SHA,
      event_name: env.GITHUB_EVENT_NAME,
      workflow: env.GITHUB_WORKFLOW,
      run_id: env.GITHUB_RUN_ID,
      run_number: env.GITHUB_RUN_NUMBER,
      run_attempt: env.GITHUB_RUN_ATTEMPT,
      actor: env.GITHUB_ACTOR,
      actor_id: env.GITHUB_ACTOR_ID,
    });
    expect(claims.repository).toBe('acme/infra');
  });
});
