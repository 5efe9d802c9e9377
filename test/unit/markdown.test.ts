import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { commentMarker } from '../../src/report/comment-body.js';
import type { UpdatePlan } from '../../src/domain/outcome.js';
import { expectSound, INVISIBLE } from '../support/gfm.js';
import { emptyPlan } from '../support/outcomes.js';
import { MAX_FENCE, MAX_MARKDOWN_CHARS, consoleOrigin, renderReport, renderTail, stripAnsi, type ReportData } from '../../src/report/markdown.js';

const emptyPreview = (): UpdatePlan => emptyPlan({ kind: 'preview', preview: true });

const base: ReportData = {
  stack: 'acme/app/dev',
  operation: 'update',
  status: 'succeeded',
  ok: true,
  message: 'Deployment dep-42 succeeded: https://app.pulumi.com/acme/app/dev/deployments/42',
  tail: [],
};

/**
 * The lines inside the first fenced code block, read as CommonMark does: the block opens with a
 * run of N >= 3 backticks and closes at the first line of at least N backticks alone.
 */
function codeBlock(markdown: string): { fence: string; lines: string[] } {
  const all = markdown.split('\n');
  const open = all.findIndex((l) => /^`{3,}$/.test(l));
  expect(open).toBeGreaterThanOrEqual(0);
  const fence = all[open]!;
  const closing = new RegExp(`^ {0,3}\`{${fence.length},}[ \\t]*$`);
  const close = all.findIndex((l, i) => i > open && closing.test(l));
  expect(close).toBeGreaterThan(open);
  return { fence, lines: all.slice(open + 1, close) };
}

describe('renderReport', () => {
  it('renders the headline once (icon, operation, stack, verdict, counts), the facts line and the tail', () => {
    const md = renderReport({
      ...base,
      message: 'Deployment dep-42 succeeded (1 to create): https://app.pulumi.com/acme/app/dev/deployments/42',
      durationMs: 95_400,
      deploymentUrl: 'https://app.pulumi.com/acme/app/dev/deployments/42',
      deploymentVersion: 42,
      updateUrl: 'https://app.pulumi.com/acme/app/dev/updates/17',
      changes: { create: 1, update: 0, delete: 0, replace: 0, same: 3 },
      commit: 'a'.repeat(40),
      tail: ['--- Pulumi update', 'Resources: 1 created'],
    });
    expect(md).toBe(
      [
        '### ✅ Pulumi update of `acme/app/dev` succeeded: +1 created, 3 unchanged',
        '',
        'commit `aaaaaaa` · 1m35s · [update in Pulumi Cloud](https://app.pulumi.com/acme/app/dev/updates/17) · [deployment #42](https://app.pulumi.com/acme/app/dev/deployments/42)',
        '',
        '',
        '<details><summary>Last 2 log lines</summary>',
        '',
        '```',
        '--- Pulumi update',
        'Resources: 1 created',
        '```',
        '</details>',
        '',
      ].join('\n'),
    );
  });

  it('renders a failure with the failed step, its reason, a preview link and no tail block when the tail is empty', () => {
    const md = renderReport({
      ...base,
      operation: 'preview',
      status: 'failed',
      ok: false,
      message: "Deployment dep-1 failed in step 'Pulumi | preview': https://app.pulumi.com/acme/app/dev/deployments/1",
      deploymentUrl: 'https://app.pulumi.com/acme/app/dev/deployments/1',
      updateUrl: 'https://app.pulumi.com/acme/app/dev/previews/abc',
      failedStep: 'Pulumi | preview',
    });
    expect(md).toBe(
      [
        '### ❌ Pulumi preview of `acme/app/dev` failed',
        '',
        '[preview in Pulumi Cloud](https://app.pulumi.com/acme/app/dev/previews/abc) · [deployment](https://app.pulumi.com/acme/app/dev/deployments/1) · failed step: Pulumi &#124; preview',
        '',
        "Deployment dep-1 failed in step 'Pulumi &#124; preview'",
        '',
        '',
      ].join('\n'),
    );
    expect(md).not.toContain('<details>');
  });

  it.each([
    [true, 'succeeded', '✅'],
    [true, 'skipped', '⏭️'],
    [false, 'skipped', '⏭️'],
    [false, 'failed', '❌'],
    [false, 'running', '❌'],
    [true, 'something-new', '✅'],
    // Statuses are the service's words: ones named like Object.prototype members are plain words.
    [true, 'constructor', '✅'],
    [true, 'toString', '✅'],
  ])('ok=%s status=%s uses %s', (ok, status, icon) => {
    expect(renderReport({ ...base, ok, status }).split('\n')[0]).toBe(`### ${icon} Pulumi update of \`acme/app/dev\` ${status}`);
  });

  it('says when the step failed a succeeded deployment (expect-no-changes)', () => {
    expect(renderReport({ ...base, ok: false }).split('\n')[0]).toBe('### ❌ Pulumi update of `acme/app/dev` succeeded, but the step failed');
  });

  it('⚠️, never ✅, for a success with a mandatory policy violation or a contradiction', () => {
    const plan = { ...emptyPreview(), policies: [{ pack: 'p', policy: 'q', level: 'mandatory', severity: 'error' as const, message: 'm' }] };
    expect(renderReport({ ...base, plans: [{ plan }] }).split('\n')[0]).toMatch(/^### ⚠️ /);
    expect(renderReport({ ...base, ok: false, contradictions: ['x'] }).split('\n')[0]).toMatch(/^### ⚠️ /);
    const advisory = { ...plan, policies: [{ ...plan.policies[0]!, level: 'advisory', severity: 'warning' as const }] };
    expect(renderReport({ ...base, plans: [{ plan: advisory }] }).split('\n')[0]).toMatch(/^### ✅ /);
  });

  it('keeps the message on one line and escapes table pipes', () => {
    const md = renderReport({ ...base, ok: false, message: 'line one\nline two | three\r\nfour' });
    expect(md.split('\n')[2]).toBe('line one line two &#124; three four');
  });

  it('encodes parentheses in links', () => {
    const md = renderReport({ ...base, deploymentUrl: 'https://example.com/a(b)/c%20d', deploymentVersion: 3, consoleOrigin: 'https://example.com' });
    expect(md).toContain('[deployment #3](https://example.com/a%28b%29/c%20d)');
  });

  it('links only to the console origin, over http(s), without credentials', () => {
    for (const url of ['https://evil.example/acme/app/dev/deployments/1', 'javascript:alert(1)//app.pulumi.com', 'https://u:p@app.pulumi.com/x', 'https://app.pulumi.com/x y']) {
      const md = renderReport({ ...base, deploymentUrl: url, updateUrl: url, deploymentVersion: 1 });
      expect(md, url).not.toContain('deployment #1');
      expect(md, url).not.toContain('update in Pulumi Cloud');
      expect(md, url).not.toMatch(/\]\(/);
    }
    const selfHosted = renderReport({
      ...base,
      deploymentUrl: 'https://app.pulumi.acme.io/acme/app/dev/deployments/2',
      deploymentVersion: 2,
      consoleOrigin: consoleOrigin('https://api.pulumi.acme.io'),
    });
    expect(selfHosted).toContain('[deployment #2](https://app.pulumi.acme.io/acme/app/dev/deployments/2)');
    expect(consoleOrigin('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(consoleOrigin('https://api.pulumi.com/')).toBe('https://app.pulumi.com');
  });

  it('shows a zero duration and hours', () => {
    expect(renderReport({ ...base, durationMs: 0 }).split('\n')[2]).toBe('0s');
    expect(renderReport({ ...base, durationMs: 3_723_000 }).split('\n')[2]).toBe('1h2m3s');
  });

  it('stays under MAX_MARKDOWN_CHARS with a 200,000-line tail and says how many lines were cut', () => {
    const tail = Array.from({ length: 200_000 }, (_, i) => `line ${i}: creating resource urn:pulumi:dev::app::aws:s3/bucket:Bucket::b${i}`);
    const md = renderReport({ ...base, tail });
    expect(MAX_MARKDOWN_CHARS).toBe(60_000);
    expect(md.length).toBeLessThanOrEqual(MAX_MARKDOWN_CHARS);
    expect(md.length).toBeGreaterThan(MAX_MARKDOWN_CHARS - 1_000); // it uses the room it has
    const kept = Number(/<summary>Last (\d+) log lines<\/summary>/.exec(md)![1]);
    const cut = Number(/_(\d+) earlier lines not shown; the full log is in the deployment and the job log\._/.exec(md)![1]);
    expect(kept).toBeGreaterThan(100);
    expect(kept + cut).toBe(200_000);
    expect(codeBlock(md).lines).toEqual(tail.slice(200_000 - kept));
  });

  it('stays under the limit when a long run of backticks makes the fence long', () => {
    const tail = Array.from({ length: 200_000 }, (_, i) => `line ${i} with some text in it`);
    tail.push('`'.repeat(500));
    const md = renderReport({ ...base, tail });
    expect(md.length).toBeLessThanOrEqual(MAX_MARKDOWN_CHARS);
    const block = codeBlock(md);
    expect(block.fence).toBe('`'.repeat(MAX_FENCE)); // capped; the line cannot close it
    expect(block.lines.at(-1)).toBe(`\u200b${'`'.repeat(500)}`);
  });

  it('fits within a smaller maxChars too', () => {
    const tail = Array.from({ length: 5_000 }, (_, i) => `l${i}`);
    const md = renderReport({ ...base, tail }, 5_000);
    expect(md.length).toBeLessThanOrEqual(5_000);
    expect(md).toContain('earlier lines not shown');
  });

  it('leaves the tail out when there is no room for it', () => {
    const head = renderReport(base);
    expect(renderReport({ ...base, tail: ['a', 'b'] }, head.length + 199)).toBe(head);
    expect(renderReport({ ...base, tail: ['a', 'b'] }, head.length + 200)).toContain('<details>');
  });
});

describe('renderTail', () => {
  it('is empty for an empty tail', () => {
    expect(renderTail([], 10_000)).toBe('');
  });

  it('shows every line when they fit, with no cut note', () => {
    expect(renderTail(['a', 'b', 'c'], 10_000)).toBe('\n<details><summary>Last 3 log lines</summary>\n\n```\na\nb\nc\n```\n</details>\n');
  });

  it('strips ANSI colours, cursor codes and OSC 8 hyperlinks', () => {
    const md = renderTail(
      [
        '\u001b[1;31merror\u001b[0m: failed',
        '\u001b[?25lhidden cursor\u001b[?25h',
        'see \u001b]8;;https://e.example\u0007the docs\u001b]8;;\u0007 now',
        'osc st \u001b]0;title\u001b\\done',
      ],
      10_000,
    );
    expect(codeBlock(md).lines).toEqual(['error: failed', 'hidden cursor', 'see the docs now', 'osc st done']);
    expect(md).not.toContain('\u001b');
  });

  it('stripAnsi leaves plain text alone', () => {
    expect(stripAnsi('plain [31m text')).toBe('plain [31m text');
    expect(stripAnsi('\u001b[32m+\u001b[39m create')).toBe('+ create');
  });

  it('makes the fence longer than any run of backticks in the lines, so no line can close it', () => {
    const tail = ['```', 'inline `code` here', '````', '```` trailing', '  ```', 'x'];
    const md = renderTail(tail, 10_000);
    const block = codeBlock(md);
    expect(block.fence).toBe('`````');
    expect(block.lines).toEqual(tail);
  });

  it('uses three backticks when lines have fewer', () => {
    expect(codeBlock(renderTail(['a `b` c', '``d``'], 10_000)).fence).toBe('```');
  });

  it('considers the backticks of every line, even ones that end up cut', () => {
    const tail = ['`'.repeat(8), ...Array.from({ length: 1_000 }, (_, i) => `l${i}`)];
    const md = renderTail(tail, 2_000);
    expect(md.length).toBeLessThanOrEqual(2_000);
    expect(codeBlock(md).fence).toBe('`'.repeat(9));
  });

  it('keeps the newest lines in order and counts the others', () => {
    const tail = Array.from({ length: 1_000 }, (_, i) => `line ${String(i).padStart(4, '0')}`);
    const md = renderTail(tail, 1_000);
    expect(md.length).toBeLessThanOrEqual(1_000);
    const lines = codeBlock(md).lines;
    expect(lines.at(-1)).toBe('line 0999');
    expect(lines).toEqual(tail.slice(1_000 - lines.length));
    expect(md).toContain(`<summary>Last ${lines.length} log lines</summary>`);
    expect(md).toContain(`_${1_000 - lines.length} earlier lines not shown;`);
  });

  it('cuts a last line too long on its own instead of showing nothing', () => {
    const giant = 'x'.repeat(70_000);
    const md = renderTail(['short', giant], 60_000);
    expect(md.length).toBeLessThanOrEqual(60_000);
    const lines = codeBlock(md).lines;
    expect(lines.length).toBeGreaterThanOrEqual(1);
    const last = lines.at(-1)!;
    expect(last.endsWith('…')).toBe(true);
    expect(last.length).toBe(2_000); // a line is cut at 2,000 characters: more says nothing in a comment
    expect(giant.startsWith(last.slice(0, -1))).toBe(true);
  });
});

/** Service fields an attacker (or a broken proxy) controls, all at once. */
const hostileData: ReportData = {
  ...base,
  status: 'failed <img src=x onerror=alert(1)> @octocat | `x`',
  ok: false,
  message: `Deployment d failed in step '@admin <b>x</b> | [pwn](https://evil.example) \`\`\`': ${'@team '.repeat(20_000)}`,
  failedStep: '**@here** <script>alert(1)</script> | ``` ![img](https://evil.example/x.png)',
  deploymentUrl: 'https://evil.example/phish',
  updateUrl: 'javascript:alert(1)',
  changes: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`kind-${i} | <b>@x</b>`, i])) as ReportData['changes'],
};

describe('renderReport: hostile service text and logs', () => {
  it('escapes every service field: no ping, no HTML, no link, no table break', () => {
    const md = renderReport({ ...hostileData, tail: ['--- @admin <img src=x> | ```', 'ok'] });
    const outsideBlock = md.split('<details>')[0]!;
    expect(outsideBlock).not.toMatch(/@[A-Za-z]/);
    expect(outsideBlock).not.toMatch(/<(?!!--)/);
    expect(outsideBlock).not.toMatch(/(?<!\\)\]\(/); // only escaped brackets: no link or image
    expect(outsideBlock).not.toContain('`x`');
    for (const row of outsideBlock.split('\n').filter((l) => l.startsWith('| ') && !l.includes('---'))) {
      expect(row.split('|').length, row).toBeLessThanOrEqual(MAX_KINDS_CELLS);
    }
    // the step name inside the log block stays literal text there, and cannot close the block
    expect(codeBlock(md).lines).toEqual(['--- @admin <img src=x> | ```', 'ok']);
  });

  it.each([
    ['huge backtick runs', Array.from({ length: 200 }, (_, i) => (i % 2 ? '`'.repeat(60_000) : ` ${'`'.repeat(1_000)} \t`))],
    ['huge single lines', Array.from({ length: 200 }, () => 'x'.repeat(1_000_000))],
    ['200,000 lines', Array.from({ length: 200_000 }, (_, i) => `line ${i} \u001b[31mred\u001b[0m 😀`)],
    ['multi-byte lines', Array.from({ length: 50_000 }, () => '😀'.repeat(500))],
  ])('a tail of %s keeps the comment under 65,536 characters and the summary under 1 MiB', (_name, tail) => {
    const marker = commentMarker([base.stack]);
    for (const data of [
      { ...base, tail },
      { ...hostileData, tail },
    ]) {
      const summary = renderReport(data);
      const comment = `${marker}\n${renderReport(data, MAX_MARKDOWN_CHARS - marker.length - 1)}`;
      expect(comment.length).toBeLessThanOrEqual(MAX_MARKDOWN_CHARS);
      expect(comment.length).toBeLessThan(65_536);
      expect(Buffer.byteLength(summary, 'utf8')).toBeLessThan(1024 * 1024);
      const block = codeBlock(comment);
      expect(block.fence.length).toBeLessThanOrEqual(MAX_FENCE);
      expect(block.lines.length).toBe(Number(/<summary>Last (\d+) log lines</.exec(comment)![1])); // no line closed it early
      expect(comment.trimEnd().endsWith('</details>')).toBe(true);
    }
  });

  it('property: any tail stays inside its block, line for line, within the budget', () => {
    const line = fc.string({ unit: fc.constantFrom('`', '`', '`', '`'.repeat(12), ' ', '~', 'a', '<', '|', '\t', '\n', '\u001b[1m'), maxLength: 8 });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1_000, max: 3_000 }), (tail, budget) => {
        const md = renderTail(tail, budget);
        expect(md.length).toBeLessThanOrEqual(budget);
        const block = codeBlock(md); // read as CommonMark closes a fence
        expect(block.fence.length).toBeLessThanOrEqual(MAX_FENCE);
        const expected = tail.map((l) => stripAnsi(l).replace(/\n/g, ' '));
        expect(block.lines.map((l) => l.replace(/^\u200b/, ''))).toEqual(expected.slice(expected.length - block.lines.length));
        expect(md.endsWith(`\n${block.fence}\n</details>\n`)).toBe(true);
      }),
      { numRuns: 1_000 },
    );
  });
});
const MAX_KINDS_CELLS = 12 + 2;

describe('renderReport: contradictions and the commit', () => {
  it('shows each contradiction as a warning (it holds both counts), and names the commit by its short SHA', () => {
    const md = renderReport({
      ...base,
      changes: { create: 0, update: 0, delete: 0, replace: 0, same: 3 },
      engineChanges: { create: 1, update: 0, delete: 0, replace: 0, same: 3 },
      contradictions: ["the update's counts say no changes but the engine events say 1 to create"],
      commit: 'a'.repeat(40),
    });
    expect(md).toContain("> [!WARNING]\n> the update's counts say no changes but the engine events say 1 to create\n");
    expect(md).toContain('commit `aaaaaaa`');
  });
  it('names no commit that is not a SHA', () => {
    expect(renderReport({ ...base, commit: '$(id)' })).not.toContain('commit');
  });
});

describe('renderReport read as GitHub renders it (markdown-it)', () => {
  const origin = 'https://app.pulumi.com';
  const deploymentUrl = `${origin}/acme/app/dev/deployments/7`;
  const updateUrl = `${origin}/acme/app/dev/updates/7`;

  it('the facts line holds real links: they parse, point at the console, hold no invisible character', () => {
    const md = renderReport({
      ...base,
      message: `Deployment d succeeded: ${deploymentUrl}`,
      deploymentUrl,
      deploymentVersion: 7,
      updateUrl,
      commit: 'b'.repeat(40),
      durationMs: 5_000,
    });
    const s = expectSound(md, origin);
    expect(s.links).toEqual([
      { href: updateUrl, text: 'update in Pulumi Cloud' },
      { href: deploymentUrl, text: 'deployment #7' },
    ]);
    expect(s.tables).toBe(0); // no key/value table, no empty header row
    expect(s.headings).toHaveLength(1);
    expect(md).not.toMatch(INVISIBLE);
  });

  it('property: hostile names, values, messages and logs add no link, HTML, mention, image or fence break', () => {
    const text = fc.oneof(
      fc.string(),
      fc.constantFrom('@octocat', '<img src=x>', '```', '[x](https://evil.example)', '#12', 'https://evil.example', '</details>', '~~~'),
      fc.string({ unit: 'binary' }),
    );
    const resource = fc.record({ op: fc.constantFrom('create', 'update', 'delete', 'replace'), type: text, name: text, key: text, old: text, new: text, error: fc.option(text) });
    fc.assert(
      fc.property(fc.array(resource, { maxLength: 30 }), text, text, fc.array(text, { maxLength: 20 }), (resources, message, diag, tail) => {
        const plan: UpdatePlan = {
          ...emptyPreview(),
          resources: resources.map((r) => ({
            op: r.op,
            urn: 'u',
            type: r.type,
            name: r.name,
            keys: [r.key],
            more: 0,
            replaceKeys: [],
            steps: [],
            props: [{ key: r.key, kind: 'update', replace: false, old: r.old, new: r.new }],
            ...(r.error === null ? {} : { failed: true, error: r.error }),
          })),
          diagnostics: [{ severity: 'warning', message: diag, resource: diag }],
          policies: [{ pack: diag, policy: diag, level: 'mandatory', severity: 'error', message: diag, resource: diag }],
          outputChanges: [{ key: diag, kind: 'update', replace: false, old: diag, new: message }],
        };
        const md = renderReport({
          ...base,
          ok: false,
          status: 'failed',
          message,
          failedStep: message,
          deploymentUrl,
          deploymentVersion: 7,
          plans: [{ plan, url: updateUrl }],
          tail,
        });
        const s = expectSound(md, origin);
        expect(s.links.map((l) => l.href)).toEqual([deploymentUrl]);
        // The plan, the outputs, the tail: no text opened or closed a block of its own.
        expect(s.fences.map((f) => f.info)).toEqual([...(resources.length ? ['diff'] : []), 'diff', ...(tail.length ? [''] : [])]);
        if (resources.length) expect(s.fences[0]!.lines.filter((l) => /^\S/.test(l))).toHaveLength(resources.length);
        expect(s.headings).toHaveLength(1);
      }),
      // The first example fast-check found: a message starting with a tab was an indented code block.
      {
        numRuns: 300,
        examples: [
          [[], '\t!', '', []],
          [[], '\u0085\t!', '  \t@x', ['a']],
        ],
      },
    );
  });
});
