import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupRuns, errorOf, requestsTo, runE2E, startEmulators, type Emulators } from '../support/harness.js';
import { findLeaks } from '../support/secret-scan.js';
import { BAD_INPUTS } from '../support/bad-inputs.js';

let emu: Emulators;
beforeAll(async () => {
  emu = await startEmulators();
});
afterAll(async () => {
  cleanupRuns();
  await emu.close();
});

const tokenRequests = () => requestsTo(emu.cloud, 'token');

describe('login through dist/ and the runner emulator', () => {
  it.each([
    ['organization', '', 'urn:pulumi:token-type:access_token:organization'],
    ['organization', 'admin', 'urn:pulumi:token-type:access_token:organization'],
    ['team', 'team:platform', 'urn:pulumi:token-type:access_token:team'],
    ['personal', 'user:alice', 'urn:pulumi:token-type:access_token:personal'],
    ['runner', 'runner:ci-1', 'urn:pulumi:token-type:access_token:runner'],
    ['urn:pulumi:token-type:access_token:team', 'team:ops', 'urn:pulumi:token-type:access_token:team'],
  ])('token type %s with scope %j reaches the service with the right fields', async (type, scope, urn) => {
    const before = tokenRequests().length;
    const run = await runE2E(emu, { inputs: { 'requested-token-type': type, scope, 'token-expiration': '45m' } });
    expect(run.exitCode, run.jobLog).toBe(0);
    const [request] = tokenRequests().slice(before);
    expect(request?.body).toMatchObject({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      audience: 'urn:pulumi:org:acme',
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      requested_token_type: urn,
      expiration: 2700,
    });
    expect(request?.body.scope).toBe(scope || undefined);
    expect(request?.headers.authorization).toBeUndefined();
    const issued = emu.cloud.issuedTokens.at(-1)!;
    expect(issued.scope).toBe(scope);
    expect(run.outputs['pulumi-access-token']).toBe(issued.token);
  });

  it('sets outputs, exports env, saves state and hides the token everywhere', async () => {
    const run = await runE2E(emu, {});
    expect(run.exitCode, run.jobLog).toBe(0);
    const token = emu.cloud.issuedTokens.at(-1)!.token;
    expect(run.outputs['pulumi-access-token']).toBe(token);
    expect(new Date(run.outputs['token-expires-at']!).toISOString()).toBe(run.outputs['token-expires-at']);
    expect(Date.parse(run.outputs['token-expires-at']!)).toBeGreaterThan(Date.now() + 60 * 60_000);
    expect(run.exportedEnv.PULUMI_ACCESS_TOKEN).toBe(token);
    expect(run.exportedEnv.PULUMI_BACKEND_URL).toBe(emu.cloud.url);
    expect(JSON.parse(run.state.login!)).toMatchObject({ organization: 'acme', cloudUrl: emu.cloud.url, logout: true });
    expect(run.state['token-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(run.masks).toContain(token);
    expect(run.jobLog).toContain('sub: repo:');
    expect(run.jobLog).toContain('aud: urn:pulumi:org:acme');
    expect(run.jobLog).not.toContain(token);
    expect(findLeaks(run, [token], { output: ['pulumi-access-token'], env: ['PULUMI_ACCESS_TOKEN'] })).toEqual([]);
    // the ID token itself is a secret too
    const jwt = emu.github.issuedIdTokens.at(-1)!.jwt;
    expect(findLeaks(run, [jwt])).toEqual([]);
  });

  it('export-environment-variables: false really exports nothing', async () => {
    const run = await runE2E(emu, { inputs: { 'export-environment-variables': 'false' } });
    expect(run.exitCode, run.jobLog).toBe(0);
    expect(run.exportedEnv).toEqual({});
    const token = emu.cloud.issuedTokens.at(-1)!.token;
    expect(findLeaks(run, [token], { output: ['pulumi-access-token'] })).toEqual([]);
  });

  it.each([
    ['keeps another account', true],
    ['deletes the file when no token is left', false],
  ])('post removes our token from credentials.json and %s', async (_name, withOther) => {
    const home = mkdtempSync(join(tmpdir(), 'pulumi-home-'));
    const file = join(home, '.pulumi', 'credentials.json');
    const other = { url: 'https://api.other.example', token: 'pul-someone-elses-token' };
    const run = await runE2E(emu, {
      env: { HOME: home },
      // A later `pulumi` CLI step writes the exported token into the credentials file.
      onStdoutLine: (line, _at, info) => {
        if (info.step !== 'main' || !line.startsWith('Logged in to')) return;
        const ours = emu.cloud.issuedTokens.at(-1)!.token;
        mkdirSync(join(home, '.pulumi'), { recursive: true });
        const accessTokens: Record<string, string> = { [emu.cloud.url]: ours };
        const accounts: Record<string, object> = { [emu.cloud.url]: { accessToken: ours, username: 'acme', organizations: ['acme'] } };
        if (withOther) {
          accessTokens[other.url] = other.token;
          accounts[other.url] = { accessToken: other.token, username: 'bob' };
        }
        writeFileSync(file, JSON.stringify({ current: emu.cloud.url, accessTokens, accounts }));
      },
    });
    expect(run.exitCode, run.jobLog).toBe(0);
    expect(run.post?.exitCode).toBe(0);
    const ours = emu.cloud.issuedTokens.at(-1)!.token;
    if (withOther) {
      const left = JSON.parse(readFileSync(file, 'utf8'));
      expect(left).toEqual({ accessTokens: { [other.url]: other.token }, accounts: { [other.url]: { accessToken: other.token, username: 'bob' } } });
      expect(run.post?.stdout).toContain(`Logged out: removed the token for ${emu.cloud.url} from ${file} (kept the other accounts).`);
    } else {
      expect(existsSync(file)).toBe(false);
      expect(run.post?.stdout).toContain('deleted the file, no token was left');
    }
    expect(findLeaks(run, [ours], { output: ['pulumi-access-token'], env: ['PULUMI_ACCESS_TOKEN'] })).toEqual([]);
    rmSync(home, { recursive: true, force: true });
  });

  it('logout: false leaves the credentials file alone; post says nothing is to be done without state', async () => {
    const run = await runE2E(emu, { inputs: { logout: 'false' } });
    expect(run.exitCode).toBe(0);
    expect(run.post?.exitCode).toBe(0);
    expect(run.post?.stdout ?? '').not.toContain('Logged out');
  });
});

describe('bad inputs end to end: exit 1, one annotation per problem, zero requests', () => {
  // The full table runs as unit tests (test/unit/bad-inputs.test.ts); here a representative few run through dist/.
  const E2E = BAD_INPUTS.filter((c) => c.e2e);
  it('runs a few single problems and the several-problems case', () => {
    expect(E2E.length).toBeGreaterThanOrEqual(5);
    expect(E2E.some((c) => (c.more?.length ?? 0) >= 3)).toBe(true);
  });

  it.each(E2E)('$name', async ({ inputs, error, more = [] }) => {
    const before = emu.cloud.requests.length + emu.github.requests.length;
    const run = await runE2E(emu, { inputs: { organization: '', 'cloud-url': '', ...inputs } });
    expect(run.exitCode).toBe(1);
    const annotations = run.annotations.filter((a) => a.step === 'main' && a.level === 'error').map((a) => a.message);
    if (more.length === 0) {
      expect(annotations).toEqual([error]);
    } else {
      const names = [...new Set([error, ...more].map((m) => /^Input '([^']+)'/.exec(m)![1]))];
      expect(annotations).toEqual([error, ...more, `${more.length + 1} problems with the inputs (${names.join(', ')}); each is reported above`]);
    }
    for (const secret of ['hunter2', 'hunter3']) expect(run.jobLog).not.toContain(secret);
    expect(run.main.stderr).not.toMatch(/\n\s+at /);
    expect(emu.cloud.requests.length + emu.github.requests.length).toBe(before);
  });

  it('missing id-token permission: explains it, no request', async () => {
    const before = emu.cloud.requests.length;
    const run = await runE2E(emu, { env: { ACTIONS_ID_TOKEN_REQUEST_URL: undefined as never, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined as never } });
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toContain('permissions: id-token: write');
    expect(errorOf(run)).toContain('Dependabot');
    expect(emu.cloud.requests.length).toBe(before);
  });
});
