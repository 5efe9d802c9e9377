#!/usr/bin/env node
// npm run demo: installs what is missing, builds dist/, starts the local GitHub and Pulumi Cloud
// emulators, and runs the committed action (main, then post) through the runner emulator the
// way a pull_request workflow would: OIDC login, a preview deployment streamed live, the
// verdict, outputs, job summary, the PR comment, and logout; then one step with several stacks:
// two in order, then one that fails, and the rest skipped (fail-fast).
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sh = (cmd) => execSync(cmd, { cwd: root, stdio: 'inherit' });
const bold = (s) => (process.stdout.isTTY ? `\u001b[1m${s}\u001b[0m` : s);
const title = (s) => console.log(`\n${bold(`=== ${s} ===`)}`);

// --no-build: the tests build dist/ once before every file runs; a rebuild here would delete it
// under the end-to-end tests running beside this one.
if (!process.argv.includes('--no-build')) {
  sh('node scripts/ensure-deps.mjs');
  title('Building dist/ (npm run build)');
  sh('npm run -s build');
}

const { startStandIns } = await import('../emulators/stand-ins.mjs');
const { scenarios } = await import('../emulators/pulumi-cloud/scenarios.mjs');
const { runAction } = await import('../emulators/runner/runner.mjs');

const { defaultClaims } = await import('../emulators/github/server.mjs');
/** An update whose stack has a `url` output and that warns 14 times: more than the 10 annotations a step shows. */
const stagingUpdate = {
  ...scenarios.quickSuccess,
  name: 'stagingUpdate',
  updates: scenarios.quickSuccess.updates.map((u) => ({
    ...u,
    events: {
      ...u.events,
      outputs: { ...u.events.outputs, url: 'https://staging.website.example' },
      diagnostics: Array.from({ length: 14 }, (_, i) => ({ severity: 'warning', message: `aws:s3:Bucket tag ${i + 1} is deprecated`, resource: 'site-bucket' })),
    },
  })),
};
const standIns = await startStandIns({
  github: { claims: { ...defaultClaims({ owner: 'acme', repo: 'website' }), sub: 'repo:acme/website:pull_request', event_name: 'pull_request', ref: 'refs/pull/42/merge' } },
  cloud: {
    stacks: ['acme/website/dev', 'acme/website/prod', 'acme/website/staging', 'acme/platform/network', 'acme/platform/database', 'acme/platform/app', 'acme/platform/cdn'],
    scenarios: {
      'acme/website/dev': scenarios.previewWithChanges,
      'acme/website/prod': scenarios.failsInUpdateStep,
      'acme/website/staging': stagingUpdate,
      'acme/platform/network': scenarios.quickSuccess,
      'acme/platform/database': scenarios.quickSuccess,
      'acme/platform/app': scenarios.failsInUpdateStep,
      'acme/platform/cdn': scenarios.quickSuccess,
    },
  },
});
const { github, cloud } = standIns;
// The pull request the event names, so the PR comment can check it is about its head commit.
github.openPullRequest({ repo: 'acme/website', number: 42, headSha: '4f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f', headRef: 'feature/logs-bucket' });
title('Local stand-ins');
console.log(`GitHub (OIDC issuer + REST):  ${github.url}`);
console.log(`Pulumi Cloud:                 ${cloud.url}`);

const home = mkdtempSync(join(tmpdir(), 'demo-home-'));
const env = {
  ...standIns.env,
  GITHUB_TOKEN: 'ghs_demo_workflow_token',
  HOME: home,
  GITHUB_REPOSITORY: 'acme/website',
  GITHUB_REF: 'refs/pull/42/merge',
};
// The pull request exists on the GitHub stand-in, and the event is the one GitHub would send for it.
github.openPullRequest({ repo: 'acme/website', number: 42, headSha: '4f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f', headRef: 'feature/logs-bucket' });
const event = github.pullRequestEvent('acme/website', 42);

async function step(label, inputs) {
  title(`Job log: ${label}`);
  const run = await runAction({
    inputs: { organization: 'acme', 'cloud-url': cloud.url, ...inputs },
    env,
    event,
    onJobLogLine: (line) => console.log(line),
  });
  title(`Outputs: ${label}`);
  for (const [name, value] of Object.entries(run.outputs)) console.log(`${name.padEnd(22)} ${run.mask(value)}`);
  console.log(`${'(step exit code)'.padEnd(22)} ${run.exitCode}`);
  if (run.summaryShown) {
    title(`Job summary: ${label}`);
    console.log(run.summaryShown.trim());
  }
  run.cleanup();
  return run;
}

try {
  await step('preview of acme/website/dev on PR #42 (comment-on-pr)', {
    stack: 'website/dev',
    operation: 'preview',
    'comment-on-pr': 'true',
    env: 'AWS_REGION=eu-west-1',
    'secret-env': 'DATABASE_PASSWORD=demo-not-a-real-secret',
  });
  await step('update of acme/website/prod that fails in a step', { stack: 'website/prod', operation: 'update', 'token-expiration': '30m' });
  await step('four stacks in one step: two in order, then one that fails, and the rest skipped (fail-fast)', {
    stack: '# in order: network, then database, then app\nplatform/network\nplatform/database\nplatform/app\nplatform/cdn',
    operation: 'update',
  });
  await step('update of acme/website/staging (github-environment, check-run)', {
    stack: 'website/staging',
    operation: 'update',
    'github-environment': 'staging',
    'environment-url-output': 'url',
    'check-run': 'true',
  });
  title('GitHub calls the GitHub stand-in received (REST)');
  for (const r of github.requests.filter((r) => !r.path.startsWith('/_apis') && !r.path.startsWith('/.well-known'))) {
    const body = r.body && typeof r.body === 'object' ? r.body : {};
    const detail = r.path.endsWith('/statuses')
      ? ` state=${body.state}${body.environment_url ? ` environment_url=${body.environment_url}` : ''}`
      : r.path.includes('/check-runs')
        ? ` annotations=${body.output?.annotations?.length ?? 0}${body.conclusion ? ` conclusion=${body.conclusion}` : ''}`
        : '';
    console.log(`${r.method} ${r.path} -> ${r.status}${detail}`);
  }
  for (const d of github.deployments.values())
    console.log(`deployment ${d.id} (${d.environment}): ${d.statuses.map((st) => st.state).join(' -> ')}; environment URL ${d.statuses.at(-1)?.environment_url || '(none)'}`);
  for (const c of github.checkRuns.values()) console.log(`check run "${c.name}": ${c.conclusion}, ${c.annotations.length} annotations`);
  title('PR comments the GitHub stand-in received');
  for (const comment of github.comments) console.log(`--- comment ${comment.id} on ${comment.repo}#${comment.issueNumber}\n${comment.body}\n`);
  title('Requests Pulumi Cloud received');
  const counts = {};
  for (const r of cloud.requests) counts[r.endpoint] = (counts[r.endpoint] ?? 0) + 1;
  console.log(
    Object.entries(counts)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', '),
  );
} finally {
  await standIns.close();
  rmSync(home, { recursive: true, force: true });
}
