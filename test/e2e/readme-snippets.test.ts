import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenarios } from '../../emulators/pulumi-cloud/scenarios.mjs';
import { cleanupRuns, runE2E, startEmulators, type Emulators } from '../support/harness.js';
import { CANARY, runReadmeSnippets } from '../support/readme-snippets.js';

let emu: Emulators;
beforeAll(async () => {
  emu = await startEmulators({ timeScale: 10 });
});
afterAll(async () => {
  cleanupRuns();
  await emu.close();
});

describe("the README's snippets with the action's real outputs from a hostile service", () => {
  it('run without executing anything the service sent', async () => {
    const shell = [`$(touch ${CANARY})`, `\`touch ${CANARY}\``, `"; touch ${CANARY}; "`, `'; touch ${CANARY} #`];
    emu.cloud.setScenario(
      {
        ...scenarios.quickSuccess,
        name: 'hostileOutputs',
        updates: [
          {
            resourceChanges: { create: 1, ...Object.fromEntries(shell.map((kind, i) => [kind, i + 1])) },
            events: {
              resources: [{ op: 'create', type: 'aws:s3:Bucket', name: 'site' }],
              outputs: { url: shell.join('\n'), ...Object.fromEntries(shell.map((key) => [key, key])) },
            },
          },
        ],
      },
      'acme/app/dev',
    );
    const run = await runE2E(emu, { inputs: { stack: 'app/dev', operation: 'update' } });
    expect(run.exitCode).toBe(0);
    // The outputs the README's snippets read are there, and carry the service's text where free text is allowed.
    expect(JSON.parse(run.outputs.outputs!)).toMatchObject({ url: shell.join('\n') });
    expect(Object.keys(JSON.parse(run.outputs['resource-changes']!) as object)).toEqual(['create', 'update', 'delete', 'replace', 'same']);
    const dir = mkdtempSync(join(tmpdir(), 'readme-e2e-'));
    try {
      const results = runReadmeSnippets(run.outputs, dir);
      for (const result of results) expect(result.status, result.stderr).toBe(0);
      expect(existsSync(join(dir, CANARY))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
