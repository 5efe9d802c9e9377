import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { SecretRegistry, base64Forms, encodings } from '../../src/runner-io/secrets.js';

function registry() {
  const masked: string[] = [];
  const mask = vi.fn((value: string) => void masked.push(value));
  return { reg: new SecretRegistry(mask), masked, mask };
}

describe('SecretRegistry.add', () => {
  it('masks a one-line secret once', () => {
    const { reg, masked } = registry();
    reg.add('s3cr3t-value');
    reg.add('s3cr3t-value');
    expect(masked).toEqual(['s3cr3t-value']);
  });

  it('masks a multi-line secret whole and each of its lines, trimmed', () => {
    const { reg, masked } = registry();
    const key = '-----BEGIN KEY-----\n  MIIEvQIBADANBg  \r\nkqhkiG9w0BAQEF\n-----END KEY-----';
    reg.add(key);
    expect(masked).toEqual([key, '-----BEGIN KEY-----', 'MIIEvQIBADANBg', 'kqhkiG9w0BAQEF', '-----END KEY-----']);
  });

  it('skips empty lines, one-character lines, and lines already masked', () => {
    const { reg, masked } = registry();
    reg.add('abc');
    reg.add('abc\n\nx\n  \nlonger line');
    expect(masked).toEqual(['abc', 'abc\n\nx\n  \nlonger line', 'longer line']);
  });

  it('ignores undefined, empty and one-character values', () => {
    const { reg, mask } = registry();
    reg.add(undefined);
    reg.add('');
    reg.add('x');
    expect(mask).not.toHaveBeenCalled();
    expect(reg.redact('x y')).toBe('x y');
  });
});

describe('SecretRegistry.redact', () => {
  it('replaces every occurrence', () => {
    const { reg } = registry();
    reg.add('tok-123');
    expect(reg.redact('a tok-123 b tok-123tok-123 c')).toBe('a *** b *** c'); // touching matches merge, as in the runner
  });

  it('replaces every known secret', () => {
    const { reg } = registry();
    reg.add('alpha-secret');
    reg.add('beta-secret');
    expect(reg.redact('alpha-secret, beta-secret!')).toBe('***, ***!');
  });

  it('replaces the longest first, so a secret containing another leaves no pieces', () => {
    const { reg } = registry();
    reg.add('abc'); // added first on purpose
    reg.add('abcdef');
    expect(reg.redact('xxabcdefyy abc')).toBe('xx***yy ***');
  });

  it('redacts a multi-line secret as one, and its lines when they appear alone', () => {
    const { reg } = registry();
    reg.add('line-one\nline-two');
    expect(reg.redact('key: line-one\nline-two.')).toBe('key: ***.');
    expect(reg.redact('only line-two here')).toBe('only *** here');
  });

  it('leaves text without secrets unchanged', () => {
    const { reg } = registry();
    reg.add('secret');
    expect(reg.redact('nothing to see')).toBe('nothing to see');
    expect(new SecretRegistry(() => {}).redact('secret')).toBe('secret');
  });

  it('treats secrets as plain text, not patterns', () => {
    const { reg } = registry();
    reg.add('a.b*c$1');
    expect(reg.redact('a.b*c$1 axbbbc$1')).toBe('*** axbbbc$1');
  });
});

describe('SecretRegistry.add: lines as the runner splits them', () => {
  it('splits on a bare \\r too', () => {
    const { reg, masked } = registry();
    reg.add('first-part\rsecond-part');
    expect(masked).toEqual(['first-part\rsecond-part', 'first-part', 'second-part']);
  });
});

const b64 = (text: string, shift = 0) => Buffer.from(text, 'utf8').subarray(shift).toString('base64');

describe('encodings the runner masks (actions/runner ValueEncoders, ADR 0297)', () => {
  it('base64 at the three byte offsets, trimmed of padding and the character that depends on what follows', () => {
    // 'password1' is 9 bytes: no padding at offset 0; offsets 1 and 2 leave 8 and 7 bytes.
    expect(base64Forms('password1')).toEqual([
      b64('password1'),
      b64('password1'),
      b64('password1', 1).replace(/=+$/, '').slice(0, -1),
      b64('password1', 2).replace(/=+$/, '').slice(0, -1),
    ]);
    // The trimmed forms are what stays the same whatever surrounds the secret.
    for (const prefix of ['', 'u', 'us', 'user:']) {
      for (const suffix of ['', '\n', 'xy', '@host']) {
        const encoded = b64(`${prefix}password1${suffix}`);
        expect(
          base64Forms('password1')
            .slice(1)
            .some((form) => encoded.includes(form)),
          `${prefix}|${suffix}`,
        ).toBe(true);
      }
    }
  });

  it('covers URL, JSON, XML, command-line and expression escapes', () => {
    const forms = encodings('p@ss "w\'rd"&<x>\u2028/');
    expect(forms).toEqual(
      expect.arrayContaining([
        'p%40ss%20%22w%27rd%22%26%3Cx%3E%E2%80%A8%2F', // Uri.EscapeDataString
        "p%40ss%20%22w'rd%22%26%3Cx%3E%E2%80%A8%2F", // encodeURIComponent
        'p@ss \\"w\'rd\\"&<x>\\u2028/', // Newtonsoft JSON
        'p@ss &quot;w&apos;rd&quot;&amp;&lt;x&gt;\u2028/',
        'p@ss "w\'\'rd"&<x>\u2028/',
      ]),
    );
  });

  it('registers no base64 forms of values under 6 characters, which would match ordinary text', () => {
    expect(encodings('mm')).toEqual(['mm']);
    expect(encodings('and')).toEqual(['and']);
    expect(encodings('abcdef').length).toBeGreaterThan(1);
  });
});

describe('redactForPost: what nothing masks after us', () => {
  it('finds a secret split by ANSI colour codes and invisible characters', () => {
    const { reg } = registry();
    reg.add('hunter2-secret');
    expect(reg.redactForPost('pw=\u001b[31mhunter2\u001b[0m-se\u200bcret!')).toBe('pw=***!');
    expect(reg.redactForPost('pw=\u001b]8;;http://x/hunter2-secret\u0007link\u001b]8;;\u0007')).toBe('pw=link');
  });

  it('merges overlapping secrets into one *** (no piece of either is left)', () => {
    const { reg } = registry();
    reg.add('alpha-bravo');
    reg.add('bravo-charlie');
    expect(reg.redactForPost('x alpha-bravo-charlie y')).toBe('x *** y');
    expect(reg.redact('x alpha-bravo-charlie y')).toBe('x *** y');
  });

  it('redacts the base64, URL and JSON forms', () => {
    const { reg } = registry();
    reg.add('s3cr3t/"value"');
    for (const text of [b64('user:s3cr3t/"value"'), b64('s3cr3t/"value"\n'), encodeURIComponent('s3cr3t/"value"'), JSON.stringify({ k: 's3cr3t/"value"' })]) {
      expect(reg.redactForPost(text)).toContain('***');
      for (const form of encodings('s3cr3t/"value"')) expect(reg.redactForPost(text)).not.toContain(form);
    }
  });
});

describe('redactLogLine: one line of deployment text for the job log', () => {
  it('keeps colours around and inside a split secret', () => {
    const { reg } = registry();
    reg.add('hunter2-secret');
    expect(reg.redactLogLine('\u001b[32mpw\u001b[0m hunter2\u001b[1m-secret\u001b[0m ok')).toBe('\u001b[32mpw\u001b[0m ***\u001b[1m\u001b[0m ok');
    expect(reg.redactLogLine('\u001b]8;;http://x/?t=hunter2-secret\u0007here\u001b]8;;\u0007')).toBe('\u001b]8;;http://x/?t=***\u0007here\u001b]8;;\u0007');
  });

  it('a 2-3 character secret only changes deployment text, as the runner would show it', () => {
    const { reg } = registry();
    reg.add('mm');
    reg.add('and');
    expect(reg.redactLogLine('commands and more')).toBe('co***s *** more'); // 'mm' and 'and' touch: one mark
  });
});

// Secrets without '*' (the redaction mark) and without surrounding spaces (lines are trimmed).
const secretArb = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.:/+="\'\\%&<>@ é€😀'.match(/./gu)!), minLength: 6, maxLength: 24 }).filter((s) => s.trim() === s);
const fillerArb = fc.string({ unit: fc.constantFrom(...'ab .,:=\n'.split('')), maxLength: 12 });
const ansiArb = fc.constantFrom('\u001b[31m', '\u001b[0m', '\u001b[1;32m', '\u001b[K', '\u200b', '\u0007', '\r');
type Encode = (s: string) => string;
const encoders: Record<string, Encode> = {
  plain: (s) => s,
  base64: (s) => b64(s),
  base64Prefixed1: (s) => b64(`u${s}`),
  base64Prefixed2: (s) => b64(`us${s}`),
  base64Suffixed: (s) => b64(`${s}\n`),
  base64Both: (s) => b64(`user:${s}@host`),
  url: (s) => encodeURIComponent(s),
  uriData: (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  json: (s) => JSON.stringify(s).slice(1, -1),
};

/**
 * Every form of the secret that must not survive, computed here independently of the code under
 * test: the plain value, URL and JSON escapes, and for base64 the characters that depend only on
 * the secret's bytes at each of the three alignments (4 per whole 3-byte group, plus 1 or 2).
 */
function mustNotContain(secret: string): string[] {
  const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
  const bytes = Buffer.from(secret, 'utf8');
  for (let shift = 0; shift < 3; shift++) {
    const rest = bytes.subarray(shift);
    const stable = Math.floor(rest.length / 3) * 4 + [0, 1, 2][rest.length % 3]!;
    forms.push(rest.toString('base64').slice(0, stable));
  }
  return forms.filter((form) => form.length >= 4);
}

describe('redactForPost: properties (fast-check)', () => {
  it('a secret inserted in any encoding leaves no secret and no encoding of it', () => {
    fc.assert(
      fc.property(secretArb, fc.constantFrom(...Object.keys(encoders)), fillerArb, fillerArb, (secret, how, before, after) => {
        const { reg } = registry();
        reg.add(secret);
        const out = reg.redactForPost(before + encoders[how]!(secret) + after);
        for (const form of mustNotContain(secret)) expect(out, `${how}: ${JSON.stringify(form)}`).not.toContain(form);
      }),
      { numRuns: 2_000 },
    );
  });

  it('a secret split by ANSI codes, control or zero-width characters is found', () => {
    fc.assert(
      fc.property(secretArb, fc.array(fc.tuple(fc.nat(), ansiArb), { minLength: 1, maxLength: 4 }), fillerArb, (secret, cuts, filler) => {
        const { reg } = registry();
        reg.add(secret);
        const chars = [...secret];
        for (const [at, code] of cuts) chars.splice(1 + (at % (chars.length - 1)), 0, code);
        const out = reg.redactForPost(`${filler}${chars.join('')}${filler}`);
        expect(out).not.toContain(secret);
        expect(out).toContain('***');
        // Controls go everywhere; a format character goes only with the secret it split.
        expect(out).not.toMatch(/[\u001b\u0007\r]/);
      }),
      { numRuns: 2_000 },
    );
  });

  it('two overlapping secrets become one ***, with nothing of either left', () => {
    fc.assert(
      fc.property(secretArb, secretArb, fc.nat(), fillerArb, (a, tail, overlapSeed, filler) => {
        const overlap = 1 + (overlapSeed % (a.length - 1));
        const b = a.slice(a.length - overlap) + tail;
        const { reg } = registry();
        reg.add(a);
        reg.add(b);
        const text = ` ${filler}|${a}${tail}|${filler} `;
        expect(reg.redactForPost(text)).toBe(reg.redactForPost(` ${filler}|`) + '***' + reg.redactForPost(`|${filler} `));
      }),
      { numRuns: 1_000 },
    );
  });
});
