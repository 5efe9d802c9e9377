// Post's order and bound: the token leaves the disk before any request, and a service that never
// answers holds post no longer than its budget.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { POST_BUDGET_MS, run } from '../../src/post.js';
import { tokenHash } from '../../src/runner-io/credentials-file.js';

const TOKEN = 'pul-0123456789abcdef0123456789abcdef01234567';
// 3 s of budget: room for the first request to leave on a loaded machine (at 100, 0.6 s was not).
const SCALE = 20;
const stack = { organization: 'acme', project: 'app', stack: 'dev' };

let dir: string;
let server: Server;
let url: string;
/** For each request the service got: whether our token was still on disk when it arrived. */
let tokenOnDiskAt: Array<{ path: string; onDisk: boolean }>;
const saved = { ...process.env };

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'post-test-'));
  tokenOnDiskAt = [];
  // A service that takes every request and never answers.
  server = createServer((req) => tokenOnDiskAt.push({ path: req.url ?? '', onDisk: onDisk() }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  writeFileSync(join(dir, 'credentials.json'), JSON.stringify({ current: url, accessTokens: { [url]: TOKEN } }));
  Object.assign(process.env, {
    PULUMI_CREDENTIALS_PATH: dir,
    PULUMI_DEPLOY_ACTION_TIME_SCALE: String(SCALE),
    ACTIONS_ID_TOKEN_REQUEST_URL: `${url}/id-token?api-version=2.0`,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token',
    STATE_login: JSON.stringify({ organization: 'acme', tokenType: 'organization', cloudUrl: url, audience: 'urn:pulumi:org:acme', logout: true }),
    'STATE_token-sha256': tokenHash(TOKEN),
    // Main was killed while the deployment ran: post has a deployment to cancel.
    STATE_deployment: JSON.stringify({
      stack,
      operation: 'update',
      cancelOnTimeout: true,
      cancelOnJobCancel: true,
      createSentAt: 1,
      run: { ref: { ...stack, id: 'd-1' }, consoleUrl: url, version: 1 },
    }),
  });
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(async () => {
  vi.restoreAllMocks();
  process.env = { ...saved };
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const onDisk = () => existsSync(join(dir, 'credentials.json')) && readFileSync(join(dir, 'credentials.json'), 'utf8').includes(TOKEN);
const printed = () => (vi.mocked(process.stdout.write).mock.calls as unknown[][]).map((c) => String(c[0])).join('');

describe('post', () => {
  it('removes the token before its first request, and stops at its budget when the service never answers', async () => {
    const started = Date.now();
    await run();
    const took = Date.now() - started;
    expect(onDisk()).toBe(false);
    expect(tokenOnDiskAt.length, printed()).toBeGreaterThan(0);
    expect(tokenOnDiskAt.filter((r) => r.onDisk)).toEqual([]);
    expect(took).toBeGreaterThanOrEqual(POST_BUDGET_MS / SCALE - 50);
    expect(took).toBeLessThan(POST_BUDGET_MS / SCALE + 3_000);
    expect(printed()).toContain(`Stopped the deployment clean-up: post's 60 s budget ran out. The local token was already removed`);
  });
});
