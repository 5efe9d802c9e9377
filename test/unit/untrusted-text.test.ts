import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { codeSpan, cut, escapeMarkdown, safeUrl, sanitizeLine, stripControls } from '../../src/runner-io/untrusted-text.js';

const ZW = '\u200b';
/** Any line break a browser, the runner (.NET TrimStart, \r splitting) or Markdown honours. */
const LINE_BREAK = /[\n\r\u000b\u000c\u0085\u2028\u2029]/;
/** Strings rich in what attacks these functions: command syntaxes, breaks, ANSI, Markdown. */
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom('::', '##[', '#', '[', ':', '\r', '\n', '\u2028', '\u2029', '\u0085', '\u000b', '\u001b[31m', '\u001b]8;;x\u0007', '\u200b', '\u202e'),
    fc.constantFrom('@', '<', '>', '|', '`', '*', '_', '~', '&', '\\', '!', '(', ')', '-', '1.', 'www.', 'GH-', '://', ' ', 'a', 'Z', '9', 'é', '😀'),
    fc.string({ maxLength: 2, unit: 'binary' }),
  ),
  maxLength: 60,
});

describe('sanitizeLine', () => {
  it('flattens line breaks and drops ANSI codes and control characters; keeps format characters, which are part of the value', () => {
    expect(sanitizeLine('a\r\nb\rc\nd\u2028e\u2029f\u0085g')).toBe('a b c d e f g');
    expect(sanitizeLine('\u001b[31mred\u001b[0m\u0007 \u202eevil')).toBe('red \u202eevil');
  });

  it('neutralises both command syntaxes with an invisible character, keeping the text readable', () => {
    expect(sanitizeLine('https://x\n::add-mask::tok')).toBe(`https://x :${ZW}:add-mask:${ZW}:tok`);
    expect(sanitizeLine('ok ##[stop-commands]x')).toBe(`ok ##${ZW}[stop-commands]x`);
    expect(sanitizeLine('urn:pulumi:dev::app::aws:s3/bucket:Bucket::b')).toBe(`urn:pulumi:dev:${ZW}:app:${ZW}:aws:s3/bucket:Bucket:${ZW}:b`);
    // Safe next to the caller's text too: a leading ':'/'[' and a trailing ':'/'#' are padded.
    expect(`:${sanitizeLine(':x')}`).not.toContain('::');
    expect(`##${sanitizeLine('[x')}`).not.toContain('##[');
    expect(`${sanitizeLine('x#')}[`).not.toContain('#[');
  });

  it('cuts to a readable length with …, never inside a surrogate pair', () => {
    expect(sanitizeLine('x'.repeat(5_000), 100)).toBe(`${'x'.repeat(99)}…`);
    expect(cut('ab😀c', 4)).toBe('ab…');
    expect(sanitizeLine(undefined)).toBe('');
    expect(sanitizeLine(42)).toBe('42');
  });

  it('property: no line break, no `::`, no `##[`, bounded length', () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 1, max: 80 }), (text, max) => {
        const out = sanitizeLine(text, max);
        expect(out).not.toMatch(LINE_BREAK);
        expect(out).not.toContain('::');
        expect(out).not.toContain('##[');
        expect(out).not.toContain('\u001b');
        expect(out.replaceAll(ZW, '').length).toBeLessThanOrEqual(max);
        // concatenated with command-ish neighbours, still inert (an empty value adds nothing)
        if (out) expect(`:${out}:`).not.toContain('::');
        if (out) expect(`##${out}#[`).not.toMatch(/##\[/);
      }),
      { numRuns: 3_000 },
    );
  });
});

describe('safeUrl', () => {
  it('accepts http(s) URLs on the expected host or origin', () => {
    expect(safeUrl('https://app.pulumi.com/acme/app/dev/deployments/4', 'app.pulumi.com')).toBe('https://app.pulumi.com/acme/app/dev/deployments/4');
    expect(safeUrl('http://127.0.0.1:8080/a?b=1#c', 'http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/a?b=1#c');
    expect(safeUrl('http://127.0.0.1:8080/a', '127.0.0.1:8080')).toBe('http://127.0.0.1:8080/a');
    expect(safeUrl('https://APP.pulumi.com/x', 'app.pulumi.com')).toBe('https://app.pulumi.com/x');
  });

  it('refuses other schemes, hosts, credentials, line breaks and junk', () => {
    for (const bad of [
      'javascript:alert(1)',
      'data:text/html,x',
      'ftp://app.pulumi.com/x',
      'https://evil.example/app.pulumi.com',
      'https://app.pulumi.com.evil.example/',
      'https://user:pw@app.pulumi.com/',
      'https://app.pulumi.com/x\n::add-mask::y',
      'https://app.pulumi.com/\u2028x',
      'not a url',
      '',
      42,
      undefined,
      `https://app.pulumi.com/${'a'.repeat(3_000)}`,
    ]) {
      expect(safeUrl(bad, 'app.pulumi.com'), String(bad)).toBeUndefined();
    }
    expect(safeUrl('https://app.pulumi.com:444/x', 'https://app.pulumi.com')).toBeUndefined();
  });

  it('percent-encodes what could end a Markdown link or form a command', () => {
    expect(safeUrl('https://app.pulumi.com/a)(b]##[x|`<y>', 'app.pulumi.com')).toBe('https://app.pulumi.com/a%29%28b%5D##%5Bx%7C%60%3Cy%3E');
  });
});

describe('escapeMarkdown', () => {
  it('neutralises mentions, HTML, links, tables, code and emphasis', () => {
    expect(escapeMarkdown('@octocat <img src=x onerror=alert(1)> [a](https://evil) ![i](x) | `code` **b** _i_ ~~s~~ &lt; #12 $x$')).toBe(
      '@&#8203;octocat &lt;img src=x onerror=alert(1)&gt; \\[a\\](https:&#8203;//evil) !\\[i\\](x) &#124; &#96;code&#96; \\*\\*b\\*\\* \\_i\\_ \\~\\~s\\~\\~ &amp;lt; #&#8203;12 \\$x\\$',
    );
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('# heading')).toBe('\\# heading');
    expect(escapeMarkdown('1. x')).toBe('\\1. x');
    expect(escapeMarkdown('see www.evil.example')).toBe('see www&#8203;.evil.example');
    expect(escapeMarkdown('fixes GH-12, gh-3 and xGH-4; GH-x stays')).toBe('fixes GH&#8203;-12, gh&#8203;-3 and xGH&#8203;-4; GH-x stays');
    expect(escapeMarkdown('a\nb\r\n> c')).toBe('a b &gt; c');
  });

  it('property: no raw <, no @mention, no |, no backtick, no line break', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const out = escapeMarkdown(text);
        expect(out).not.toMatch(/[<>|`]/);
        expect(out).not.toMatch(/@[\p{L}\p{N}_-]/u);
        expect(out).not.toMatch(/GH-\d/i); // no issue reference
        expect(out).not.toMatch(LINE_BREAK);
        expect(out).not.toMatch(/(?<!\\)[[\]]/); // no link or image syntax
        expect(out).not.toMatch(/:\/\//); // no autolink
        // every & starts an entity of ours
        expect(out.replace(/&(amp|lt|gt|#124|#96|#8203);/g, '')).not.toContain('&');
      }),
      { numRuns: 3_000 },
    );
  });
});

describe('codeSpan', () => {
  it('uses backticks for plain names and <code> with escaping otherwise', () => {
    expect(codeSpan('acme/app/dev')).toBe('`acme/app/dev`');
    expect(codeSpan('a`b|c @x')).toBe('<code>a&#96;b&#124;c @&#8203;x</code>');
    expect(codeSpan('line\nbreak')).toBe('<code>line break</code>');
  });

  it('property: never a backtick or | inside, nor a raw < in <code>', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const out = codeSpan(text);
        if (out.startsWith('`'))
          expect(out.slice(1, -1)).not.toMatch(/[`|\s]/); // `<` and `@` are inert in a code span
        else expect(out.slice('<code>'.length, -'</code>'.length)).not.toMatch(/[`|<\n\r]/);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('stripControls', () => {
  it('keeps tabs, newlines and format characters (soft hyphen, ZWJ, RTL mark), drops ANSI codes and controls', () => {
    expect(stripControls('a\tb\nc\u001b[1;31md\u001b(Be\u0000f\u00adg\u200d\u200f')).toBe('a\tb\ncdef\u00adg\u200d\u200f');
  });
});
