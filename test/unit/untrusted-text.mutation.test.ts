import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SecretRegistry } from '../../src/runner-io/secrets.js';
import { IGNORABLE, codeSpan, cut, escapeMarkdown, hasIgnorable, safeUrl, sanitizeLine, stripControls, stripIgnorable } from '../../src/runner-io/untrusted-text.js';

// Cases the mutation run (`npm run mutation`) showed untested: the refusing side of safeUrl,
// each kind of escape sequence, and the edges of cutting.

describe('safeUrl: refuses', () => {
  it('a URL with only a user name, or only a password', () => {
    for (const url of ['https://user@app.pulumi.com/x', 'https://:pw@app.pulumi.com/x', 'https://user:@app.pulumi.com/x'])
      expect(safeUrl(url, 'app.pulumi.com'), url).toBeUndefined();
  });

  it('a host that only starts or ends like the expected one, with or without a port in the expectation', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9]{1,8}$/), (label) => {
        for (const host of [`app.pulumi.com.${label}`, `${label}app.pulumi.com`, `${label}.app.pulumi.com`]) {
          expect(safeUrl(`https://${host}/x`, 'app.pulumi.com')).toBeUndefined();
          expect(safeUrl(`https://${host}:8443/x`, 'app.pulumi.com:8443')).toBeUndefined();
          expect(safeUrl(`https://${host}/x`, 'https://app.pulumi.com')).toBeUndefined();
        }
      }),
    );
    expect(safeUrl('https://app.pulumi.com:8443/x', 'app.pulumi.com:9443')).toBeUndefined();
    expect(safeUrl('https://app.pulumi.com:8443/x', 'APP.pulumi.com:8443')).toBe('https://app.pulumi.com:8443/x');
    expect(safeUrl('https://app.pulumi.com:8443/x', 'app.pulumi.com')).toBe('https://app.pulumi.com:8443/x');
    expect(safeUrl('http://app.pulumi.com/x', 'https://app.pulumi.com')).toBeUndefined();
  });

  it('a URL longer than the limit, and not a string', () => {
    const url = `https://app.pulumi.com/${'a'.repeat(100)}`;
    expect(safeUrl(url, 'app.pulumi.com', url.length)).toBe(url);
    expect(safeUrl(url, 'app.pulumi.com', url.length - 1)).toBeUndefined();
    expect(safeUrl(`https://app.pulumi.com/${'a'.repeat(2_000)}`, 'app.pulumi.com')).toBeUndefined();
    expect(safeUrl(`https://app.pulumi.com/${'a'.repeat(1_977)}`, 'app.pulumi.com')).toHaveLength(2_000);
    expect(safeUrl(new URL('https://app.pulumi.com/x'), 'app.pulumi.com')).toBeUndefined();
  });

  it('any whitespace or control character anywhere', () => {
    for (const c of [' ', '\t', '\u0000', '\u001f', '\u007f', '\u0085', '\u009f', '\u00a0'])
      expect(safeUrl(`https://app.pulumi.com/a${c}b`, 'app.pulumi.com'), JSON.stringify(c)).toBeUndefined();
  });

  it('an expectation that is not a URL', () => {
    expect(safeUrl('https://app.pulumi.com/x', 'https://')).toBeUndefined();
  });

  it('encodes each of [ ] ( ) < > " \' | ` \\ in the path, query and fragment, in upper-case hex', () => {
    const out = safeUrl('https://app.pulumi.com/[]()<>"\'|`\\?q=[x]#(y)', 'app.pulumi.com');
    expect(out).toBe('https://app.pulumi.com/%5B%5D%28%29%3C%3E%22%27%7C%60/?q=%5Bx%5D#%28y%29');
  });
});

describe('IGNORABLE: every kind of invisible sequence', () => {
  it.each([
    ['CSI colour', '\u001b[1;31m'],
    ['CSI with intermediate', '\u001b[1 q'],
    ['CSI private', '\u001b[?25l'],
    ['OSC ended by BEL', '\u001b]0;title\u0007'],
    ['OSC ended by ST', '\u001b]8;;http://x\u001b\\'],
    ['two-character ESC', '\u001bc'],
    ['ESC with intermediate', '\u001b(B'],
    ['C0', '\u0001'],
    ['DEL', '\u007f'],
    ['C1', '\u0085'],
  ])('%s is removed whole', (_, seq) => {
    expect(stripControls(`a${seq}b`)).toBe('ab');
    expect(hasIgnorable(`a${seq}b`)).toBe(true);
    expect(`a${seq}b`.replace(IGNORABLE, '')).toBe('ab');
  });

  it.each([
    ['soft hyphen', '\u00ad'],
    ['zero-width joiner', '\u200d'],
    ['bidi override', '\u202e'],
    ['word joiner', '\u2060'],
    ['bidi isolate', '\u2066'],
    ['BOM', '\ufeff'],
  ])('%s is kept in the text, and looked past by secret matching', (_, seq) => {
    expect(stripControls(`a${seq}b`)).toBe(`a${seq}b`);
    expect(hasIgnorable(`a${seq}b`)).toBe(true);
    expect(stripIgnorable(`a${seq}b`)).toBe('ab');
  });

  it('a bare ESC at the end, and ESC with the character it takes', () => {
    expect(stripControls('a\u001b')).toBe('a');
    expect(stripControls('a\u001bbc')).toBe('ac');
  });

  it.each([
    ['tab', '\t'],
    ['newline', '\n'],
    ['no-break space', '\u00a0'],
    ['accented letter', 'é'],
    ['RTL letter', 'א'],
    ['U+2065 (unassigned, not a format character)', '\u2065'],
  ])('%s is kept', (_, c) => {
    expect(stripControls(`a${c}b`)).toBe(`a${c}b`);
    expect(hasIgnorable(`a${c}b`)).toBe(false);
  });
});

describe('cut', () => {
  it('keeps text of exactly maxLen, cuts one more', () => {
    expect(cut('abcde', 5)).toBe('abcde');
    expect(cut('abcdef', 5)).toBe('abcd…');
    expect(cut('abc', 1)).toBe('…');
    expect(cut('abc', 0)).toBe('…');
  });

  it('never ends in half a surrogate pair, and never exceeds maxLen', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '😀', 'é'), maxLength: 20 }), fc.integer({ min: 1, max: 20 }), (text, max) => {
        const out = cut(text, max);
        expect(out.length).toBeLessThanOrEqual(Math.max(max, 1));
        expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
        if (text.length <= max) expect(out).toBe(text);
        else expect(out.length).toBeGreaterThanOrEqual(max - 1);
      }),
    );
  });
});

describe('sanitizeLine', () => {
  it('guards a leading : or [ and a trailing : or #, and nothing else', () => {
    expect(sanitizeLine(':x')).toBe('\u200b:x');
    expect(sanitizeLine('[x')).toBe('\u200b[x');
    expect(sanitizeLine('x:')).toBe('x:\u200b');
    expect(sanitizeLine('x#')).toBe('x#\u200b');
    expect(sanitizeLine('x:y#z[w')).toBe('x:y#z[w');
    expect(sanitizeLine('a\r\nb\u000bc\u000cd')).toBe('a b c d');
  });

  it('cuts at 300 by default', () => {
    expect(sanitizeLine('a'.repeat(300))).toBe('a'.repeat(300));
    expect(sanitizeLine('a'.repeat(301))).toBe(`${'a'.repeat(299)}…`);
    expect(sanitizeLine(undefined)).toBe('');
    expect(sanitizeLine(null)).toBe('');
  });
});

describe('escapeMarkdown and codeSpan', () => {
  it('cut at 1,000 by default; codeSpan at 300', () => {
    expect(escapeMarkdown('a'.repeat(1_000))).toBe('a'.repeat(1_000));
    expect(escapeMarkdown('a'.repeat(1_001))).toBe(`${'a'.repeat(999)}…`);
    expect(codeSpan('a'.repeat(300))).toBe(`\`${'a'.repeat(300)}\``);
    expect(codeSpan('a'.repeat(301))).toBe(`<code>${'a'.repeat(299)}…</code>`);
    expect(escapeMarkdown(undefined)).toBe('');
    expect(codeSpan(undefined)).toBe('<code></code>');
  });

  it('escapes each special in its own way', () => {
    expect(escapeMarkdown('a@b #c GH-1 www.x http://y $z')).toBe('a@&#8203;b #&#8203;c GH&#8203;-1 www&#8203;.x http:&#8203;//y \\$z');
    expect(escapeMarkdown('@ # GH-x wwwx')).toBe('@ # GH-x wwwx');
    expect(escapeMarkdown('# x')).toBe('\\# x');
    expect(escapeMarkdown('  1. item')).toBe('  \\1. item');
    expect(escapeMarkdown('2) item')).toBe('\\2) item');
    expect(escapeMarkdown('12. item')).toBe('\\12. item');
    expect(escapeMarkdown('= + -')).toBe('\\= + -');
  });

  it('codeSpan uses <code> for anything invisible or a line break', () => {
    for (const c of [' ', '\u0085', '\u00ad', '\u200b', '\u2028', '\u202e', '\u2060', '\ufeff', '\u0000', '`', '|'])
      expect(codeSpan(`a${c}b`), JSON.stringify(c)).toMatch(/^<code>/);
    expect(codeSpan('a.b-c_d/é')).toBe('`a.b-c_d/é`');
  });
});

describe('CSI_SEQUENCE: what a log line keeps inside a redacted secret', () => {
  it('keeps colour codes with intermediate bytes, drops other sequences', () => {
    const reg = new SecretRegistry(() => {});
    reg.add('hunter2-secret');
    expect(reg.redactLogLine('x hunter2\u001b[1 q-secret y')).toBe('x ***\u001b[1 q y');
    expect(reg.redactLogLine('x hunter2\u001b(B-secret y')).toBe('x *** y');
  });
});
