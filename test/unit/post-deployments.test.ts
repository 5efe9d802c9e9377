// Post reads a list of deployments: with one login it cancels every one main left running that
// the user's choices let it cancel, and leaves a settled one alone.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/post.js';
import { accessToken, call, startEmulators, type Emulators } from '../emulators/harness.js';
import { longRunning } from '../../emulators/pulumi-cloud/scenarios.mjs';

let emu: Emulators;
let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  emu = await startEmulators({ stacks: ['acme/app/dev', 'acme/app/prod', 'acme/app/test'], scenario: longRunning(600_000) });
  dir = mkdtempSync(join(tmpdir(), 'post-deployments-'));
});
afterAll(async () => {
  process.env = { ...saved };
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('post with several deployments', () => {
  it('cancels each unsettled one with a single login, and leaves the settled one running', async () => {
    const token = await accessToken(emu);
    const created: Record<string, { id: string; version: number; consoleUrl: string }> = {};
    for (const stack of ['dev', 'prod', 'test']) {
      const res = await call(emu.cloud, 'POST', `/api/stacks/acme/app/${stack}/deployments`, { token, body: { operation: 'update' } });
      expect(res.status).toBe(202);
      created[stack] = res.body as { id: string; version: number; consoleUrl: string };
    }
    const record = (stack: string, extra: object = {}) =>
      JSON.stringify({
        stack: { organization: 'acme', project: 'app', stack },
        operation: 'update',
        cancelOnTimeout: true,
        cancelOnJobCancel: true,
        createSentAt: 1,
        run: { ref: { organization: 'acme', project: 'app', stack, id: created[stack]!.id }, consoleUrl: created[stack]!.consoleUrl, version: created[stack]!.version },
        ...extra,
      });
    Object.assign(process.env, {
      PULUMI_CREDENTIALS_PATH: dir,
      ACTIONS_ID_TOKEN_REQUEST_URL: emu.gh.idTokenRequestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: emu.gh.idTokenRequestToken,
      STATE_login: JSON.stringify({ organization: 'acme', tokenType: 'organization', cloudUrl: emu.cloud.url, audience: 'urn:pulumi:org:acme', logout: false }),
      STATE_deployment: record('dev'),
      'STATE_deployment-1': record('prod', { stoppedBy: 'job-cancelled' }),
      'STATE_deployment-2': record('test', { settled: 'left-running-on-purpose' }),
    });
    const before = emu.cloud.requests.length;
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await run();
    } finally {
      vi.restoreAllMocks();
    }
    const requests = emu.cloud.requests.slice(before);
    expect(requests.filter((r) => r.endpoint === 'token')).toHaveLength(1);
    const cancelled = requests.filter((r) => r.endpoint === 'cancel').map((r) => r.path);
    expect(cancelled.sort()).toEqual([`/api/stacks/acme/app/dev/deployments/${created.dev!.id}/cancel`, `/api/stacks/acme/app/prod/deployments/${created.prod!.id}/cancel`].sort());
  });
});
