// The GitHub Actions OIDC issuer: one RS256 key per emulator start, JWKS, discovery
// document and ID tokens with the claims a push to main would carry.
import { randomUUID, randomBytes } from 'node:crypto';
import { generateKeyPair, exportJWK, SignJWT } from 'jose';
import { DEFAULT_REPOSITORY, DEFAULT_SHA } from '../runner/action-context.mjs';

const [DEFAULT_OWNER, DEFAULT_REPO] = DEFAULT_REPOSITORY.split('/');

// Same identity as the runner emulator's defaults (repository, sha, ids, run), so an ID token
// and the env of the step it was minted for agree.
export function defaultClaims({ owner = DEFAULT_OWNER, repo = DEFAULT_REPO } = {}) {
  const repository = `${owner}/${repo}`;
  const workflowRef = `${repository}/.github/workflows/deploy.yml@refs/heads/main`;
  return {
    sub: `repo:${repository}:ref:refs/heads/main`,
    repository,
    repository_id: '123456789',
    repository_owner: owner,
    repository_owner_id: '987654',
    repository_visibility: 'private',
    ref: 'refs/heads/main',
    ref_type: 'branch',
    ref_protected: 'true',
    sha: DEFAULT_SHA,
    event_name: 'push',
    workflow: 'Deploy',
    workflow_ref: workflowRef,
    workflow_sha: DEFAULT_SHA,
    job_workflow_ref: workflowRef,
    job_workflow_sha: DEFAULT_SHA,
    run_id: '4242424242',
    run_number: '17',
    run_attempt: '1',
    actor: 'octocat',
    actor_id: '583231',
    triggering_actor: 'octocat',
    runner_environment: 'github-hosted',
    head_ref: '',
    base_ref: '',
  };
}

/**
 * issuer: () => string (the emulator URL is known only after listen).
 * claims: overrides merged over defaultClaims(); idTokenLifetimeSeconds: exp - iat.
 */
export async function createOidcIssuer({ issuer, claims = {}, idTokenLifetimeSeconds = 300 }) {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const kid = randomBytes(8).toString('hex');
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const issued = [];

  async function mint(audience, extraClaims = {}) {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      jti: randomUUID(),
      ...defaultClaims(),
      ...claims,
      aud: audience,
      iss: issuer(),
      // As in GitHub's documented example token: nbf 10 min before iat, exp = iat + lifetime.
      nbf: now - 600,
      iat: now,
      exp: now + idTokenLifetimeSeconds,
      ...extraClaims,
    };
    // extraClaims may override iss/aud/exp (tests for bad tokens); keep the header realistic.
    const jwt = await new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(privateKey);
    issued.push({ audience, claims: payload, jwt });
    return jwt;
  }

  return {
    kid,
    issued,
    mint,
    jwks: () => ({ keys: [publicJwk] }),
    openidConfiguration: () => ({
      issuer: issuer(),
      jwks_uri: `${issuer()}/.well-known/jwks`,
      subject_types_supported: ['public', 'pairwise'],
      response_types_supported: ['id_token'],
      claims_supported: [
        'sub',
        'aud',
        'exp',
        'iat',
        'iss',
        'jti',
        'nbf',
        'ref',
        'sha',
        'repository',
        'repository_id',
        'repository_owner',
        'repository_owner_id',
        'run_id',
        'run_number',
        'run_attempt',
        'actor',
        'actor_id',
        'workflow',
        'workflow_ref',
        'event_name',
        'ref_type',
        'job_workflow_ref',
        'environment',
        'runner_environment',
      ],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid'],
    }),
  };
}
