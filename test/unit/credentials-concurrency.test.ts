// Concurrent posts on one HOME (self-hosted runners), as real processes: each removes its own
// token from one credentials.json while a stand-in for the Pulumi CLI keeps adding tokens.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { STALE_LOCK_MS, removeTokensFromCredentials, tokenHash } from '../../src/runner-io/credentials-file.js';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const MODULE = pathToFileURL(resolve(__dirname, '../../src/runner-io/credentials-file.ts')).href;

/** One post step: waits for the common start, then logs out its own token. */
const POST = `
import { createHash } from 'node:crypto';
import { removeTokensFromCredentials } from ${JSON.stringify(MODULE)};
const [file, token, startAt] = process.argv.slice(2);
while (Date.now() < Number(startAt));
const result = removeTokensFromCredentials(file, [createHash('sha256').update(token).digest('hex')]);
process.stdout.write(JSON.stringify(result));
`;

/**
 * The Pulumi CLI storing a token: read the file, add the entry, write a temp file beside it and
 * rename it over (no lock). It logs which tokens each of its writes carried, so a token brought
 * back by its own stale read is told apart from one brought back by a post.
 */
const CLI = `
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
const [file, count, startAt] = process.argv.slice(2);
while (Date.now() < Number(startAt));
const carried = new Set();
for (let i = 0; i < Number(count); i++) {
  let content = {};
  try { content = JSON.parse(readFileSync(file, 'utf8')); } catch {}
  content.accessTokens ??= {};
  content.accounts ??= {};
  const url = 'https://cli-' + i + '.example';
  content.accessTokens[url] = 'pul-cli-' + i;
  content.accounts[url] = { accessToken: 'pul-cli-' + i, username: 'cli' };
  for (const t of Object.values(content.accessTokens)) carried.add(t);
  const temp = file.replace(/credentials\\.json$/, 'credentials-' + process.pid + '-' + i + '.json');
  writeFileSync(temp, JSON.stringify(content, null, 4), { mode: 0o600 });
  renameSync(temp, file);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.random() * 2);
}
process.stdout.write(JSON.stringify([...carried]));
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'creds-race-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function node(script: string, args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => (code === 0 ? done(out) : fail(new Error(`exit ${code}: ${err}`))));
  });
}

const POSTS = 6;
const tokenOf = (i: number) => `pul-post-${i}-0123456789abcdef`;
const urlOf = (i: number) => `https://api-${i}.example`;

describe('concurrent posts on one credentials.json', () => {
  it.each([1, 2, 3])(
    'round %i: every post removes its own token, none comes back through a post, the untouched account stays',
    async () => {
      const file = join(dir, 'credentials.json');
      const accessTokens: Record<string, string> = { 'https://keep.example': 'pul-keep-aaaaaaaaaaaaaaaa' };
      const accounts: Record<string, object> = { 'https://keep.example': { accessToken: 'pul-keep-aaaaaaaaaaaaaaaa', username: 'keep' } };
      for (let i = 0; i < POSTS; i++) {
        accessTokens[urlOf(i)] = tokenOf(i);
        accounts[urlOf(i)] = { accessToken: tokenOf(i), username: `post-${i}` };
      }
      writeFileSync(file, JSON.stringify({ current: urlOf(0), accessTokens, accounts }, null, 4), { mode: 0o600 });
      writeFileSync(join(dir, 'post.mjs'), POST);
      writeFileSync(join(dir, 'cli.mjs'), CLI);
      // Every process waits for one moment, after all have started.
      const startAt = String(Date.now() + 1_500);
      const cliCount = 40;
      const [cliOut, ...postOuts] = await Promise.all([
        node(join(dir, 'cli.mjs'), [file, String(cliCount), startAt]),
        ...Array.from({ length: POSTS }, (_, i) => node(join(dir, 'post.mjs'), [file, tokenOf(i), startAt])),
      ]);
      const results = postOuts.map((out) => JSON.parse(out) as { removed: string[]; warning?: string });
      const carriedByCli = new Set(JSON.parse(cliOut) as string[]);
      const left = JSON.parse(readFileSync(file, 'utf8')) as { accessTokens: Record<string, string>; accounts: Record<string, { accessToken: string }> };
      const tokensLeft = new Set([...Object.values(left.accessTokens), ...Object.values(left.accounts).map((a) => a.accessToken)]);

      for (const [i, result] of results.entries()) {
        expect(result.warning).toBeUndefined();
        expect(result.removed).toEqual([urlOf(i)]);
        // Back only through the CLI's own stale read (the CLI takes no lock); never through a post.
        if (tokensLeft.has(tokenOf(i))) expect(carriedByCli.has(tokenOf(i)), `post ${i}'s token came back`).toBe(true);
      }
      expect(tokensLeft.has('pul-keep-aaaaaaaaaaaaaaaa')).toBe(true);
      // The CLI's own tokens are not asserted: it takes no lock, so a write of its that lands between
      // a post's last re-read and its rename is lost, and no post can prevent that.
    },
    30_000,
  );

  it('posts alone: all of their tokens are gone at the end, the other account stays', async () => {
    const file = join(dir, 'credentials.json');
    const accessTokens: Record<string, string> = { 'https://keep.example': 'pul-keep-aaaaaaaaaaaaaaaa' };
    for (let i = 0; i < POSTS * 2; i++) accessTokens[urlOf(i)] = tokenOf(i);
    writeFileSync(file, JSON.stringify({ accessTokens }, null, 4), { mode: 0o600 });
    writeFileSync(join(dir, 'post.mjs'), POST);
    const startAt = String(Date.now() + 1_500);
    await Promise.all(Array.from({ length: POSTS * 2 }, (_, i) => node(join(dir, 'post.mjs'), [file, tokenOf(i), startAt])));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ accessTokens: { 'https://keep.example': 'pul-keep-aaaaaaaaaaaaaaaa' } });
  }, 30_000);
});

describe('credentials.json.lock', () => {
  const setup = () => {
    const file = join(dir, 'credentials.json');
    writeFileSync(file, JSON.stringify({ accessTokens: { [urlOf(0)]: tokenOf(0), 'https://keep.example': 'pul-keep-aaaaaaaaaaaaaaaa' } }));
    return { file, lock: `${file}.lock` };
  };
  const remove = (file: string) => removeTokensFromCredentials(file, [tokenHash(tokenOf(0))]);

  it('a lock left by a process that is gone is taken over at once', async () => {
    const { file, lock } = setup();
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((done) => gone.on('exit', done));
    writeFileSync(lock, JSON.stringify({ pid: gone.pid, host: hostname(), at: new Date().toISOString() }));
    const started = Date.now();
    expect(remove(file)).toMatchObject({ removed: [urlOf(0)] });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(existsSync(lock)).toBe(false);
  });

  it('a lock older than the stale limit is taken over, whoever holds it', () => {
    const { file, lock } = setup();
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname() }));
    const old = (Date.now() - STALE_LOCK_MS - 1_000) / 1000;
    utimesSync(lock, old, old);
    expect(remove(file)).toMatchObject({ removed: [urlOf(0)] });
  });

  it('a live holder is waited for, then the token is removed', async () => {
    const { file, lock } = setup();
    // Another process holds the lock for 300 ms.
    const holder = spawn(process.execPath, [
      '-e',
      `require('fs').writeFileSync(${JSON.stringify(lock)}, JSON.stringify({ pid: process.pid, host: require('os').hostname() }), { flag: 'wx' }); process.stdout.write('held'); setTimeout(() => require('fs').rmSync(${JSON.stringify(lock)}), 300);`,
    ]);
    await new Promise((done) => holder.stdout.once('data', done));
    const started = Date.now();
    expect(remove(file)).toMatchObject({ removed: [urlOf(0)] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ accessTokens: { 'https://keep.example': 'pul-keep-aaaaaaaaaaaaaaaa' } });
  });
});
