import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_RESOURCES, PlanAggregator, readEngineEvents } from '../../src/deployment/events.js';
import type { UpdatePlan } from '../../src/domain/outcome.js';
import { describeCounts, renderPlan, renderPlans } from '../../src/report/plan.js';
import { engineAnnotations } from '../../src/report/annotations.js';
import { failureCause } from '../../src/domain/outcome.js';
import { fakeSource, pre, summary, update } from './engine-events.test.js';

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

const CONSOLE_LINK = /\[the full plan in the Pulumi console\]\(https:\/\/app\.pulumi\.com\/[^\s()<>]*\)/g;
const BREAKS = /[\r\u000b\u000c\u0085\u2028\u2029]/;

/**
 * What no rendered Markdown may contain: a mention, an issue reference, HTML, a link, autolink or
 * image from event text, a code span or fence, a command, a raw line break. Escaped characters
 * (`\x`) and our console link are taken out first; what is left must hold none of the syntax.
 */
function expectInert(text: string) {
  expect(text).not.toMatch(/@[\p{L}\p{N}_-]/u);
  expect(text).not.toMatch(/(?<!&)#\d|GH-\d/i);
  expect(text).not.toMatch(/::|#\[/);
  expect(text).not.toMatch(BREAKS);
  expect(text).not.toMatch(/[<>`]/);
  const bare = text.replace(/\\[\s\S]/g, '').replace(CONSOLE_LINK, '');
  expect(bare).not.toMatch(/[[\]~]/);
  expect(bare).not.toMatch(/:\/\/|www\./i);
  // Every `&` starts an entity of the sanitiser's own.
  expect(bare.replace(/&(amp|lt|gt|#124|#96|#8203);/g, '')).not.toContain('&');
}

/** Annotation text: one line, no workflow command. */
const expectOneSafeLine = (text: string) => expect(text).not.toMatch(/::|##\[|\u001b|[\n\r\u000b\u000c\u0085\u2028\u2029]/);

describe('event text in the plan and in annotations', () => {
  const hostileDiag = (message: string) => ({
    type: 'diagnosticEvent',
    timestamp: 1,
    diagnosticEvent: { severity: 'error', message, color: 'raw', urn: `urn:pulumi:dev::app::aws:s3:Bucket::${message}` },
  });
  it.each(HOSTILE)('neutralises %j', (raw) => {
    const plan = planOf([pre('create', `aws:s3:Bucket${raw}`, raw, { diffs: [raw] }), hostileDiag(raw)]);
    expectInert(renderPlan(plan, 60_000, CONSOLE));
    for (const a of engineAnnotations([plan]).annotations) expectOneSafeLine(`${a.title} ${a.message}`);
    expectOneSafeLine(failureCause([plan])!);
  });

  it("drops ANSI codes and Pulumi's colour markup, keeps ordinary names as they are", () => {
    const plan = planOf([pre('create', 'aws:s3:Bucket', 'site-bucket'), hostileDiag('\u001b[31mcreating\u001b[0m <{%fg 1%}>bucket.v2<{%reset%}>')]);
    expect(plan.diagnostics[0]!.message).toBe('\u001b[31mcreating\u001b[0m bucket.v2');
    expect(engineAnnotations([plan]).annotations[0]!.message).toBe('creating bucket.v2');
    const text = renderPlan(plan, 60_000);
    expect(text).toContain('**aws:s3:Bucket** site-bucket\n');
    expect(text).toContain(': creating bucket.v2\n');
  });

  it('escapes into entities and backslashes that render as the same characters', () => {
    const plan = planOf([pre('create', 'aws:s3:Bucket', 'a|b <i> `c` @d #1 [e](f) *g*')]);
    expect(renderPlan(plan, 60_000)).toContain('a&#124;b &lt;i&gt; &#96;c&#96; @&#8203;d #&#8203;1 \\[e\\](f) \\*g\\*');
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
      expect(text).not.toMatch(/\]\(|javascript|evil/);
      expectInert(text);
    });

    it('percent-encodes what would end the link', () => {
      expect(footer('https://app.pulumi.com/a)[x](https://evil.example)<b>')).toContain('](https://app.pulumi.com/a%29%5Bx%5D%28https://evil.example%29%3Cb%3E)._');
    });
  });
});

describe('renderPlan', () => {
  const events = [
    pre('create', 'aws:s3:Bucket', 'logs'),
    pre('update', 'aws:iam:Role', 'role', { diffs: ['tags'] }),
    pre('create-replacement', 'aws:s3:Bucket', 'site', { keys: ['bucket'], diffs: ['bucket', 'acl'] }),
    pre('replace', 'aws:s3:Bucket', 'site', { keys: ['bucket'] }),
    pre('delete-replaced', 'aws:s3:Bucket', 'site'),
    pre('delete', 'aws:sqs:Queue', 'old'),
    summary({ create: 1, update: 1, replace: 1, 'create-replacement': 1, 'delete-replaced': 1, delete: 1, same: 7 }),
  ];

  it('groups replacements and deletions first, in Pulumi words, future tense for a preview', () => {
    const text = renderPlan(planOf(events), 60_000, CONSOLE);
    const order = ['To replace', 'To delete', 'To create', 'To update'].map((w) => text.indexOf(w));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain('\\+- 1 to replace, - 1 to delete, + 1 to create, \\~ 1 to update, 7 unchanged');
    expect(text).toContain('bucket (forces replacement), acl');
    expect(text).toContain('steps: create-replacement, delete-replaced');
    expect(text).toContain('7 unchanged resources are not listed');
    expect(text).not.toContain('not shown');
  });

  it('uses the past tense for an update, with counts from the summaryEvent', () => {
    const text = renderPlan(planOf(events.slice(0, -1).concat(summary({ create: 5, same: 2 }, false)), 'update'), 60_000);
    expect(text).toContain('\\+ 5 created');
    expect(text).toContain('**\\+ Created** (1)');
  });

  it('escapes hostile names, types, keys and messages', () => {
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
    expectInert(text);
    // The policy table keeps five cells per row: a `|` in a value is an entity, not a cell break.
    const row = text.split('\n').find((l) => l.startsWith('| ') && l.includes('mandatory'))!;
    expect(row.split('|')).toHaveLength(7);
    expect(row).toContain('a&#124;b');
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
    expect(Number(comment.match(cut)?.[1])).toBeGreaterThan(9_000);
    expect(Number(summaryText.match(cut)?.[1])).toBe(10_000 - MAX_RESOURCES); // MAX_RESOURCES kept, the rest only counted
    expect(comment).toContain('\\+ 6666 to create, \\~ 3334 to update, 12 unchanged');
  });

  it('renders nothing when even the heading does not fit', () => {
    expect(renderPlans([planOf(events)], { budget: 100 })).toBe('');
  });

  it('property: any event stream renders within budget and inert', () => {
    const text = fc.oneof(fc.string(), fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary' }));
    const op = fc.constantFrom('create', 'update', 'delete', 'replace', 'create-replacement', 'delete-replaced', 'same', 'read', 'import', 'refresh', 'discard');
    const event = fc.oneof(
      fc
        .record({ op, type: text, name: text, diffs: fc.array(text, { maxLength: 20 }) })
        .map((r) => pre(r.op, `a:b:${r.type}`, r.name, { diffs: r.diffs, keys: r.diffs.slice(0, 1) })),
      fc
        .record({ severity: fc.constantFrom('error', 'warning', 'info'), message: text })
        .map((d) => ({ type: 'diagnosticEvent', timestamp: 1, diagnosticEvent: { ...d, color: 'raw' } })),
      fc.record({ policyName: text, policyPackName: text, enforcementLevel: text, message: text }).map((p) => ({ type: 'policyEvent', timestamp: 1, policyEvent: p })),
      fc.dictionary(fc.oneof(fc.constantFrom('create', 'update', 'same', 'delete', 'replace'), text), fc.nat(100_000)).map((c) => summary(c)),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 200 }), fc.integer({ min: 0, max: 20_000 }), (events, budget) => {
        const plan = planOf(events);
        const out = renderPlans([plan], { budget, consoleUrl: () => CONSOLE });
        expect(out.length).toBeLessThanOrEqual(budget);
        expectInert(out);
        for (const a of engineAnnotations([plan]).annotations) expectOneSafeLine(`${a.title} ${a.message}`);
      }),
      { numRuns: 300 },
    );
  });
});

describe('describeCounts', () => {
  it('folds replace steps into the replace and says no changes for an unchanged stack', () => {
    expect(describeCounts({ replace: 2, 'create-replacement': 2, 'delete-replaced': 2 }, true)).toBe('\\+- 2 to replace');
    expect(describeCounts({ same: 0 }, false)).toBe('no changes');
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
