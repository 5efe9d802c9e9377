import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupRuns, errorOf, requestsTo, runE2E, startEmulators, type E2EOptions, type Emulators } from '../support/harness.js';
import { startPulumiCloudEmulator, type PulumiCloudEmulator, type TokenAnswer } from '../../emulators/pulumi-cloud/server.mjs';
import type { RunResult } from '../../emulators/runner/runner.mjs';
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

/**
 * runE2E against a token endpoint that answers with `answer`: its answers break the API contract on
 * purpose, so only the action's requests are checked against the spec.
 */
async function runWithTokenAnswer(answer: TokenAnswer, options: E2EOptions = {}): Promise<RunResult> {
  emu.cloud.setTokenAnswer(answer);
  try {
    return await runE2E(emu, { ...options, checkResponses: false });
  } finally {
    emu.cloud.setTokenAnswer(undefined);
  }
}
const annotationsOf = (run: RunResult, level: 'error' | 'warning') => run.annotations.filter((a) => a.step === 'main' && a.level === level).map((a) => a.message);

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

describe('two logins in one job: PULUMI_ACCESS_TOKEN and PULUMI_BACKEND_URL always match', () => {
  let second: PulumiCloudEmulator;
  beforeAll(async () => {
    second = await startPulumiCloudEmulator({ stacks: ['acme/app/dev'], issuer: { issuer: emu.github.url, jwksUrl: emu.github.jwksUrl } });
  });
  afterAll(async () => {
    await second?.close();
  });

  it('self-hosted cloud A, then self-hosted cloud B, then A again: the last pair wins, whole', async () => {
    const urlA = emu.cloud.url; // http://127.0.0.1:PORT
    const urlB = second.url.replace('127.0.0.1', 'localhost'); // another host and port
    const onB = { ...emu, cloud: second };
    // Steps of one job: each later step starts with the env the earlier ones exported.
    const first = await runE2E(emu, { runPost: false });
    expect(first.exitCode, first.jobLog).toBe(0);
    expect(first.exportedEnv).toEqual({ PULUMI_ACCESS_TOKEN: emu.cloud.issuedTokens.at(-1)!.token, PULUMI_BACKEND_URL: urlA });

    const secondStep = await runE2E(onB, { inputs: { 'cloud-url': urlB }, env: first.exportedEnv, runPost: false });
    expect(secondStep.exitCode, secondStep.jobLog).toBe(0);
    const tokenB = second.issuedTokens.at(-1)!.token;
    expect(secondStep.exportedEnv).toEqual({ PULUMI_ACCESS_TOKEN: tokenB, PULUMI_BACKEND_URL: urlB });
    const jobEnv = { ...first.exportedEnv, ...secondStep.exportedEnv };
    expect(jobEnv).toEqual({ PULUMI_ACCESS_TOKEN: tokenB, PULUMI_BACKEND_URL: urlB });
    expect(emu.cloud.issuedTokens.some((t) => t.token === tokenB)).toBe(false); // B's token is B's alone

    const third = await runE2E(emu, { env: jobEnv, runPost: false });
    expect(third.exitCode, third.jobLog).toBe(0);
    expect({ ...jobEnv, ...third.exportedEnv }).toEqual({ PULUMI_ACCESS_TOKEN: emu.cloud.issuedTokens.at(-1)!.token, PULUMI_BACKEND_URL: urlA });
  });

  it('a later login with export-environment-variables: false exports nothing: the earlier pair stays whole', async () => {
    const first = await runE2E(emu, { runPost: false });
    const later = await runE2E({ ...emu, cloud: second }, { inputs: { 'export-environment-variables': 'false' }, env: first.exportedEnv, runPost: false });
    expect(later.exitCode, later.jobLog).toBe(0);
    expect(later.exportedEnv).toEqual({});
    expect(later.outputs['pulumi-access-token']).toBe(second.issuedTokens.at(-1)!.token);
  });
});

describe('a hostile token endpoint', () => {
  it.each<[string, TokenAnswer, string | undefined, number, string]>([
    ['zero', { expires_in: 0 }, '45m', 45 * 60, 'Pulumi Cloud answered 0 as the token lifetime (expires_in); assuming 2700 s, the requested token-expiration.'],
    ['negative', { expires_in: -3600 }, undefined, 7200, 'Pulumi Cloud answered -3600 as the token lifetime (expires_in); assuming 7200 s, the service default.'],
    ['missing', { expires_in: undefined }, '45m', 45 * 60, 'Pulumi Cloud answered no value as the token lifetime (expires_in); assuming 2700 s, the requested token-expiration.'],
    [
      'null (what NaN becomes in JSON)',
      { expires_in: null },
      undefined,
      7200,
      'Pulumi Cloud answered no value as the token lifetime (expires_in); assuming 7200 s, the service default.',
    ],
    [
      'non-numeric',
      { expires_in: 'soon\n::stop-commands::x' },
      undefined,
      7200,
      'Pulumi Cloud answered a non-numeric string of 23 characters as the token lifetime (expires_in); assuming 7200 s, the service default.',
    ],
    ['huge', { expires_in: 1e300 }, '45m', 45 * 60, 'Pulumi Cloud answered 1e+300 as the token lifetime (expires_in); assuming 2700 s, the requested token-expiration.'],
  ])('expires_in %s: one warning, a sane expiry published, exit 0', async (_name, answer, expiration, seconds, warning) => {
    const started = Date.now();
    const run = await runWithTokenAnswer(answer, { inputs: expiration ? { 'token-expiration': expiration } : {} });
    expect(run.exitCode, run.jobLog).toBe(0);
    expect(annotationsOf(run, 'warning')).toEqual([warning]);
    expect(annotationsOf(run, 'error')).toEqual([]);
    const token = emu.cloud.issuedTokens.at(-1)!.token;
    expect(run.outputs['pulumi-access-token']).toBe(token);
    expect(run.exportedEnv).toEqual({ PULUMI_ACCESS_TOKEN: token, PULUMI_BACKEND_URL: emu.cloud.url });
    const expiresAt = Date.parse(run.outputs['token-expires-at']!);
    expect(expiresAt).toBeGreaterThanOrEqual(started + seconds * 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + seconds * 1000);
    expect(run.jobLog).not.toContain('Invalid time value');
    expect(run.main.stderr).not.toMatch(/\n\s+at /);
  });

  const valid = 'pul-' + 'b'.repeat(40);
  const BAD_CHARACTERS = 'an access_token with characters a bearer token cannot have (spaces, control or non-ASCII characters)';
  const typedRefusal = (problem: string) => `Token exchange failed: Pulumi Cloud answered 200 with a body that does not match the API (access_token: ${problem})`;
  const refused = (problem: string) =>
    `Token exchange answered 200 with ${problem}; expected 16 to 4096 characters of A-Z a-z 0-9 - . _ ~ + / =. The token was not used or published.`;
  it.each<[string, unknown, string]>([
    // The client refuses these three itself, before the session's checks.
    ['empty', '', typedRefusal('expected a token')],
    ['missing', undefined, typedRefusal('missing')],
    ['a number', 1234567890123456, typedRefusal('expected string')],
    ['too short', 'pul-1234', refused('an access_token of 8 characters')],
    ['too long', 'p'.repeat(5_000), refused('an access_token of 5000 characters')],
    ['with a command after a newline', `${valid}\n::stop-commands::pwned`, refused(BAD_CHARACTERS)],
    ['with the old command syntax', `${valid}##[set-output name=pulumi-access-token]x`, refused(BAD_CHARACTERS)],
    ['with a carriage return', `${valid}\r::add-mask::x`, refused(BAD_CHARACTERS)],
    ['with a space', `${valid} ${valid}`, refused(BAD_CHARACTERS)],
  ])('access_token %s: exit 1, one readable error, nothing published', async (_name, accessToken, error) => {
    const before = requestsTo(emu.cloud, 'token').length;
    const run = await runWithTokenAnswer({ access_token: accessToken, token_type: '::error::token_type', scope: '##[warning]scope' });
    expect(run.exitCode).toBe(1);
    const errors = annotationsOf(run, 'error');
    expect(errors).toHaveLength(1);
    // The service's request id, when it gave one, closes the line.
    expect(errors[0]!.replace(/ \(request id [0-9a-f-]{36}\)$/, '')).toBe(error);
    expect(annotationsOf(run, 'warning')).toEqual([]);
    expect(run.main.stderr).not.toMatch(/\n\s+at /);
    expect(requestsTo(emu.cloud, 'token').length - before).toBe(1); // refused, not retried
    expect(run.outputs).toEqual({});
    expect(run.exportedEnv).toEqual({});
    expect(Object.keys(run.state).filter((k) => k.startsWith('token-sha256'))).toEqual([]);
    expect(run.post?.exitCode).toBe(0);
    expect(run.post?.stdout ?? '').not.toContain('Logged out');
    if (typeof accessToken === 'string' && accessToken) expect(run.allBytesWritten).not.toContain(accessToken);
    expect(run.allBytesWritten).not.toContain('token_type');
    expect(run.allBytesWritten).not.toContain('##[warning]scope');
  });
});

describe.runIf(process.platform !== 'win32')('logout through a symlinked or broken credentials.json', () => {
  /** Runs login, then plays the later `pulumi` step that writes `content(ourToken)` to `file`. */
  const runWithCredentials = (home: string, file: string, content: (ours: string) => string) =>
    runE2E(emu, {
      env: { HOME: home },
      onStdoutLine: (line, _at, info) => {
        if (info.step === 'main' && line.startsWith('Logged in to')) writeFileSync(file, content(emu.cloud.issuedTokens.at(-1)!.token), { mode: 0o600 });
      },
    });

  it('cleans the target, keeps the link and the mode 0600, and says where', async () => {
    const home = mkdtempSync(join(tmpdir(), 'pulumi-home-'));
    const dotfiles = join(home, 'dotfiles');
    mkdirSync(join(home, '.pulumi'), { recursive: true });
    mkdirSync(dotfiles);
    const target = join(dotfiles, 'credentials.json');
    const link = join(home, '.pulumi', 'credentials.json');
    symlinkSync(target, link);
    const other = { url: 'https://api.other.example', token: 'pul-someone-elses-token' };
    const run = await runWithCredentials(home, target, (ours) => JSON.stringify({ current: emu.cloud.url, accessTokens: { [emu.cloud.url]: ours, [other.url]: other.token } }));
    expect(run.exitCode, run.jobLog).toBe(0);
    const ours = emu.cloud.issuedTokens.at(-1)!.token;
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(target, 'utf8'))).toEqual({ accessTokens: { [other.url]: other.token } });
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(run.post?.stdout).toContain(`Logged out: removed the token for ${emu.cloud.url} from ${link} (a symlink to ${target}) (kept the other accounts).`);
    expect(readFileSync(target, 'utf8')).not.toContain(ours);
    rmSync(home, { recursive: true, force: true });
  });

  it('an unparseable file: a warning, never "removed"', async () => {
    const home = mkdtempSync(join(tmpdir(), 'pulumi-home-'));
    mkdirSync(join(home, '.pulumi'));
    const file = join(home, '.pulumi', 'credentials.json');
    const run = await runWithCredentials(home, file, (ours) => `{"accessTokens": {"x": "${ours}"`);
    expect(run.exitCode, run.jobLog).toBe(0);
    expect(run.post?.exitCode).toBe(0);
    expect(run.post?.stdout).not.toContain('removed');
    expect(run.annotations.filter((a) => a.step === 'post').map((a) => `${a.level}: ${a.message}`)).toEqual([
      `warning: Logout did not complete: ${file} is not a JSON object, left it alone; the Pulumi token may still be in it.`,
    ]);
    rmSync(home, { recursive: true, force: true });
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
