// What changes, from Pulumi's engine events, through dist/: the resource plan in the summary and
// the PR comment, diagnostics and policy findings as annotations, the stack outputs (secrets as
// "[secret]"), `comment-on-pr: changes`, the fallback when events cannot be read, and progress
// lines while a deployment waits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { structure } from '../support/gfm.js';
import { scenarios, type Scenario } from '../../emulators/pulumi-cloud/scenarios.mjs';
import { cleanupRuns, requestsTo, runE2E, startEmulators, type Emulators } from '../support/harness.js';

const PR = 77;
const event = { name: 'pull_request', payload: { number: PR, pull_request: { number: PR, head: { sha: 'b'.repeat(40), repo: { full_name: 'acme/infra' } } } } };

let emu: Emulators;
beforeAll(async () => {
  emu = await startEmulators({ stacks: ['acme/app/dev', 'acme/app/prod', 'acme/app/big', 'acme/app/quiet'], timeScale: 10 });
});
afterAll(async () => {
  cleanupRuns();
  await emu.close();
});

const run = (stack: string, inputs: Record<string, string> = {}, options = {}) =>
  runE2E(emu, { event, env: { GITHUB_REPOSITORY: 'acme/infra' }, inputs: { stack, operation: 'preview', ...inputs }, ...options });
const ourComments = (stack: string) => emu.github.comments.filter((c) => c.issueNumber === PR && c.body.includes(`stack=${stack} -->`));

describe('the resource plan from engine events', () => {
  it("a preview shows its plan in Pulumi's notation (replacements, deletions, creations, updates) with property values, and the policy violations", async () => {
    emu.cloud.setScenario(scenarios.previewWithReplacements, 'acme/app/dev');
    const r = await run('app/dev', { 'comment-on-pr': 'true' });
    const body = ourComments('acme/app/dev').at(-1)!.body;
    for (const text of [r.summary, body]) {
      const s = structure(text);
      // A mandatory violation fails the preview (as Pulumi's does): ❌, with the counts once.
      expect(s.headings).toEqual(['❌ Pulumi preview of acme/app/dev failed: +-1 to replace, -1 to delete, +1 to create, ~1 to update, 4 unchanged']);
      expect(s.fences[0]).toEqual({
        info: 'diff',
        lines: [
          '+- aws:rds:Instance db replace',
          '    ~ engineVersion: "13.11" => "15.4" (forces replacement)',
          '    ~ instanceClass: "db.t3.micro" => "db.t3.small"',
          '-  aws:sqs:Queue old-queue delete',
          '+  aws:s3:Bucket logs-bucket create',
          '~  aws:iam:Role site-role update',
          '    ~ tags.env: "dev" => "staging"',
        ],
      });
      expect(s.tables).toBe(1);
      expect(s.html_rendered).toMatch(/<td>❌ mandatory<\/td>\s*<td>aws-guard<\/td>\s*<td>rds-backup-retention<\/td>/);
      for (const link of s.links) expect(new URL(link.href).origin).toBe(emu.cloud.url);
    }
    // A mandatory policy violation is an error annotation, an advisory one a warning.
    const titles = r.annotations.filter((a) => a.step === 'main').map((a) => `${a.level} ${a.properties.title ?? ''}`);
    expect(titles.some((t) => t.startsWith('error Policy aws-guard/rds-backup-retention (mandatory)'))).toBe(true);
    expect(titles.some((t) => t.startsWith('warning Policy aws-guard/s3-no-public-read (advisory)'))).toBe(true);
    // A preview sets no stack outputs.
    expect(r.outputs.outputs).toBeUndefined();
    expect(requestsTo(emu.cloud, 'events').length).toBeGreaterThan(0);
  });

  it('an update sets the stack outputs as JSON; secrets arrive as "[secret]" or an envelope and leave as "[secret]", never decrypted or printed', async () => {
    emu.cloud.setScenario(scenarios.quickSuccess, 'acme/app/prod');
    const r = await run('app/prod', { operation: 'update' });
    expect(r.exitCode, r.jobLog).toBe(0);
    expect(JSON.parse(r.outputs.outputs!)).toEqual({
      bucketName: 'site-bucket-4f2a',
      dbPassword: '[secret]',
      apiKey: '[secret]',
      endpoints: { web: 'https://site.example', admin: '[secret]' },
    });
    for (const never of ['4dabf18193072939515e22adb298388d', 'ciphertext', 'ZW11bGF0ZWQtY2lwaGVydGV4dA==', 'YWRtaW4=']) expect(r.allBytesWritten).not.toContain(never);
    // Past tense for an update; the stack outputs it sets are listed, secrets hidden.
    expect(r.summary).toMatch(/created/);
    expect(structure(r.summary).fences.find((f) => f.lines.some((l) => l.includes('dbPassword')))!.lines).toContain('  + dbPassword: [secret]');
  });

  it('10,000 changed resources: the comment stays under 65,536 characters and the summary under 1 MiB, saying what was left out', async () => {
    emu.cloud.setScenario(scenarios.manyResources(10_000), 'acme/app/big');
    const r = await run('app/big', { 'comment-on-pr': 'true' }, { timeoutMs: 60_000 });
    expect(r.exitCode, r.jobLog.slice(-2000)).toBe(0);
    const body = ourComments('acme/app/big').at(-1)!.body;
    expect(body.length).toBeLessThan(65_536);
    expect(Buffer.byteLength(r.summary)).toBeLessThan(1024 * 1024);
    expect(body).toMatch(/more changed resources? not shown here/);
  });

  it('events that cannot be read: one warning, the counts of /updates, the same verdict', async () => {
    emu.cloud.setScenario(scenarios.previewWithChanges, 'acme/app/dev');
    emu.cloud.setFaults([{ endpoint: 'events', status: 500 }]);
    const r = await run('app/dev');
    emu.cloud.setFaults([]);
    expect(r.exitCode).toBe(0);
    const warnings = r.annotations.filter((a) => a.step === 'main' && a.level === 'warning').map((a) => a.message);
    expect(warnings.filter((w) => w.startsWith('Could not read the engine events'))).toHaveLength(1);
    expect(r.outputs['has-changes']).toBe('true');
    expect(JSON.parse(r.outputs['resource-changes']!)).toMatchObject({ create: 1, update: 1 });
  });
});

describe('comment-on-pr: changes', () => {
  const quiet: Scenario = { ...scenarios.previewNoChanges, name: 'quietPreview' };
  it('no comment when nothing changes; a comment when something does; then updated to say there are no changes now', async () => {
    emu.cloud.setScenario(quiet, 'acme/app/quiet');
    const none = await run('app/quiet', { 'comment-on-pr': 'changes' });
    expect(none.exitCode, none.jobLog).toBe(0);
    expect(ourComments('acme/app/quiet')).toHaveLength(0);
    expect(none.jobLog).toContain('no comment posted');

    emu.cloud.setScenario(scenarios.previewWithChanges, 'acme/app/quiet');
    await run('app/quiet', { 'comment-on-pr': 'changes' });
    expect(ourComments('acme/app/quiet')).toHaveLength(1);
    expect(ourComments('acme/app/quiet')[0]!.body).toMatch(/1 to create/);

    emu.cloud.setScenario(quiet, 'acme/app/quiet');
    await run('app/quiet', { 'comment-on-pr': 'changes' });
    const comments = ourComments('acme/app/quiet');
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toMatch(/no changes/);
    expect(comments[0]!.body).not.toMatch(/1 to create/);
  });

  it('a bad value is refused before any request', async () => {
    const r = await run('app/quiet', { 'comment-on-pr': 'sometimes' });
    expect(r.exitCode).toBe(1);
    expect(r.annotations.find((a) => a.level === 'error')!.message).toBe(
      'Input \'comment-on-pr\': "sometimes" is not true, false or changes. Use true (always), false (never) or changes (only when resources change or the deployment fails)',
    );
  });
});

describe('progress while waiting', () => {
  it('a queued, silent deployment prints status lines at growing intervals, outside any step group', async () => {
    // 4 min queued at real speed, on a clock 50x faster (5 s).
    const fast = await startEmulators({ scenario: scenarios.queuedSilently(4 * 60_000), timeScale: 50 });
    fast.cloud.setPaused({ stacks: ['acme/app/dev'] });
    const r = await runE2E(fast, { inputs: { stack: 'app/dev', operation: 'preview', 'stream-logs': 'false' } }).finally(() => fast.close());
    expect(r.exitCode, r.jobLog.slice(-1000)).toBe(0);
    const lines = r.jobLogEntries.filter((e) => e.step === 'main' && /^Deployment (queued|accepted|running)/.test(e.text));
    // After 30 s of silence, then at growing intervals (30 s, 60 s, 120 s...): 2 or 3 in 4 minutes.
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBeLessThanOrEqual(4);
    for (const l of lines) {
      expect(l.group).toBeNull();
      expect(l.text).toMatch(/waited \d+m \d+s|waited \d+s/);
    }
    // Queued past 30 s: the stack's deployment metadata says why (read once per line, only while queued).
    expect(lines[0]!.text).toMatch(/^Deployment queued; waited 3\ds; deployments of acme\/app\/dev are paused; it starts once they are resumed: http:\/\/\S+$/);
    const queued = lines.filter((l) => l.text.startsWith('Deployment queued'));
    expect(requestsTo(fast.cloud, 'stack-metadata')).toHaveLength(queued.length);
    expect(requestsTo(fast.cloud, 'org-metadata')).toHaveLength(queued.length);
    for (const l of lines.filter((l) => !l.text.startsWith('Deployment queued'))) expect(l.text).not.toContain('paused');
  });
});
