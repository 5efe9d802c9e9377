#!/usr/bin/env node
// npm run render-report: runs the committed action (dist/, rebuilt first) against the stand-ins
// for each demo scenario, as a pull_request workflow with comment-on-pr, and renders the job
// summary and the PR comment it wrote to HTML with a GFM renderer, as a reviewer sees them:
// .tmp/report/<scenario>.summary.html and .comment.html (and .md beside each).
// `--no-build` skips the build; `--only name,name` renders only those scenarios.
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import MarkdownIt from 'markdown-it';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
if (!args.includes('--no-build')) execSync('npm run -s build', { cwd: root, stdio: 'inherit' });
const only = args.includes('--only') ? new Set(args[args.indexOf('--only') + 1].split(',')) : undefined;

const { startStandIns } = await import('../emulators/stand-ins.mjs');
const { scenarios } = await import('../emulators/pulumi-cloud/scenarios.mjs');
const { runAction } = await import('../emulators/runner/runner.mjs');
const { defaultClaims } = await import('../emulators/github/server.mjs');

/** Scenario -> the operation it is run with. */
const RUNS = {
  previewWithChanges: 'preview',
  previewWithReplacements: 'preview',
  previewNoChanges: 'preview',
  quickSuccess: 'update',
  failsInUpdateStep: 'update',
  skipped: 'update',
};
const HEAD_SHA = '4f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f';
const out = join(root, '.tmp', 'report');
mkdirSync(out, { recursive: true });

// html: true as GitHub keeps <details> and <summary>; GitHub sanitises the rest, the report holds none.
const md = new MarkdownIt({ html: true, linkify: true });
const page = (title, body) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>
body { font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328; max-width: 860px; margin: 24px auto; padding: 0 16px; }
.frame { border: 1px solid #d1d9e0; border-radius: 6px; padding: 8px 16px; }
h3 { font-size: 1.25em; margin: 8px 0; } h4 { margin: 12px 0 4px; }
code { background: #eff1f3; border-radius: 4px; padding: .1em .3em; font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
pre { background: #f6f8fa; border-radius: 6px; padding: 10px 12px; overflow: auto; font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; }
pre code { background: none; padding: 0; }
.line { display: block; white-space: pre; } .diff-add { color: #116329; background: #dafbe1; } .diff-del { color: #82071e; background: #ffebe9; }
table { border-collapse: collapse; } th, td { border: 1px solid #d1d9e0; padding: 4px 10px; }
blockquote { border-left: 4px solid #9a6700; margin: 8px 0; padding: 0 12px; color: #59636e; }
a { color: #0969da; } summary { cursor: pointer; }
</style></head><body><div class="frame">${body}</div></body></html>
`;
// GitHub colours + and - lines of a diff block.
md.renderer.rules.fence = (tokens, i) => {
  const t = tokens[i];
  const esc = md.utils.escapeHtml;
  const lines = t.content.replace(/\n$/, '').split('\n');
  const cls = (l) => (t.info.trim() !== 'diff' ? '' : l.startsWith('+') ? 'diff-add' : l.startsWith('-') ? 'diff-del' : '');
  const body = lines.map((l) => `<span class="line ${cls(l)}">${esc(l) || ' '}</span>`).join('');
  return `<pre><code>${body}</code></pre>\n`;
};

const standIns = await startStandIns({
  github: { claims: { ...defaultClaims({ owner: 'acme', repo: 'website' }), sub: 'repo:acme/website:pull_request', event_name: 'pull_request', ref: 'refs/pull/42/merge' } },
  cloud: { stacks: Object.keys(RUNS).map((name) => `acme/website/${name.toLowerCase()}`) },
});
standIns.github.openPullRequest({ repo: 'acme/website', number: 42, headSha: HEAD_SHA, headRef: 'feature/logs-bucket' });
const home = mkdtempSync(join(tmpdir(), 'render-report-home-'));
try {
  for (const [name, operation] of Object.entries(RUNS)) {
    if (only && !only.has(name)) continue;
    const stack = name.toLowerCase();
    standIns.cloud.setScenario(scenarios[name], `acme/website/${stack}`);
    const run = await runAction({
      inputs: { organization: 'acme', 'cloud-url': standIns.cloud.url, stack: `website/${stack}`, operation, 'comment-on-pr': 'true' },
      env: { ...standIns.env, GITHUB_TOKEN: 'ghs_demo_workflow_token', HOME: home, GITHUB_REPOSITORY: 'acme/website', GITHUB_REF: 'refs/pull/42/merge' },
      event: standIns.github.pullRequestEvent('acme/website', 42),
    });
    const comment = standIns.github.comments.filter((c) => c.body.includes(`stack=acme/website/${stack} -->`)).at(-1)?.body ?? '';
    for (const [kind, text] of [
      ['summary', run.summaryShown],
      ['comment', comment],
    ]) {
      writeFileSync(join(out, `${name}.${kind}.md`), text);
      writeFileSync(join(out, `${name}.${kind}.html`), page(`${name} ${kind}`, md.render(text)));
    }
    console.log(`${name}: exit ${run.exitCode}, summary ${run.summaryShown.length} chars, comment ${comment.length} chars -> .tmp/report/${name}.{summary,comment}.html`);
    run.cleanup();
  }
} finally {
  await standIns.close();
  rmSync(home, { recursive: true, force: true });
}
