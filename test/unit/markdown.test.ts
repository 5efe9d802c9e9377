import { describe, expect, it } from 'vitest';
import { MAX_MARKDOWN_CHARS, renderReport, renderTail, stripAnsi, type ReportData } from '../../src/report/markdown.js';

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
  it('renders the heading, message, table, change counts and tail', () => {
    const md = renderReport({
      ...base,
      message: 'Deployment dep-42 succeeded (1 to create): https://app.pulumi.com/acme/app/dev/deployments/42',
      durationMs: 95_400,
      deploymentUrl: 'https://app.pulumi.com/acme/app/dev/deployments/42',
      deploymentVersion: 42,
      updateUrl: 'https://app.pulumi.com/acme/app/dev/updates/17',
      changes: { create: 1, update: 0, delete: 0, replace: 0, same: 3 },
      tail: ['--- Pulumi update', 'Resources: 1 created'],
    });
    expect(md).toBe(
      [
        '### ✅ Pulumi update of `acme/app/dev`: succeeded',
        '',
        'Deployment dep-42 succeeded (1 to create): https://app.pulumi.com/acme/app/dev/deployments/42',
        '',
        '| | |',
        '|---|---|',
        '| Stack | `acme/app/dev` |',
        '| Operation | update |',
        '| Status | succeeded |',
        '| Duration | 1m35s |',
        '| Deployment | [#42](https://app.pulumi.com/acme/app/dev/deployments/42) |',
        '| Update | [open](https://app.pulumi.com/acme/app/dev/updates/17) |',
        '| Changes | 1 to create |',
        '',
        '| create | update | delete | replace | same |',
        '|---:|---:|---:|---:|---:|',
        '| 1 | 0 | 0 | 0 | 3 |',
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

  it('renders a failure with the failed step, a preview link and no tail block when the tail is empty', () => {
    const md = renderReport({
      ...base,
      operation: 'preview',
      status: 'failed',
      ok: false,
      message: "Deployment dep-1 failed in step 'Pulumi | preview'",
      deploymentUrl: 'https://app.pulumi.com/acme/app/dev/deployments/1',
      updateUrl: 'https://app.pulumi.com/acme/app/dev/previews/abc',
      failedStep: 'Pulumi | preview',
    });
    expect(md).toBe(
      [
        '### ❌ Pulumi preview of `acme/app/dev`: failed',
        '',
        "Deployment dep-1 failed in step 'Pulumi \\| preview'",
        '',
        '| | |',
        '|---|---|',
        '| Stack | `acme/app/dev` |',
        '| Operation | preview |',
        '| Status | failed |',
        '| Deployment | [open](https://app.pulumi.com/acme/app/dev/deployments/1) |',
        '| Preview | [open](https://app.pulumi.com/acme/app/dev/previews/abc) |',
        '| Failed step | Pulumi \\| preview |',
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
    [false, 'succeeded', '❌'], // expect-no-changes failed it
    [false, 'running', '❌'],
    [true, 'something-new', '✅'],
  ])('ok=%s status=%s uses %s', (ok, status, icon) => {
    expect(renderReport({ ...base, ok, status }).split('\n')[0]).toBe(`### ${icon} Pulumi update of \`acme/app/dev\`: ${status}`);
  });

  it('keeps the message on one line and escapes table pipes', () => {
    const md = renderReport({ ...base, message: 'line one\nline two | three\r\nfour' });
    expect(md.split('\n')[2]).toBe('line one line two \\| three four');
  });

  it('encodes spaces and parentheses in links', () => {
    const md = renderReport({ ...base, deploymentUrl: 'https://example.com/a (b)/c d', deploymentVersion: 3 });
    expect(md).toContain('| Deployment | [#3](https://example.com/a%20%28b%29/c%20d) |');
  });

  it('shows a zero duration and hours', () => {
    expect(renderReport({ ...base, durationMs: 0 })).toContain('| Duration | 0s |');
    expect(renderReport({ ...base, durationMs: 3_723_000 })).toContain('| Duration | 1h2m3s |');
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
    expect(block.fence).toBe('`'.repeat(501));
    expect(block.lines.at(-1)).toBe('`'.repeat(500));
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
      ['\u001b[1;31merror\u001b[0m: failed', '\u001b[?25lhidden cursor\u001b[?25h', 'see \u001b]8;;https://e.example\u0007the docs\u001b]8;;\u0007 now', 'osc st \u001b]0;title\u001b\\done'],
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
    expect(last.length).toBeGreaterThan(59_000);
    expect(giant.startsWith(last.slice(0, -1))).toBe(true);
  });
});
