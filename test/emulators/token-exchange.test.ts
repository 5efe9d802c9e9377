import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, SignJWT } from 'jose';
import { accessToken, call, exchange, sleep, startEmulators, type Emulators } from './harness.js';

const TYPE = (t: string) => `urn:pulumi:token-type:access_token:${t}`;

describe('Pulumi emulator: token exchange', () => {
  let em: Emulators;
  beforeAll(async () => {
    em = await startEmulators({ maxTokenLifetimeSeconds: 3600, stacks: ['acme/app/dev', 'other/app/dev'] });
  });
  afterAll(async () => {
    await em.close();
  });

  it.each([
    ['organization', ''],
    ['organization', 'admin'],
    ['team', 'team:platform'],
    ['personal', 'user:octocat'],
    ['runner', 'runner:ci-pool'],
  ])('issues a %s token (scope %j)', async (type, scope) => {
    const res = await exchange(em, { requested_token_type: TYPE(type), scope, expiration: 600 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.stringMatching(/^pul-[0-9a-f]{40}$/), issued_token_type: TYPE(type), token_type: 'Bearer', expires_in: 600, scope });
    const rec = em.cloud.issuedTokens.find((t) => t.token === res.body.access_token)!;
    expect(rec).toMatchObject({ tokenType: type, scope, organization: 'acme', subject: 'repo:acme/infra:ref:refs/heads/main' });
    expect(rec.expiresAt - rec.issuedAt).toBe(600_000);

    const user = await call(em.cloud, 'GET', '/api/user', { token: res.body.access_token });
    expect(user.status).toBe(200);
    expect(user.body.organizations[0].name).toBe('acme');
    if (type === 'personal') expect(user.body.tokenInfo).toBeUndefined();
    else expect(user.body.tokenInfo).toMatchObject({ organization: 'acme', team: type === 'team' ? 'platform' : '' });
  });

  it('accepts a form-encoded body, defaults the lifetime and caps it', async () => {
    const form = await exchange(em, { scope: 'admin' }, { form: true });
    expect(form.status).toBe(200);
    expect(form.body.expires_in).toBe(3600); // default 7200 capped at maxTokenLifetimeSeconds
    const capped = await exchange(em, { expiration: '999999' }, { form: true });
    expect(capped.body.expires_in).toBe(3600);
  });

  it('rejects malformed requests with 400 invalid_request', async () => {
    const cases: Array<Record<string, string | number>> = [
      { grant_type: 'refresh_token' },
      { subject_token_type: 'urn:ietf:params:oauth:token-type:jwt' },
      { requested_token_type: TYPE('admin') },
      { audience: 'acme' },
      { scope: 'team:platform' }, // organization tokens take '' or 'admin'
      { requested_token_type: TYPE('team'), scope: 'platform' },
      { requested_token_type: TYPE('personal'), scope: 'team:x' },
      { requested_token_type: TYPE('runner'), scope: '' },
      { expiration: 0 },
      { expiration: 'soon' },
      { expiration: 1.5 },
    ];
    for (const fields of cases) {
      const subjectToken = await em.gh.mintIdToken(String(fields.audience ?? 'urn:pulumi:org:acme'));
      // Some of these are malformed by design, so the request itself is not contract-checked.
      const res = await exchange(em, fields, { subjectToken, checkRequest: false });
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(res.body.error).toBe('invalid_request');
      expect(res.body.error_description).toEqual(expect.any(String));
    }
  });

  it('rejects a token signed by another key (same kid) with 401 invalid_token', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ sub: 'repo:acme/app:ref:refs/heads/main', aud: 'urn:pulumi:org:acme', iss: em.gh.url, iat: now, exp: now + 300 })
      .setProtectedHeader({ alg: 'RS256', kid: em.gh.kid })
      .sign(privateKey);
    const res = await exchange(em, {}, { subjectToken: forged });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'invalid_token', error_description: expect.stringMatching(/signature/) });
  });

  it('rejects an audience mismatch, an expired token, an untrusted issuer and garbage', async () => {
    const wrongAud = await exchange(em, {}, { subjectToken: await em.gh.mintIdToken('urn:pulumi:org:other') });
    expect(wrongAud.status).toBe(401);
    expect(wrongAud.body.error_description).toMatch(/audience/);

    const past = Math.floor(Date.now() / 1000) - 60;
    const expired = await exchange(em, {}, { subjectToken: await em.gh.mintIdToken('urn:pulumi:org:acme', { exp: past, iat: past - 300 }) });
    expect(expired.status).toBe(401);
    expect(expired.body.error_description).toMatch(/expired/);

    const otherIssuer = await exchange(em, {}, { subjectToken: await em.gh.mintIdToken('urn:pulumi:org:acme', { iss: 'https://token.actions.githubusercontent.com' }) });
    expect(otherIssuer.status).toBe(401);
    expect(otherIssuer.body.error_description).toMatch(/issuer/);

    const garbage = await exchange(em, {}, { subjectToken: 'not-a-jwt' });
    expect(garbage.status).toBe(401);
    expect(garbage.body.error).toBe('invalid_token');
  });

  it('rejects organizations that do not trust the issuer', async () => {
    const res = await exchange(em, { audience: 'urn:pulumi:org:stranger' });
    expect(res.status).toBe(401);
    expect(res.body.error_description).toMatch(/stranger/);
  });

  it('answers 401 {code, message} for a missing, unknown or expired access token', async () => {
    expect((await call(em.cloud, 'GET', '/api/user')).body).toMatchObject({ code: 401, message: expect.stringMatching(/^Unauthorized: /) });
    expect((await call(em.cloud, 'GET', '/api/user', { token: 'pul-0000000000000000000000000000000000000000' })).status).toBe(401);
    const bearer = await fetch(`${em.cloud.url}/api/user`, { headers: { Authorization: `Bearer ${await accessToken(em)}` } });
    expect(bearer.status).toBe(401); // Pulumi wants `token <tok>`

    const short = await exchange(em, { expiration: 1 });
    expect((await call(em.cloud, 'GET', '/api/user', { token: short.body.access_token })).status).toBe(200);
    await sleep(1100);
    const after = await call(em.cloud, 'GET', '/api/user', { token: short.body.access_token });
    expect(after.status).toBe(401);
    expect(after.body.message).toMatch(/expired/);

    const tok = await accessToken(em);
    em.cloud.expireToken(tok);
    expect((await call(em.cloud, 'GET', '/api/user', { token: tok })).status).toBe(401);
  });

  it('records every request with its endpoint and status', async () => {
    const before = em.cloud.requests.length;
    await exchange(em, { scope: 'admin' });
    const rec = em.cloud.requests.slice(before).find((r) => r.endpoint === 'token')!;
    expect(rec).toMatchObject({ method: 'POST', path: '/api/oauth/token', status: 200 });
    expect(rec.body.grant_type).toBe('urn:ietf:params:oauth:grant-type:token-exchange');
  });
});
