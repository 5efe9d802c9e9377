import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_RESOURCES, PlanAggregator, readEngineEvents } from '../../src/deployment/events.js';
import type { UpdatePlan } from '../../src/domain/outcome.js';
import { describeCounts, renderPlan, renderPlans } from '../../src/report/plan.js';
import { engineAnnotations } from '../../src/report/annotations.js';
import { failureCause } from '../../src/domain/outcome.js';
import { fakeSource, pre, summary, update } from './engine-events.test.js';
import { expectSound, structure } from '../support/gfm.js';

const stack = { organization: 'acme', project: 'app', stack: 'dev' };
const CONSOLE = 'https://app.pulumi.com/acme/app/dev/previews/0b7e3f7e-4b1c-4a8e-9a51-1f2d3c4b5a69';
const HOSTILE = [
  '::error::pwned',
  '##[warning]x',
  'a\rb',
  'line\nbreak',
  'sep\u2028x',
  '`code`',
  '```',
  'a|b',
  '<img src=x>',
  '@octocat',
  '[link](https://evil)',
  '**bold**',
  '#123',
  'GH-123',
];

function planOf(events: unknown[], kind = 'preview'): UpdatePlan {
  const agg = new PlanAggregator(kind, 'u1', 1);
  for (const e of events) agg.add(e);
  return agg.finish();
}

/** Annotation text: one line, no workflow command. */
const expectOneSafeLine = (text: string) => expect(text).not.toMatch(/::|##\[|\u001b|[\n\r\u000b\u000c\u0085\u2028\u2029]/);

/** Lines the plan's diff block may hold: an operation symbol, or indented property/error lines. */
const PLAN_LINE = /^(\+- |- {2}|\+ {2}|~ {2}|= {2}|> {2}|< {2}|\+\+ |-- |\* {2}| {4}[~+-] | {4}error: | {4}\.\.\. \d+ more$)/;

/**
 * Rendered as GitHub renders it: links only to the console, no HTML but ours, no mention, and
 * the event text stays inside the diff block, one line per line written (no fence break).
 */
function expectPlanSound(text: string, resources: number) {
  const s = expectSound(text, 'https://app.pulumi.com');
  for (const link of s.links) expect(link.text).toBe('the full plan in the Pulumi console');
  const blocks = s.fences.filter((f) => f.info === 'diff');
  expect(s.fences.length).toBe(blocks.length);
  const plan = blocks[0];
  if (resources && plan) {
    expect(plan.lines.filter((l) => /^\S/.test(l)).length).toBeLessThanOrEqual(resources);
    for (const line of plan.lines) expect(line, line).toMatch(PLAN_LINE);
  }
  expect(text).not.toMatch(/::|#\[/);
  expect(text).not.toMatch(/[\r\u000b\u000c\u0085\u2028\u2029]/);
  return s;
}

describe('event text in the plan and in annotations', () => {
  const hostileDiag = (message: string) => ({
    type: 'diagnosticEvent',
    timestamp: 1,
    diagnosticEvent: { severity: 'error', message, color: 'raw', urn: `urn:pulumi:dev::app::aws:s3:Bucket::${message}` },
  });
  it.each(HOSTILE)('neutralises %j', (raw) => {
    const plan = planOf([pre('update', `aws:s3:Bucket${raw}`, raw, { diffs: [raw], old: { inputs: { [raw]: raw } }, new: { inputs: { [raw]: `${raw}2` } } }), hostileDiag(raw)]);
    expectPlanSound(renderPlan(plan, 60_000, CONSOLE), 1);
    for (const a of engineAnnotations([plan]).annotations) expectOneSafeLine(`${a.title} ${a.message}`);
    expectOneSafeLine(failureCause([plan])!);
  });

  it("drops ANSI codes and Pulumi's colour markup, keeps ordinary names as they are", () => {
    const plan = planOf([pre('create', 'aws:s3:Bucket', 'site-bucket'), hostileDiag('\u001b[31mcreating\u001b[0m <{%fg 1%}>bucket.v2<{%reset%}>')]);
    expect(plan.diagnostics[0]!.message).toBe('\u001b[31mcreating\u001b[0m bucket.v2');
    expect(engineAnnotations([plan]).annotations[0]!.message).toBe('creating bucket.v2');
    const s = structure(renderPlan(plan, 60_000));
    expect(s.fences[0]!.lines).toEqual(['+  aws:s3:Bucket site-bucket create']);
    expect(s.text).toContain('❌ creating bucket.v2');
  });

  it('shows names literally inside the diff block, where nothing is Markdown', () => {
    const plan = planOf([pre('create', 'aws:s3:Bucket', 'a|b <i> `c` @d #1 [e](f) *g*')]);
    expect(structure(renderPlan(plan, 60_000)).fences[0]!.lines).toEqual(['+  aws:s3:Bucket a|b <i> `c` @d #1 [e](f) *g* create']);
  });

  describe('the console link', () => {
    const many = Array.from({ length: 50 }, (_, i) => pre('create', 'aws:s3:Bucket', `b${i}`));
    const footer = (url: string | undefined, consoleOrigin?: string) =>
      renderPlans([planOf(many)], { budget: 1_000, consoleUrl: () => url, ...(consoleOrigin ? { consoleOrigin } : {}) })
        .split('\n')
        .filter((l) => l.includes('not shown here'))
        .join('\n');

    it('links an app.pulumi.com URL by default, and only the given origin when there is one', () => {
      expect(footer(CONSOLE)).toContain(`see [the full plan in the Pulumi console](${CONSOLE})._`);
      expect(footer('https://pulumi.example.com/acme/app/dev/previews/1', 'https://pulumi.example.com')).toContain('](https://pulumi.example.com/acme/app/dev/previews/1)');
      expect(footer(CONSOLE, 'https://pulumi.example.com')).toContain('see the full plan in the Pulumi console._');
    });

    it.each([
      'javascript:alert(1)',
      'data:text/html,x',
      'https://evil.example/acme',
      'https://user:pw@app.pulumi.com/x',
      'https://app.pulumi.com/x\n::error::y',
      'app.pulumi.com/x',
    ])('never links %j', (url) => {
      const text = footer(url);
      expect(text).toContain('see the full plan in the Pulumi console._');
      expect(structure(text).links).toEqual([]);
    });

    it('percent-encodes what would end the link', () => {
      expect(footer('https://app.pulumi.com/a)[x](https://evil.example)<b>')).toContain('](https://app.pulumi.com/a%29%5Bx%5D%28https://evil.example%29%3Cb%3E)._');
    });
  });
});

describe('renderPlan', () => {
  const events = [
    pre('create', 'aws:s3:Bucket', 'logs'),
    pre('update', 'aws:iam:Role', 'role', { diffs: ['tags'], old: { inputs: { tags: { env: 'dev' } } }, new: { inputs: { tags: { env: 'staging' } } } }),
    pre('create-replacement', 'aws:s3:Bucket', 'site', { keys: ['bucket'], diffs: ['bucket', 'acl'] }),
    pre('replace', 'aws:s3:Bucket', 'site', { keys: ['bucket'] }),
    pre('delete-replaced', 'aws:s3:Bucket', 'site'),
    pre('delete', 'aws:sqs:Queue', 'old'),
    summary({ create: 1, update: 1, replace: 1, 'create-replacement': 1, 'delete-replaced': 1, delete: 1, same: 7 }),
  ];

  it("writes Pulumi's notation in a diff block: replacements, deletions, creations, updates, with property values", () => {
    const text = renderPlan(planOf(events), 60_000, CONSOLE);
    const s = expectPlanSound(text, 4);
    expect(s.headings).toEqual(['Preview: +-1 to replace, -1 to delete, +1 to create, ~1 to update, 7 unchanged']);
    expect(s.fences).toEqual([
      {
        info: 'diff',
        lines: [
          '+- aws:s3:Bucket site replace [diff: ~bucket, ~acl]',
          '-  aws:sqs:Queue old delete',
          '+  aws:s3:Bucket logs create',
          '~  aws:iam:Role role update',
          '    ~ tags: {"env":"dev"} => {"env":"staging"}',
        ],
      },
    ]);
    expect(text).not.toContain('not shown');
  });

  it('takes property lines from detailedDiff paths, hides secrets, cuts values at 80 and shows at most 10', () => {
    const secret = { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', ciphertext: 'v1:abc' };
    const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
    const detailedDiff = Object.fromEntries([
      ['tags.env', { diffKind: 'update', inputDiff: true }],
      ['password', { diffKind: 'update', inputDiff: true }],
      ['long', { diffKind: 'add', inputDiff: true }],
      ...keys.map((k) => [k, { diffKind: 'delete', inputDiff: true }]),
    ]);
    const old = { inputs: { tags: { env: 'dev' }, password: secret, ...Object.fromEntries(keys.map((k) => [k, 1])) } };
    const plan = planOf(
      [pre('update', 'aws:rds:Instance', 'db', { detailedDiff, old, new: { inputs: { tags: { env: 'prod' }, password: '[secret]', long: 'x'.repeat(500) } } })],
      'update',
    );
    const lines = structure(renderPlan(plan, 60_000)).fences[0]!.lines;
    expect(lines[0]).toBe('~  aws:rds:Instance db updated');
    expect(lines[1]).toBe('    ~ tags.env: "dev" => "prod"');
    expect(lines[2]).toBe('    ~ password: [secret] => [secret]');
    expect(lines[3]).toBe(`    + long: "${'x'.repeat(78)}…`);
    expect(lines.length).toBe(1 + 10 + 1);
    expect(lines.at(-1)).toBe('    ... 5 more');
    expect(renderPlan(plan, 60_000)).not.toContain('v1:abc');
  });

  it('shows the key alone when the event does not hold the values (never "undefined")', () => {
    const plan = planOf([
      pre('update', 'aws:iam:Role', 'r', { diffs: ['policy'], detailedDiff: { policy: { diffKind: 'update', inputDiff: true } }, old: { inputs: {} }, new: { inputs: {} } }),
    ]);
    expect(structure(renderPlan(plan, 60_000)).fences[0]!.lines).toEqual(['~  aws:iam:Role r update', '    ~ policy']);
  });

  it('marks a failed resource with its error and an interrupted one', () => {
    const failed = {
      type: 'resOpFailedEvent',
      timestamp: 1,
      resOpFailedEvent: { metadata: pre('create', 'aws:s3:Bucket', 'site').resourcePreEvent.metadata, status: 1, steps: 1 },
    };
    const error = {
      type: 'diagnosticEvent',
      timestamp: 1,
      diagnosticEvent: { severity: 'error', message: 'BucketAlreadyExists', color: 'raw', urn: 'urn:pulumi:dev::app::aws:s3:Bucket::site' },
    };
    const custom = { old: null, new: { custom: true, inputs: {} } };
    const plan = planOf(
      [pre('create', 'aws:s3:Bucket', 'site', custom), failed, error, pre('update', 'aws:rds:Instance', 'db', { ...custom, old: { custom: true, inputs: {} } })],
      'update',
    );
    expect(structure(renderPlan(plan, 60_000)).fences[0]!.lines).toEqual([
      '+  aws:s3:Bucket site creating failed',
      '    error: BucketAlreadyExists',
      '~  aws:rds:Instance db updating (interrupted)',
    ]);
  });

  it('lists stack output changes old -> new, secrets hidden', () => {
    const stackUrn = 'urn:pulumi:dev::app::pulumi:pulumi:Stack::app-dev';
    const meta = { op: 'same', urn: stackUrn, type: 'pulumi:pulumi:Stack', old: { outputs: { ip: '1.2.3.4', key: '[secret]', gone: 1 } }, new: null };
    const outputs = {
      type: 'resOutputsEvent',
      timestamp: 1,
      resOutputsEvent: {
        metadata: { ...meta, new: { outputs: { ip: '5.6.7.8', key: { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', plaintext: 'p' }, added: true } } },
      },
    };
    const plan = planOf([{ type: 'resourcePreEvent', timestamp: 1, resourcePreEvent: { metadata: meta } }, outputs], 'update');
    const s = structure(renderPlan(plan, 60_000));
    expect(s.fences.at(-1)!.lines).toEqual(['  ~ ip: "1.2.3.4" => "5.6.7.8"', '  - gone: 1', '  + added: true']);
  });

  it('uses the past tense for an update, with counts from the summaryEvent', () => {
    const text = renderPlan(planOf(events.slice(0, -1).concat(summary({ create: 5, same: 2 }, false)), 'update'), 60_000);
    expect(structure(text).headings[0]).toBe('Update: +5 created, 2 unchanged');
    expect(structure(text).fences[0]!.lines).toContain('+  aws:s3:Bucket logs created');
  });

  it('a policy violations table keeps five cells per row whatever the text', () => {
    const hostile = HOSTILE.join(' ');
    const plan = planOf([
      pre('create', `aws:s3:Bucket${hostile}`, `n ${hostile}`, { diffs: [hostile] }),
      { type: 'diagnosticEvent', timestamp: 1, diagnosticEvent: { severity: 'error', message: hostile, color: 'raw' } },
      {
        type: 'policyEvent',
        timestamp: 1,
        policyEvent: { policyName: hostile, policyPackName: hostile, enforcementLevel: 'mandatory', message: hostile, color: '', policyPackVersion: '', policyPackVersionTag: '' },
      },
    ]);
    const text = renderPlan(plan, 60_000, CONSOLE);
    const s = expectPlanSound(text, 1);
    expect(s.tables).toBe(1);
    const row = /<tr>\s*<td>❌ mandatory[\s\S]*?<\/tr>/.exec(s.html_rendered)![0];
    expect(row.match(/<td>/g)).toHaveLength(5);
  });

  it('a 10,000-resource preview fits a comment (< 65,536) and a summary (< 1 MiB), saying what was left out', async () => {
    const all: unknown[] = Array.from({ length: 10_000 }, (_, i) =>
      pre(i % 3 ? 'create' : 'update', 'aws:s3:BucketObject', `object-${i}`, { diffs: ['key', 'source', 'contentType'] }),
    );
    all.push(summary({ create: 6_666, update: 3_334, same: 12 }));
    const report = await readEngineEvents(fakeSource(all, 500).source, stack, [update()]);
    if (!report.ok) throw new Error(report.warning);
    const comment = renderPlans(report.updates, { budget: 50_000, consoleUrl: () => CONSOLE });
    const summaryText = renderPlans(report.updates, { budget: 900_000, consoleUrl: () => CONSOLE });
    expect(comment.length).toBeLessThanOrEqual(50_000);
    expect(summaryText.length).toBeLessThanOrEqual(900_000);
    const cut = /_(\d+) more changed resources not shown here; see \[the full plan in the Pulumi console\]\(https:/;
    expect(Number(summaryText.match(cut)?.[1])).toBe(10_000 - MAX_RESOURCES); // MAX_RESOURCES kept, the rest only counted
    expect(Number(comment.match(cut)?.[1])).toBeGreaterThanOrEqual(10_000 - MAX_RESOURCES);
    expect(structure(comment).headings[0]).toBe('Preview: +6666 to create, ~3334 to update, 12 unchanged');
    // The long plan is collapsed.
    expect(structure(comment).html[0]).toMatch(/^<details><summary>Plan: \d+ changed resources<\/summary>$/);
  });

  it('renders nothing when even the heading does not fit', () => {
    expect(renderPlans([planOf(events)], { budget: 100 })).toBe('');
  });

  it('property: any event stream renders within budget and sound: no link but ours, no HTML, no mention, no fence break', () => {
    const text = fc.oneof(fc.string(), fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary' }));
    const value = fc.oneof(text, fc.integer(), fc.dictionary(text, text, { maxKeys: 3 }));
    const op = fc.constantFrom('create', 'update', 'delete', 'replace', 'create-replacement', 'delete-replaced', 'same', 'read', 'import', 'refresh', 'discard');
    const event = fc.oneof(
      fc
        .record({
          op,
          type: text,
          name: text,
          diffs: fc.array(text, { maxLength: 20 }),
          old: fc.dictionary(text, value, { maxKeys: 5 }),
          new: fc.dictionary(text, value, { maxKeys: 5 }),
        })
        .map((r) => pre(r.op, `a:b:${r.type}`, r.name, { diffs: r.diffs, keys: r.diffs.slice(0, 1), old: { custom: true, inputs: r.old }, new: { custom: true, inputs: r.new } })),
      fc
        .record({ severity: fc.constantFrom('error', 'warning', 'info'), message: text })
        .map((d) => ({ type: 'diagnosticEvent', timestamp: 1, diagnosticEvent: { ...d, color: 'raw' } })),
      fc.record({ policyName: text, policyPackName: text, enforcementLevel: text, message: text }).map((p) => ({ type: 'policyEvent', timestamp: 1, policyEvent: p })),
      fc.dictionary(fc.oneof(fc.constantFrom('create', 'update', 'same', 'delete', 'replace'), text), fc.nat(100_000)).map((c) => summary(c)),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 100 }), fc.integer({ min: 0, max: 20_000 }), (events, budget) => {
        const plan = planOf(events);
        const out = renderPlans([plan], { budget, consoleUrl: () => CONSOLE });
        expect(out.length).toBeLessThanOrEqual(budget);
        expectPlanSound(out, plan.resources.length);
        for (const a of engineAnnotations([plan]).annotations) expectOneSafeLine(`${a.title} ${a.message}`);
      }),
      { numRuns: 200 },
    );
  });
});

describe('describeCounts', () => {
  it("folds replace steps into the replace, in Pulumi's words, and says no changes for an unchanged stack", () => {
    expect(describeCounts({ replace: 2, 'create-replacement': 2, 'delete-replaced': 2 }, true)).toBe('+-2 to replace');
    expect(describeCounts({ create: 2, update: 1, replace: 1 }, true)).toBe('+-1 to replace, +2 to create, ~1 to update');
    expect(describeCounts({ same: 0 }, false)).toBe('no changes');
    expect(describeCounts({ same: 4 }, false)).toBe('no changes, 4 unchanged');
    expect(describeCounts({ constructor: 1, toString: 2 }, true)).toBe('1 to constructor, 2 to toString');
  });
});

describe('engineAnnotations and failureCause', () => {
  const diag = (severity: string, message: string, urn?: string) => ({
    type: 'diagnosticEvent',
    timestamp: 1,
    diagnosticEvent: { severity, message, color: 'raw', ...(urn ? { urn } : {}) },
  });
  it('puts errors first, caps 10 of each kind, dedupes, names the resource in the title', () => {
    const plan = planOf(
      [
        ...Array.from({ length: 15 }, (_, i) => diag('warning', `w${i}`)),
        ...Array.from({ length: 12 }, (_, i) => diag('error', `e${i}`, `urn:pulumi:dev::app::aws:s3:Bucket::b${i}`)),
        { type: 'policyEvent', timestamp: 1, policyEvent: { policyName: 'no-public', policyPackName: 'guard', enforcementLevel: 'mandatory', message: 'public::bucket' } },
      ],
      'update',
    );
    const { annotations, omitted } = engineAnnotations([plan, plan]);
    expect(annotations.filter((a) => a.kind === 'error')).toHaveLength(10);
    expect(annotations.filter((a) => a.kind === 'warning')).toHaveLength(10);
    expect(annotations[0]).toEqual({ kind: 'error', title: 'Pulumi error: aws:s3:Bucket b0', message: 'e0' });
    expect(omitted).toBe(3 + 5);
    expect(engineAnnotations([plan], { maxErrors: 9 }).annotations.filter((a) => a.kind === 'error')).toHaveLength(9);
  });

  it('gives the failing resource error as one safe line', () => {
    const plan = planOf([diag('error', 'creating S3 Bucket (site):\nBucketAlreadyExists ::error::x', 'urn:pulumi:dev::app::aws:s3:Bucket::site')], 'update');
    expect(failureCause([plan])).toBe('aws:s3:Bucket site: creating S3 Bucket (site): BucketAlreadyExists :\u200b:error:\u200b:x');
    expect(failureCause([planOf([])])).toBeUndefined();
  });
});
