// The step's report for the job summary and the PR comment: several stacks share one size limit
// fairly, the table comes first and whole, and the comment's marker names the set of stacks.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { commentMarker, commentText, GITHUB_COMMENT_LIMIT } from '../../src/report/comment-body.js';
import { MAX_MARKDOWN_CHARS } from '../../src/report/markdown.js';
import type { ReporterDeps } from '../../src/report/reporter.js';
import { fairShares, renderStepReport } from '../../src/report/stacks-report.js';
import type { Judged } from '../../src/report/verdict.js';
import type { GitHubContext } from '../../src/runner-io/github-context.js';
import { SecretRegistry } from '../../src/runner-io/secrets.js';
import { followedDeployment } from '../support/outcomes.js';

const SECRET = 'hunter2-step-report';

function followed(name: string, tail: string[]): Judged {
  const stack = { organization: 'acme', project: 'infra', stack: name };
  const run = followedDeployment({
    ref: { ...stack, id: `d-${name}` },
    consoleUrl: `https://app.pulumi.com/acme/infra/${name}/deployments/1`,
    tail,
    linesStreamed: tail.length,
    durationMs: 1_000,
  });
  const verdict = {
    ok: true,
    message: `Deployment d-${name} succeeded`,
    hasChanges: false,
    changes: { create: 0, update: 0, delete: 0, replace: 0, same: 3 },
    contradictions: [],
    droppedKinds: [],
  };
  return { outcome: { stack, end: 'followed', followed: run }, ok: true, message: verdict.message, verdict };
}
const skipped = (name: string): Judged => ({
  outcome: { stack: { organization: 'acme', project: 'infra', stack: name }, end: 'skipped', because: 'fail-fast' },
  ok: false,
  message: `acme/infra/${name} was not deployed`,
});

const secrets = new SecretRegistry(() => {});
secrets.add(SECRET);
const deps: Pick<ReporterDeps, 'settings' | 'secrets' | 'context'> = {
  settings: { operation: 'update', stackCount: 2, commentOnPr: true, consoleOrigin: 'https://app.pulumi.com' },
  secrets,
  context: { repository: 'acme/infra', sha: 'a'.repeat(40), eventName: 'pull_request' } as GitHubContext,
};
const lines = (n: number, text = 'x'.repeat(200)) => Array.from({ length: n }, (_, i) => `${i} ${text} ${SECRET}`);

describe('fairShares', () => {
  const wants = fc.array(fc.nat({ max: 100_000 }), { maxLength: 60 });
  it('never gives more than the total or than a part wants; gives all when all fits', () => {
    fc.assert(
      fc.property(wants, fc.nat({ max: 300_000 }), (want, total) => {
        const shares = fairShares(want, total);
        expect(shares).toHaveLength(want.length);
        expect(shares.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(total);
        shares.forEach((share, i) => expect(share).toBeLessThanOrEqual(want[i]!));
        if (want.reduce((a, b) => a + b, 0) <= total) expect(shares).toEqual(want);
      }),
    );
  });
  it('is max-min fair: a part that is cut gets at least any other share, and little is left unused', () => {
    fc.assert(
      fc.property(wants, fc.nat({ max: 300_000 }), (want, total) => {
        const shares = fairShares(want, total);
        const cut = shares.filter((share, i) => share < want[i]!);
        for (const share of cut) expect(share).toBeGreaterThanOrEqual(Math.max(...shares));
        if (cut.length) expect(total - shares.reduce((a, b) => a + b, 0)).toBeLessThan(cut.length);
      }),
    );
  });
});

describe('renderStepReport', () => {
  it('one stack: its report alone; not followed: nothing', () => {
    const one = renderStepReport([followed('dev', lines(3))], deps, MAX_MARKDOWN_CHARS);
    expect(one.startsWith('### ✅ Pulumi update of `acme/infra/dev` succeeded')).toBe(true);
    expect(renderStepReport([skipped('dev')], deps, MAX_MARKDOWN_CHARS)).toBe('');
  });

  it('several: the table first, then every followed stack, a short report whole and the long ones cut to equal shares', () => {
    const results = [followed('net', lines(2)), followed('db', lines(100_000)), followed('app', lines(100_000)), skipped('web')];
    const report = renderStepReport(results, deps, MAX_MARKDOWN_CHARS);
    expect(report.length).toBeLessThanOrEqual(MAX_MARKDOWN_CHARS);
    expect(report.length).toBeGreaterThan(MAX_MARKDOWN_CHARS - 1_000); // the room is used
    expect(report.startsWith('### Pulumi update of 4 stacks')).toBe(true);
    expect(report).toContain('| `acme/infra/web` | update | ⏭️ skipped |');
    const parts = report.split(/^(?=### ✅ Pulumi update of )/m).slice(1);
    expect(parts.map((p) => /`acme\/infra\/(\w+)`/.exec(p)![1])).toEqual(['net', 'db', 'app']);
    expect(parts[0]).toContain('Last 2 log lines');
    expect(Math.abs(parts[1]!.length - parts[2]!.length)).toBeLessThan(400);
    expect(report).not.toContain(SECRET);
  });

  it('fits any number of stacks up to 50 with any tails in the limit it is given', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(0, 1, 50, 5_000), fc.boolean()), { minLength: 2, maxLength: 50 }),
        fc.constantFrom(MAX_MARKDOWN_CHARS, 10_000),
        (stacks, limit) => {
          const results = stacks.map(([n, ran], i) => (ran ? followed(`s${i}`, lines(n)) : skipped(`s${i}`)));
          const report = renderStepReport(results, deps, limit);
          expect(report.length).toBeLessThanOrEqual(limit);
          // The table is whole when it fits: every stack has its row.
          if (report.length < limit) for (let i = 0; i < results.length; i++) expect(report).toContain(`\`acme/infra/s${i}\``);
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('commentText', () => {
  it('one stack keeps the marker earlier runs wrote, so their comment is updated in place', () => {
    expect(commentMarker(['acme/infra/dev'])).toBe('<!-- pulumi-cloud-deploy-action stack=acme/infra/dev -->');
  });

  it('several stacks: one marker for the set, whatever their order, and another for another set', () => {
    const a = commentMarker(['acme/infra/net', 'acme/infra/db']);
    expect(a).toMatch(/^<!-- pulumi-cloud-deploy-action stacks=2:[0-9a-f]{16} -->$/);
    expect(commentMarker(['acme/infra/db', 'acme/infra/net'])).toBe(a);
    expect(commentMarker(['acme/infra/db', 'acme/infra/app'])).not.toBe(a);
  });

  it('is one comment under GitHub limit for 50 stacks with long logs, starting with its marker', () => {
    const results = Array.from({ length: 50 }, (_, i) => followed(`s${i}`, lines(2_000, '`'.repeat(300))));
    const { marker, body } = commentText(results, deps);
    expect(body.startsWith(`${marker}\n### Pulumi update of 50 stacks`)).toBe(true);
    expect(body.length).toBeLessThanOrEqual(MAX_MARKDOWN_CHARS);
    expect(body.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(body.match(/^### ✅ Pulumi update of /gm)).toHaveLength(50);
  });

  it('is empty when no stack was followed', () => {
    expect(commentText([skipped('a')], deps).body).toBe('');
  });
});
