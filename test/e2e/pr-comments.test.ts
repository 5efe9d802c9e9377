import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarios, type Scenario } from '../../emulators/pulumi-cloud/scenarios.mjs';
import { cleanupRuns, errorOf, runE2E, startEmulators, type Emulators } from '../support/harness.js';
import { findLeaks } from '../support/secret-scan.js';
import { githubContractViolations } from '../support/github-contract.js';
import { eventPayloadViolations } from '../support/webhook-contract.js';
import { mergeGroupPayload, pushPayload } from '../../emulators/github/objects.mjs';

const PR = 42;
const event = { name: 'pull_request', payload: { number: PR, pull_request: { number: PR, head: { sha: 'a'.repeat(40), repo: { full_name: 'acme/infra' } } } } };
const SECRET = 'hunter2-pr-comment-secret';

/** A preview whose log echoes a secret, as a careless program might. */
const leakyPreview: Scenario = {
  ...scenarios.previewWithChanges,
  name: 'leakyPreview',
  steps: [...scenarios.previewWithChanges.steps, { name: 'Print config', lines: [`DB_PASSWORD is ${SECRET}`, 'done'] }],
};

let emu: Emulators;
beforeAll(async () => {
  // Scenarios and the action's clock run 10x faster than real time.
  emu = await startEmulators({ stacks: ['acme/app/dev', 'acme/app/prod', 'acme/api/dev'], timeScale: 10 });
});
afterAll(async () => {
  cleanupRuns();
  await emu.close();
});

const preview = (stack: string, inputs: Record<string, string> = {}) =>
  runE2E(emu, {
    event,
    env: { GITHUB_REPOSITORY: 'acme/infra' },
    inputs: { stack, operation: 'preview', 'comment-on-pr': 'true', 'secret-env': `DB_PASSWORD=${SECRET}`, ...inputs },
  });
const commentsOnPr = () => emu.github.comments.filter((c) => c.issueNumber === PR && c.repo === 'acme/infra');
const commentsOn = (pr: number) => emu.github.comments.filter((c) => c.issueNumber === pr && c.repo === 'acme/infra');
const previewOn = (pr: number, stack: string, inputs: Record<string, string> = {}) =>
  runE2E(emu, {
    event: { name: 'pull_request', payload: { number: pr, pull_request: { number: pr, head: { sha: 'b'.repeat(40), repo: { full_name: 'acme/infra' } } } } },
    env: { GITHUB_REPOSITORY: 'acme/infra' },
    inputs: { stack, operation: 'preview', 'comment-on-pr': 'true', 'secret-env': `DB_PASSWORD=${SECRET}`, ...inputs },
  });
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
/** The secret, its URL and JSON escapes, and the base64 characters that depend only on it, at each byte alignment. */
function everyForm(secret: string): string[] {
  const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
  const bytes = Buffer.from(secret, 'utf8');
  for (let shift = 0; shift < 3; shift++) {
    const rest = bytes.subarray(shift);
    forms.push(rest.toString('base64').slice(0, Math.floor(rest.length / 3) * 4 + [0, 1, 2][rest.length % 3]!));
  }
  return forms;
}

describe('PR comments, summary and change outputs', () => {
  it('two stacks make two comments; re-running updates each in place', async () => {
    emu.cloud.setScenario(leakyPreview, 'acme/app/dev');
    emu.cloud.setScenario(scenarios.previewNoChanges, 'acme/app/prod');
    const dev = await preview('app/dev');
    const prod = await preview('app/prod');
    expect(dev.exitCode, dev.jobLog).toBe(0);
    expect(prod.exitCode, prod.jobLog).toBe(0);
    expect(commentsOnPr()).toHaveLength(2);
    const [devComment, prodComment] = commentsOnPr();
    expect(devComment!.body.startsWith('<!-- pulumi-cloud-deploy-action stack=acme/app/dev -->')).toBe(true);
    expect(prodComment!.body.startsWith('<!-- pulumi-cloud-deploy-action stack=acme/app/prod -->')).toBe(true);
    expect(devComment!.body).toContain('succeeded: +1 to create, \\~1 to update, 4 unchanged\n');
    expect(prodComment!.body).toContain('no changes');
    expect(dev.outputs['has-changes']).toBe('true');
    expect(prod.outputs['has-changes']).toBe('false');
    expect(JSON.parse(prod.outputs['resource-changes']!)).toEqual({ create: 0, update: 0, delete: 0, replace: 0, same: 6 });

    const firstBody = devComment!.body;
    const again = await preview('app/dev');
    expect(again.exitCode).toBe(0);
    expect(commentsOnPr()).toHaveLength(2);
    expect(commentsOnPr()[0]!.id).toBe(devComment!.id);
    expect(commentsOnPr()[0]!.body).not.toBe(firstBody); // new deployment link
    expect(again.jobLog).toContain('PR comment updated');
    // the secret the deployment printed is redacted from comments and summaries
    for (const c of commentsOnPr()) expect(c.body).not.toContain(SECRET);
    expect(commentsOnPr()[0]!.body).toContain('DB_PASSWORD is ***');
    for (const run of [dev, prod, again]) {
      const token = emu.cloud.issuedTokens.map((t) => t.token);
      expect(findLeaks(run, [SECRET, ...token, run.githubToken], { output: ['pulumi-access-token'], env: ['PULUMI_ACCESS_TOKEN'] })).toEqual([]);
    }
  });

  it('several stacks in one step make one comment for all of them, updated in place by the next run', async () => {
    const pr = 120;
    emu.cloud.setScenario(leakyPreview, 'acme/app/dev');
    emu.cloud.setScenario(scenarios.previewNoChanges, 'acme/app/prod');
    const both = () => previewOn(pr, 'app/dev\napp/prod', { 'max-parallel': '2' });
    const first = await both();
    expect(first.exitCode, first.jobLog).toBe(0);
    expect(commentsOn(pr)).toHaveLength(1);
    const [comment] = commentsOn(pr);
    expect(comment!.body).toMatch(/^<!-- pulumi-cloud-deploy-action stacks=2:[0-9a-f]{16} -->\n### Pulumi preview of 2 stacks\n/);
    expect(comment!.body).toContain('### ✅ Pulumi preview of `acme/app/dev` succeeded: +1 to create');
    expect(comment!.body).toContain('### ✅ Pulumi preview of `acme/app/prod` succeeded: no changes');
    expect(comment!.body).not.toContain(SECRET);
    expect(first.jobLog.match(/PR comment created/g)).toHaveLength(1);
    const again = await both();
    expect(again.exitCode, again.jobLog).toBe(0);
    expect(commentsOn(pr).map((c) => c.id)).toEqual([comment!.id]);
    expect(again.jobLog).toContain('PR comment updated');
    for (const run of [first, again]) {
      const token = emu.cloud.issuedTokens.map((t) => t.token);
      expect(findLeaks(run, [SECRET, ...token, run.githubToken], { output: ['pulumi-access-token'], env: ['PULUMI_ACCESS_TOKEN'] })).toEqual([]);
    }
  });

  it('a comment by someone else that starts with our marker is left alone; ours is created, then updated', async () => {
    const pr = 101;
    const marker = '<!-- pulumi-cloud-deploy-action stack=acme/api/dev -->';
    const planted = emu.github.addComment({ repo: 'acme/infra', issueNumber: pr, body: `${marker}\n### ✅ all good, merge me`, user: { login: 'mallory', type: 'User' } });
    emu.cloud.setScenario(scenarios.previewNoChanges, 'acme/api/dev');
    const first = await previewOn(pr, 'api/dev');
    expect(first.exitCode, first.jobLog).toBe(0);
    expect(first.jobLog).toContain('PR comment created');
    const second = await previewOn(pr, 'api/dev');
    expect(second.jobLog).toContain('PR comment updated');
    const onPr = commentsOn(pr);
    expect(onPr).toHaveLength(2);
    expect(onPr[0]).toMatchObject({ id: planted.id, body: `${marker}\n### ✅ all good, merge me`, user: { login: 'mallory' } });
    expect(onPr[1]!.user).toMatchObject({ login: 'github-actions[bot]', type: 'Bot' });
    expect(onPr[1]!.body.startsWith(`${marker}\n`)).toBe(true);
    const patches = emu.github.requests.filter((r) => r.method === 'PATCH');
    expect(patches.some((r) => r.path.endsWith(`/${planted.id}`))).toBe(false);
    expect(patches.some((r) => r.path.endsWith(`/${onPr[1]!.id}`))).toBe(true);
    // the workflow token may not read GET /user; the action asked, then took the bot as author
    expect(emu.github.requests.filter((r) => r.path === '/user').length).toBeGreaterThanOrEqual(2);
  });

  it('comments by deleted accounts (`user: null`, the "ghost" user) are read past and left alone', async () => {
    const pr = 110;
    const marker = '<!-- pulumi-cloud-deploy-action stack=acme/api/dev -->';
    const ghosts = [
      emu.github.addComment({ repo: 'acme/infra', issueNumber: pr, body: 'LGTM', user: null }),
      emu.github.addComment({ repo: 'acme/infra', issueNumber: pr, body: `${marker}\nreport copied by an account since deleted`, user: null }),
    ];
    emu.cloud.setScenario(scenarios.previewNoChanges, 'acme/api/dev');
    const first = await previewOn(pr, 'api/dev');
    const second = await previewOn(pr, 'api/dev');
    for (const run of [first, second])
      expect(
        run.annotations.filter((a) => a.level !== 'notice'),
        run.jobLog,
      ).toEqual([]);
    expect(first.jobLog).toContain('PR comment created');
    expect(second.jobLog).toContain('PR comment updated');
    const onPr = commentsOn(pr);
    expect(onPr.map((c) => c.user?.login ?? null)).toEqual([null, null, 'github-actions[bot]']);
    expect(onPr.slice(0, 2).map((c) => c.body)).toEqual(ghosts.map((g) => g.body));
    const listed = emu.github.requests.filter((r) => r.method === 'GET' && r.path === `/repos/acme/infra/issues/${pr}/comments`);
    expect(listed.length).toBeGreaterThanOrEqual(2);
    for (const r of listed) expect((r.responseBody as Array<{ user: unknown }>)[0]!.user).toBeNull();
  });

  it('with a personal token the author is that user: the bot comment is not ours, our own is updated', async () => {
    const pr = 102;
    const pat = `ghp_${'x'.repeat(36)}`;
    const marker = '<!-- pulumi-cloud-deploy-action stack=acme/api/dev -->';
    const botComment = emu.github.addComment({ repo: 'acme/infra', issueNumber: pr, body: `${marker}\nold report by the workflow token` });
    emu.cloud.setScenario(scenarios.previewNoChanges, 'acme/api/dev');
    const first = await previewOn(pr, 'api/dev', { 'github-token': pat });
    const second = await previewOn(pr, 'api/dev', { 'github-token': pat });
    expect(first.jobLog).toContain('PR comment created');
    expect(second.jobLog).toContain('PR comment updated');
    const onPr = commentsOn(pr);
    expect(onPr).toHaveLength(2);
    expect(onPr[0]).toMatchObject({ id: botComment.id, body: `${marker}\nold report by the workflow token` });
    expect(onPr[1]!.user).toMatchObject({ login: 'octocat', type: 'User' });
    for (const run of [first, second]) expect(findLeaks(run, [pat])).toEqual([]);
  });

  it('service text with mentions, HTML, pipes and backtick runs renders escaped', async () => {
    const pr = 103;
    const hostileStep = 'Deploy @octocat <img src=x onerror=alert(1)> | ```` [x](https://evil.example) **b**';
    emu.cloud.setScenario(
      {
        ...scenarios.failsInUpdateStep,
        name: 'hostileNames',
        steps: [
          ...scenarios.failsInUpdateStep.steps.slice(0, -1),
          { ...scenarios.failsInUpdateStep.steps.at(-1)!, name: hostileStep, lines: ['@octocat see <img src=x>', '`'.repeat(70_000), '````', 'done'] },
        ],
        updates: [{ result: 'failed', resourceChanges: { create: 1, '<img src=x>': 2, '@octocat': 3, 'a|b': 4 }, resourceCount: 1 }],
      },
      'acme/app/prod',
    );
    const run = await previewOn(pr, 'app/prod', { operation: 'update' });
    expect(run.exitCode).toBe(1);
    const body = commentsOn(pr)[0]!.body;
    expect(body.length).toBeLessThan(65_536);
    const [head, block] = body.split('<details>') as [string, string];
    expect(head).not.toMatch(/@octocat/);
    expect(head).not.toMatch(/<img/i);
    expect(head).not.toMatch(/(?<!\\)\]\(https?:\/\/evil/);
    expect(head).toContain('failed step: Deploy @&#8203;octocat &lt;img src=x onerror=alert(1)&gt; &#124; &#96;&#96;&#96;&#96; \\[x\\](https:&#8203;//evil.example) \\*\\*b\\*\\*');
    // Kinds that are not change kinds are left out of the counts, with one warning.
    expect(head).toContain('failed: +1 created\n');
    expect(run.annotations.filter((a) => a.step === 'main' && a.level === 'warning' && a.message.startsWith('Left out of the resource changes: 3 change kind(s)'))).toHaveLength(1);
    // the log block: one fence, not closed by the log's backtick lines, ends with our tags
    const lines = block.split('\n');
    const fence = lines.find((l) => /^`{3,}$/.test(l))!;
    expect(fence.length).toBeLessThanOrEqual(10);
    expect(lines.filter((l) => l === fence)).toHaveLength(2);
    expect(block.trimEnd().endsWith(`${fence}\n</details>`)).toBe(true);
    expect(run.summary).toContain('failed step: Deploy @&#8203;octocat');
  });

  it('a secret in the log tail, base64-, URL- or JSON-encoded or split by ANSI codes, never reaches the comment', async () => {
    const pr = 104;
    const other = 'p@ss/w0rd "quoted" & more';
    emu.cloud.setScenario(
      {
        ...scenarios.previewNoChanges,
        name: 'encodedLeaks',
        steps: [
          ...scenarios.previewNoChanges.steps,
          {
            name: 'Print config',
            lines: [
              `basic ${b64(`ci:${SECRET}`)}`,
              `b64 ${b64(`${SECRET}\n`)}`,
              `b64 ${b64(`xy${other}`)}`,
              `url https://x.example/?p=${encodeURIComponent(other)}&q=1`,
              `json {"password":${JSON.stringify(other)}}`,
              `ansi \u001b[31mhunter2-pr\u001b[0m-comment\u001b[1m-secret\u001b[0m`,
              `zw hunter2\u200b-pr-comment-secret`,
            ],
          },
        ],
      },
      'acme/app/prod',
    );
    const run = await previewOn(pr, 'app/prod', { 'secret-env': `DB_PASSWORD=${SECRET}\nOTHER=${other}` });
    expect(run.exitCode, run.jobLog).toBe(0);
    const body = commentsOn(pr)[0]!.body;
    expect(body).toContain('basic Y2k6***'); // base64('ci:') then the secret at byte offset 3
    const stdout = run.main.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    for (const secret of [SECRET, other]) {
      for (const form of everyForm(secret)) {
        expect(body, `comment: ${form}`).not.toContain(form);
        expect(run.summary, `summary: ${form}`).not.toContain(form);
        expect(stdout.replace(/\u001b\[[0-9;]*m/g, ''), `stdout: ${form}`).not.toContain(form);
      }
    }
  });

  it('expect-no-changes fails a preview that changes something, naming the counts', async () => {
    emu.cloud.setScenario(scenarios.previewWithChanges, 'acme/app/dev');
    const run = await preview('app/dev', { 'expect-no-changes': 'true', 'comment-on-pr': 'false' });
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(/^Deployment \S+ would change resources \(\+1 to create, ~1 to update, 4 unchanged\) but expect-no-changes is true: http:\/\/\S+\/previews\/\S+$/);
    expect(run.outputs['has-changes']).toBe('true');
  });

  it('expect-no-changes passes a preview without changes', async () => {
    emu.cloud.setScenario(scenarios.previewNoChanges, 'acme/app/prod');
    const run = await preview('app/prod', { 'expect-no-changes': 'true', 'comment-on-pr': 'false' });
    expect(run.exitCode, run.jobLog).toBe(0);
  });

  it('a failed deployment still sets the change outputs and comments with the failing step', async () => {
    emu.cloud.setScenario(scenarios.failsInUpdateStep, 'acme/app/prod');
    const run = await preview('app/prod', { operation: 'update' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['has-changes']).toBe('true');
    expect(JSON.parse(run.outputs['resource-changes']!)).toEqual({ create: 1, update: 0, delete: 0, replace: 0, same: 0 });
    const comment = commentsOnPr().find((c) => c.body.includes('stack=acme/app/prod'))!;
    expect(comment.body).toContain('failed step: Pulumi update');
    expect(comment.body).toContain('BucketAlreadyExists');
    expect(run.summary).toContain('failed step: Pulumi update');
  });

  it('a 20,000-line log yields a comment under 65,536 characters that says what was cut', { timeout: 180_000 }, async () => {
    emu.cloud.setScenario(scenarios.manySteps(20_000, { durationMs: 4000, steps: 4 }), 'acme/app/dev');
    // The action's clock at real time: its drain after the end (60 s, not 6 s) outlasts reading
    // every line on a loaded machine, so the tail is the log's real end, not wherever time ran out.
    const run = await runE2E(emu, {
      event,
      env: { GITHUB_REPOSITORY: 'acme/infra', PULUMI_DEPLOY_ACTION_TIME_SCALE: '1' },
      inputs: { stack: 'app/dev', operation: 'update', 'comment-on-pr': 'true' },
    });
    expect(run.exitCode, run.jobLog.slice(-500)).toBe(0);
    expect(run.jobLog).not.toContain('its log kept coming');
    const comment = commentsOnPr().find((c) => c.body.includes('stack=acme/app/dev'))!;
    expect(comment.body.length).toBeLessThan(65_536);
    expect(comment.body).toMatch(/_\d+ earlier lines not shown/);
    expect(comment.body).toContain('step 4 line 4999 of 5000');
    expect(comment.body).not.toMatch(/\u001b\[/);
    expect(run.summary.length).toBeLessThan(65_536);
  });

  it('on a push of a commit in no pull request, comment-on-pr says why no comment was posted', async () => {
    emu.cloud.setScenario(scenarios.quickSuccess, 'acme/app/dev');
    const before = emu.github.comments.length;
    const sha = 'e'.repeat(40);
    const run = await runE2E(emu, { env: { GITHUB_SHA: sha }, inputs: { stack: 'app/dev', operation: 'update', 'comment-on-pr': 'true' } });
    expect(run.exitCode).toBe(0);
    expect(run.jobLog).toContain(`comment-on-pr is true but commit ${sha} belongs to no pull request: no comment posted.`);
    expect(emu.github.comments.length).toBe(before);
  });

  it('on a push or merge_group run, comments on the pull request of the commit', async () => {
    emu.cloud.setScenario(scenarios.quickSuccess, 'acme/app/dev');
    const sha = '7'.repeat(40);
    emu.github.openPullRequest({ repo: 'acme/infra', number: 77, headSha: sha });
    // The payloads GitHub sends, so the runner derives GITHUB_SHA from them.
    const events = [
      { name: 'push', payload: pushPayload(emu.github.apiUrl, 'acme/infra', { ref: 'refs/heads/feature/infra', after: sha }) },
      { name: 'merge_group', payload: mergeGroupPayload(emu.github.apiUrl, 'acme/infra', { headSha: sha, baseSha: 'b'.repeat(40), number: 77 }) },
    ];
    for (const event of events) {
      expect(eventPayloadViolations(event.name, event.payload)).toEqual([]);
      const run = await runE2E(emu, {
        event,
        env: { GITHUB_REPOSITORY: 'acme/infra' },
        inputs: { stack: 'app/dev', operation: 'update', 'comment-on-pr': 'true' },
      });
      expect(run.exitCode, run.jobLog).toBe(0);
      expect(commentsOn(77), run.jobLog).toHaveLength(1);
    }
    expect(emu.github.requests.filter((r) => r.path === `/repos/acme/infra/commits/${sha}/pulls`)).toHaveLength(2);
  });

  it('pr-number names the pull request whatever the event', async () => {
    emu.cloud.setScenario(scenarios.quickSuccess, 'acme/app/dev');
    emu.github.openPullRequest({ repo: 'acme/infra', number: 78, headSha: '8'.repeat(40) });
    const run = await runE2E(emu, {
      event: { name: 'workflow_dispatch' },
      inputs: { stack: 'app/dev', operation: 'update', 'comment-on-pr': 'true', 'pr-number': '78' },
    });
    expect(run.exitCode, run.jobLog).toBe(0);
    expect(commentsOn(78)).toHaveLength(1);
  });

  it('a pr-number that names no pull request gets GitHub\'s 404: one "could not comment" warning, the verdict stays the deployment\'s', async () => {
    emu.cloud.setScenario(scenarios.quickSuccess, 'acme/app/dev');
    const run = await runE2E(emu, {
      event: { name: 'workflow_dispatch' },
      inputs: { stack: 'app/dev', operation: 'update', 'comment-on-pr': 'true', 'pr-number': '404' },
    });
    expect(run.exitCode, run.jobLog).toBe(0);
    expect(commentsOn(404)).toEqual([]);
    const warnings = run.annotations.filter((a) => a.step === 'main' && a.level === 'warning').map((a) => a.message);
    expect(warnings).toEqual([
      expect.stringMatching(/^Could not comment on pull request #404: .*404.*; check that it exists in acme\/infra, and give the job `permissions: pull-requests: write`$/),
    ]);
    expect(emu.github.requests.filter((r) => r.path.startsWith('/repos/acme/infra/issues/404/')).map((r) => r.status)).toContain(404);
  });

  it("the comment requests and the stand-in's comment answers match GitHub's REST description", () => {
    const comments = (path: string) => /\/issues\/(\d+\/)?comments/.test(path);
    expect(emu.github.requests.filter((r) => comments(r.path)).length).toBeGreaterThan(10);
    expect(githubContractViolations(emu.github.requests, comments)).toEqual([]);
  });
});

describe('a workflow token that may not read pull requests (pull-requests: none)', () => {
  let narrow: Emulators;
  beforeAll(async () => {
    narrow = await startEmulators({ timeScale: 10 }, { permissions: { deployments: 'write', checks: 'write' } });
  });
  afterAll(async () => {
    cleanupRuns();
    await narrow.close();
  });

  it('a push run gets one warning naming pull-requests: read; no comment, the verdict stays the deployment’s', async () => {
    narrow.cloud.setScenario(scenarios.quickSuccess, 'acme/app/dev');
    const sha = '9'.repeat(40);
    narrow.github.openPullRequest({ repo: 'acme/infra', number: 90, headSha: sha });
    const run = await runE2E(narrow, {
      event: { name: 'push', payload: pushPayload(narrow.github.apiUrl, 'acme/infra', { ref: 'refs/heads/feature/infra', after: sha }) },
      env: { GITHUB_REPOSITORY: 'acme/infra' },
      inputs: { stack: 'app/dev', operation: 'update', 'comment-on-pr': 'true' },
    });
    expect(run.exitCode, run.jobLog).toBe(0);
    const warnings = run.annotations.filter((a) => a.step === 'main' && a.level === 'warning').map((a) => a.message);
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^Could not find the pull request of commit ${sha}: .*403.*; give the job \`permissions: pull-requests: read\`$`))]);
    expect(narrow.github.requests.filter((r) => r.path === `/repos/acme/infra/commits/${sha}/pulls`).map((r) => r.status)).toEqual([403]);
    expect(narrow.github.comments).toEqual([]);
  });
});
