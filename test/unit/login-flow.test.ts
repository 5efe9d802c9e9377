import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { publishToken } from '../../src/report/token.js';
import { PostStateWriter, readPostState } from '../../src/runner-io/state.js';
import { tokenHash } from '../../src/runner-io/credentials-file.js';
import { parseKeyValueFile } from '../../emulators/runner/runner.mjs';

const FILES = ['GITHUB_ENV', 'GITHUB_OUTPUT', 'GITHUB_STATE'] as const;

/** What main does for each token: its hash goes to state through the one state writer. */
function tokenHashRecorder(save: (name: string, value: string) => void): (token: string) => void {
  const writer = new PostStateWriter(save);
  return (token) => writer.tokenIssued(tokenHash(token));
}
let dir: string;
const saved: Record<string, string | undefined> = {};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'login-flow-test-'));
  for (const name of FILES) {
    saved[name] = process.env[name];
    process.env[name] = join(dir, name);
    writeFileSync(process.env[name], '');
  }
});
afterEach(() => {
  for (const name of FILES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  rmSync(dir, { recursive: true, force: true });
});

const file = (name: (typeof FILES)[number]) => readFileSync(join(dir, name), 'utf8');
const parsed = (name: (typeof FILES)[number]) => parseKeyValueFile(file(name));
const tok = (n: number) => `pul-${String(n).padStart(40, '0')}`;
const issued = (n: number) => ({ token: tok(n), expiresAt: new Date(Date.UTC(2025, 5, 1, n)) });

describe('publishToken: token and backend URL always travel as a pair', () => {
  it.each([
    ['the default cloud', 'https://api.pulumi.com'],
    ['a self-hosted cloud', 'https://pulumi.internal.example'],
  ])('exports both for %s, on the first login and on every refresh', (_name, cloudUrl) => {
    const record = tokenHashRecorder(core.saveState);
    publishToken({ cloudUrl, exportEnvironmentVariables: true }, issued(1), record);
    expect(parsed('GITHUB_ENV')).toEqual({ PULUMI_BACKEND_URL: cloudUrl, PULUMI_ACCESS_TOKEN: tok(1) });
    publishToken({ cloudUrl, exportEnvironmentVariables: true }, issued(2), record);
    expect(parsed('GITHUB_ENV')).toEqual({ PULUMI_BACKEND_URL: cloudUrl, PULUMI_ACCESS_TOKEN: tok(2) });
    expect(file('GITHUB_ENV').match(/PULUMI_BACKEND_URL<</g)).toHaveLength(2);
    expect(parsed('GITHUB_OUTPUT')).toEqual({ 'pulumi-access-token': tok(2), 'token-expires-at': '2025-06-01T02:00:00.000Z' });
  });

  it('exports nothing with export-environment-variables: false', () => {
    publishToken({ cloudUrl: 'https://api.pulumi.com', exportEnvironmentVariables: false }, issued(1), tokenHashRecorder(core.saveState));
    expect(file('GITHUB_ENV')).toBe('');
    expect(parsed('GITHUB_OUTPUT')['pulumi-access-token']).toBe(tok(1));
  });

  it('publishes nothing when the expiry cannot be written', () => {
    const bad = { token: tok(1), expiresAt: new Date(NaN) };
    expect(() => publishToken({ cloudUrl: 'https://api.pulumi.com', exportEnvironmentVariables: true }, bad, tokenHashRecorder(core.saveState))).toThrow(RangeError);
    expect(file('GITHUB_ENV') + file('GITHUB_OUTPUT') + file('GITHUB_STATE')).toBe('');
  });
});

describe('token hashes in GITHUB_STATE', () => {
  const refreshes = (n: number) => {
    writeFileSync(join(dir, 'GITHUB_STATE'), '');
    const record = tokenHashRecorder(core.saveState);
    for (let i = 1; i <= n; i++) record(tok(i));
    return Buffer.byteLength(file('GITHUB_STATE'));
  };

  it('grows linearly: 100 tokens cost O(100) bytes, and 200 cost twice that', () => {
    const one = refreshes(1);
    const hundred = refreshes(100);
    const twoHundred = refreshes(200);
    // One key, one 64-character hash and the file command's delimiters per token.
    expect(one).toBeLessThan(250);
    expect(hundred).toBeLessThan(100 * 250);
    expect(twoHundred / hundred).toBeGreaterThan(1.9);
    expect(twoHundred / hundred).toBeLessThan(2.1);
  });

  it('post reads every hash back, in order', () => {
    refreshes(100);
    const state = parseKeyValueFile(file('GITHUB_STATE'));
    expect(Object.keys(state)).toHaveLength(100);
    expect(state['token-sha256']).toBe(tokenHash(tok(1)));
    const hashes = readPostState((name) => state[name] ?? '').tokenHashes;
    expect(hashes).toEqual(Array.from({ length: 100 }, (_, i) => tokenHash(tok(i + 1))));
  });

  it('post still reads the old comma-separated list, and drops anything that is not a hash', () => {
    const [a, b, c] = [tokenHash('a'), tokenHash('b'), tokenHash('c')];
    const state: Record<string, string> = { 'token-sha256': `${a},${b},not-a-hash,`, 'token-sha256-1': c, 'token-sha256-2': 'x'.repeat(64) };
    expect(readPostState((name) => state[name] ?? '').tokenHashes).toEqual([a, b, c]);
    expect(readPostState(() => '').tokenHashes).toEqual([]);
  });
});
