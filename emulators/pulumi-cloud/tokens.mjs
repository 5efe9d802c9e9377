// OAuth token exchange (RFC 8693) of a GitHub ID token for a Pulumi access token, and the
// `Authorization: token <tok>` check of every other endpoint.
import { randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, decodeJwt, errors as joseErrors } from 'jose';
import { json } from '../lib/http.mjs';

const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';
const TYPE_PREFIX = 'urn:pulumi:token-type:access_token:';
const SCOPES = {
  organization: (s) => s === '' || s === 'admin',
  team: (s) => /^team:[^\s:]+$/.test(s),
  personal: (s) => /^user:[^\s:]+$/.test(s),
  runner: (s) => /^runner:[^\s:]+$/.test(s),
};
const SCOPE_HELP = {
  organization: "empty or 'admin'",
  team: "'team:TEAM_NAME'",
  personal: "'user:USER_LOGIN'",
  runner: "'runner:RUNNER_NAME'",
};

const invalidRequest = (description) => json(400, { error: 'invalid_request', error_description: description });
const invalidToken = (description) => json(401, { error: 'invalid_token', error_description: description });

/**
 * issuers: [{issuer, jwksUrl}] trusted for every organization in `organizations`.
 * tokens: pre-issued tokens [{token, tokenType, scope, organization, expiresAt?}].
 * answer: a hostile or broken service: fields that replace those of every successful exchange's
 *   answer, e.g. {expires_in: 0}, {expires_in: 'soon'}, {access_token: 'a b'}; a field set to
 *   undefined is left out. The token is still issued (real lifetime); a string access_token
 *   becomes the issued token itself, so the action can use it. Change it with setAnswer().
 */
export function createTokenService({ issuers, organizations, maxTokenLifetimeSeconds = 7200, defaultLifetimeSeconds = 7200, tokens = [], answer }) {
  let overrides = checkAnswer(answer);
  /** [{token, tokenType, issuedTokenType, scope, organization, subject, issuedAt, expiresAt}] (ms) */
  const issued = tokens.map((t) => ({
    tokenType: 'organization',
    scope: '',
    organization: [...organizations][0],
    subject: 'seeded',
    issuedAt: Date.now(),
    expiresAt: Date.now() + 3600_000,
    ...t,
    issuedTokenType: TYPE_PREFIX + (t.tokenType ?? 'organization'),
  }));
  const jwks = new Map();
  const keySet = (url) => {
    if (!jwks.has(url)) jwks.set(url, createRemoteJWKSet(new URL(url), { timeoutDuration: 5000, cooldownDuration: 0 }));
    return jwks.get(url);
  };

  async function exchange(body) {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return invalidRequest('request body must be a JSON object or form-encoded');
    const field = (name) => (body[name] === undefined || body[name] === null ? undefined : String(body[name]));
    const grantType = field('grant_type');
    if (!grantType) return invalidRequest('grant_type is required');
    if (grantType !== GRANT) return invalidRequest(`unsupported grant_type '${grantType}'`);
    const audience = field('audience');
    const org = /^urn:pulumi:org:([^:\s]+)$/.exec(audience ?? '')?.[1];
    if (!org) return invalidRequest("audience must be 'urn:pulumi:org:<ORG_NAME>'");
    const subjectToken = field('subject_token');
    if (!subjectToken) return invalidRequest('subject_token is required');
    if (field('subject_token_type') !== ID_TOKEN) return invalidRequest(`subject_token_type must be '${ID_TOKEN}'`);
    const requested = field('requested_token_type') ?? '';
    const tokenType = requested.startsWith(TYPE_PREFIX) ? requested.slice(TYPE_PREFIX.length) : '';
    if (!SCOPES[tokenType]) return invalidRequest(`requested_token_type must be ${TYPE_PREFIX}{organization|team|personal|runner}`);
    const scope = field('scope') ?? '';
    if (!SCOPES[tokenType](scope)) return invalidRequest(`scope for a ${tokenType} token must be ${SCOPE_HELP[tokenType]}, got '${scope}'`);
    let lifetime = defaultLifetimeSeconds;
    if (field('expiration') !== undefined && field('expiration') !== '') {
      const raw = body.expiration;
      const n = typeof raw === 'number' ? raw : /^\d+$/.test(String(raw)) ? Number(raw) : NaN;
      if (!Number.isInteger(n) || n <= 0) return invalidRequest('expiration must be a positive integer number of seconds');
      lifetime = n;
    }
    lifetime = Math.min(lifetime, maxTokenLifetimeSeconds);

    // Pick the trusted issuer from the unverified `iss`, then verify everything against it.
    let claims;
    try {
      claims = decodeJwt(subjectToken);
    } catch {
      return invalidToken('subject_token is not a JWT');
    }
    const trusted = issuers.find((i) => i.issuer === claims.iss);
    if (!trusted) return invalidToken(`the issuer '${claims.iss}' is not a trusted OIDC issuer for organization '${org}'`);
    if (!organizations.has(org)) return invalidToken(`no OIDC issuer is registered for organization '${org}'`);
    let payload;
    try {
      ({ payload } = await jwtVerify(subjectToken, keySet(trusted.jwksUrl), { issuer: trusted.issuer, algorithms: ['RS256'] }));
    } catch (err) {
      return invalidToken(describeJoseError(err));
    }
    const aud = [payload.aud].flat();
    if (!aud.includes(audience)) return invalidToken(`the token audience '${aud.join(',')}' does not match '${audience}'`);

    const now = Date.now();
    const record = {
      token: typeof overrides?.access_token === 'string' ? overrides.access_token : `pul-${randomBytes(20).toString('hex')}`,
      tokenType,
      issuedTokenType: requested,
      scope,
      organization: org,
      subject: payload.sub,
      claims: payload,
      issuedAt: now,
      expiresAt: now + lifetime * 1000,
    };
    issued.push(record);
    return json(200, { access_token: record.token, issued_token_type: requested, token_type: 'Bearer', expires_in: lifetime, scope, ...overrides });
  }

  /** Returns {token: record} or {error: result}. */
  function authenticate(headers) {
    const unauthorized = (why) => ({ error: json(401, { code: 401, message: `Unauthorized: ${why}` }) });
    const match = /^token\s+(\S+)$/i.exec(headers.authorization ?? '');
    if (!match) return unauthorized('No credentials provided or are invalid.');
    const record = issued.find((t) => t.token === match[1]);
    if (!record) return unauthorized('No credentials provided or are invalid.');
    if (Date.now() >= record.expiresAt) return unauthorized('the access token has expired.');
    return { token: record };
  }

  /** Marks one token (or every token) as expired now. */
  function expire(token) {
    for (const t of issued) if (token === undefined || t.token === token) t.expiresAt = Date.now() - 1;
  }

  return {
    issued,
    exchange,
    authenticate,
    expire,
    /** Replaces the answer overrides (undefined: honest answers again). */
    setAnswer(next) {
      overrides = checkAnswer(next);
    },
  };
}

const ANSWER_FIELDS = new Set(['access_token', 'expires_in', 'token_type', 'scope', 'issued_token_type', 'refresh_token']);

// A typo in test data should fail loudly, not silently serve an honest answer.
function checkAnswer(answer) {
  if (answer === undefined || answer === null) return undefined;
  if (typeof answer !== 'object' || Array.isArray(answer)) throw new TypeError('token answer overrides must be an object');
  for (const key of Object.keys(answer)) {
    if (!ANSWER_FIELDS.has(key)) throw new TypeError(`unknown token answer field '${key}'`);
  }
  return { ...answer };
}

function describeJoseError(err) {
  if (err instanceof joseErrors.JWTExpired) return 'the subject token has expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `the subject token claim '${err.claim}' is invalid: ${err.reason}`;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'the subject token signature is invalid';
  if (err instanceof joseErrors.JWKSNoMatchingKey) return 'no key of the issuer matches the subject token';
  return `the subject token could not be verified: ${err?.message ?? err}`;
}

/** The user (or machine identity) behind a token, as GET /api/user reports it. */
export function userFor(token) {
  const org = token.organization;
  const name = token.tokenType === 'organization' ? org : (token.scope.split(':')[1] ?? org);
  const user = {
    id: `u-${Buffer.from(`${token.tokenType}:${name}`).toString('hex').slice(0, 24)}`,
    githubLogin: name,
    name,
    email: `${name}@example.com`,
    avatarUrl: `https://api.pulumi.com/static/avatars/${encodeURIComponent(name)}.png`,
    hasMFA: false,
    identities: ['github.com'],
    isOrgManaged: false,
    isManagedByMultiOrg: false,
    siteAdmin: false,
    organizations: [
      { name: org, githubLogin: org, avatarUrl: `https://api.pulumi.com/static/avatars/${encodeURIComponent(org)}.png`, role: token.scope === 'admin' ? 'admin' : 'member' },
    ],
  };
  // Machine tokens carry tokenInfo; a personal token is the user itself.
  if (token.tokenType !== 'personal') {
    user.tokenInfo = { name: `github-oidc-${token.tokenType}`, organization: org, team: token.tokenType === 'team' ? name : '' };
  }
  return user;
}

/** UserInfo (the public subset) for requestedBy fields. */
export function userInfoFor(token) {
  const u = userFor(token);
  return { name: u.name, githubLogin: u.githubLogin, avatarUrl: u.avatarUrl };
}
