import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { VALUE_ENCODERS, base64Shift } from '../../emulators/runner/secret-masker.mjs';
import { SecretRegistry, base64Forms, encodings } from '../../src/runner-io/secrets.js';
import { stripControls, stripIgnorable } from '../../src/runner-io/untrusted-text.js';

// The forms of a secret, judged against the runner's own encoders (emulators/runner/secret-masker.mjs
// mirrors actions/runner's ValueEncoders), and redaction of log lines that keeps colours. Written
// from what the mutation run (`npm run mutation`) showed untested.

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const wellFormed = (s: string) => s.replace(new RegExp(LONE_SURROGATE, 'g'), '\ufffd');

/** Characters each encoder treats specially, plus plain ones, controls and a lone surrogate. */
const pieceArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'abcXYZ0129'.split('')) },
  { weight: 4, arbitrary: fc.constantFrom('&', '&+', '"', "'", '!', '(', ')', '*', '<', '>', '\\', '/', '%', ' ', '=', ':') },
  { weight: 1, arbitrary: fc.constantFrom('\u0085', '\u2028', '\u2029', '\u0000', '\u001b', '\u200b', '\t', 'é', '€', '😀', '\ud800') },
);
const valueArb = fc.oneof(
  fc.array(pieceArb, { minLength: 1, maxLength: 20 }).map((parts) => parts.join('')),
  // Quoted values around the runner's 8-character limit for its trimDoubleQuotes encoder.
  fc.array(pieceArb, { minLength: 3, maxLength: 9 }).map((parts) => `"${parts.join('')}"`),
);

/** The form the runner's ADR 0297 keeps of base64 at a byte shift: padding dropped, and the character that depends on what follows. */
function trimmedBase64(value: string, shift: number): string | undefined {
  const bytes = Buffer.from(value, 'utf8').subarray(shift);
  if (bytes.length < 3) return undefined;
  const stable = Math.floor(bytes.length / 3) * 4 + [0, 1, 2][bytes.length % 3]!;
  return bytes.toString('base64').slice(0, stable);
}

describe('encodings: the forms the runner masks, and no others', () => {
  it("every runner encoder's form of the value is redacted (PowerShell parts, quoted value, command line, upper-case %XX)", () => {
    fc.assert(
      fc.property(valueArb, (value) => {
        const forms = new Set(encodings(value));
        for (const [name, encode] of VALUE_ENCODERS) {
          if (name.startsWith('base64')) continue;
          // Newtonsoft leaves a lone surrogate as it is; JSON.stringify escapes it (both forms are not ours to reconcile).
          if (name === 'jsonString' && LONE_SURROGATE.test(value)) continue;
          const form = encode(value);
          if (form.length >= 2) expect(forms.has(form), `${name}: ${JSON.stringify(form)}`).toBe(true);
        }
        if (value.length >= 6) {
          expect(forms.has(base64Shift(value, 0))).toBe(true);
          for (const shift of [0, 1, 2]) {
            const trimmed = trimmedBase64(value, shift);
            if (trimmed) expect(forms.has(trimmed), `base64 at shift ${shift}`).toBe(true);
          }
        }
        // And what JavaScript's own encoders print of it.
        for (const form of [JSON.stringify(value).slice(1, -1), encodeURIComponent(wellFormed(value))]) if (form.length >= 2) expect(forms.has(form)).toBe(true);
      }),
      { numRuns: 1_000 },
    );
  });

  it('every form is one the runner or JavaScript would print, at least 2 characters long', () => {
    fc.assert(
      fc.property(valueArb, (value) => {
        const json = JSON.stringify(value).slice(1, -1);
        // JSON.stringify's form with Newtonsoft's three extra escapes (the runner's form, lone surrogates aside).
        const newtonsoft = json.replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
        const allowed = new Set<string>([value, stripControls(value), stripIgnorable(value), json, newtonsoft, encodeURIComponent(wellFormed(value))]);
        for (const [name, encode] of VALUE_ENCODERS) if (!name.startsWith('base64') || value.length >= 6) allowed.add(encode(value));
        if (value.length >= 6) for (const shift of [0, 1, 2]) allowed.add(trimmedBase64(value, shift) ?? '');
        for (const form of encodings(value)) {
          expect(form.length, JSON.stringify(form)).toBeGreaterThanOrEqual(2);
          expect(allowed.has(form), JSON.stringify(form)).toBe(true);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('PowerShell parts: the text before and after the last & (or around &+ and the letter it colours), each at least 6 characters', () => {
    expect(encodings('abcdef&ghijkl')).toEqual(expect.arrayContaining(['abcdef&', 'ghijkl']));
    expect(encodings('abcdef&+Xghijkl')).toEqual(expect.arrayContaining(['abcdef&+', 'ghijkl']));
    expect(encodings('a&bcdef&ghijkl')).toEqual(expect.arrayContaining(['a&bcdef&', 'ghijkl']));
    expect(encodings('&+Xabcdefg&hijklm')).toEqual(expect.arrayContaining(['abcdefg&hijklm']));
    expect(encodings('&+Xabcdefg&hijklm')).not.toContain('&+Xabcdefg&');
    expect(encodings('abcd&efghi')).not.toContain('abcd&');
    expect(encodings('abcdefghi&')).not.toContain('');
  });

  it('a quoted value is redacted without its quotes only past 8 characters, as the runner does', () => {
    expect(encodings('"abcdefg"')).toContain('abcdefg');
    expect(encodings('"abcdef"')).not.toContain('abcdef');
    expect(encodings('"abcdefg')).not.toContain('abcdef');
    expect(encodings('abcdefgh"')).not.toContain('bcdefgh');
  });

  it('upper-case %XX for the characters encodeURIComponent keeps, and U+FFFD for a lone surrogate', () => {
    expect(encodings("it's(*)!")).toEqual(expect.arrayContaining(['it%27s%28%2A%29%21', "it's(*)!"]));
    expect(encodings('ab\ud800cdef')).toContain('ab%EF%BF%BDcdef');
    expect(encodings('ab\u0085cd\u2028')).toContain('ab\\u0085cd\\u2028');
  });
});

describe('base64Forms', () => {
  it('the padded form, then each shift with at least 3 bytes, trimmed to the characters that depend only on the value', () => {
    fc.assert(
      fc.property(
        fc.array(pieceArb, { minLength: 1, maxLength: 8 }).map((parts) => parts.join('')),
        (value) => {
          const expected = [Buffer.from(value, 'utf8').toString('base64')];
          for (const shift of [0, 1, 2]) {
            const trimmed = trimmedBase64(value, shift);
            if (trimmed) expected.push(trimmed);
          }
          expect(base64Forms(value)).toEqual(expected);
        },
      ),
    );
    expect(base64Forms('abcd')).toEqual(['YWJjZA==', 'YWJjZ', 'YmNk']);
  });
});

describe('redactLogLine: keeps colours, drops nothing else', () => {
  const csiArb = fc.constantFrom('\u001b[31m', '\u001b[0m', '\u001b[1;32m', '\u001b[K', '\u001b[38;5;208m');
  // Without the final bytes of the codes above: 'm' + '_A--AA' after `\u001b[31` would be the secret 'm_A--AA' in the raw
  // line, which is masked there as the runner masks it (the code loses its final byte).
  const secretArb = fc.stringMatching(/^[a-jln-zA-JL-Z0-9_-]{6,20}$/);
  const fillerArb = fc.stringMatching(/^[ a-z.,:=]{0,10}$/);

  it('a secret split by colour codes anywhere (the last code included) becomes ***, and every colour code stays, in order', () => {
    fc.assert(
      fc.property(fillerArb, secretArb, fc.array(fc.tuple(fc.nat(), csiArb), { minLength: 1, maxLength: 3 }), fillerArb, (before, secret, cuts, after) => {
        fc.pre(!before.includes(secret[0]!) && !after.includes(secret.at(-1)!));
        const reg = new SecretRegistry(() => {});
        reg.add(secret);
        const chars = [...secret];
        for (const [at, code] of cuts) chars.splice(1 + (at % (chars.length - 1)), 0, code);
        const line = `${before}${chars.join('')}${after}`;
        const out = reg.redactLogLine(line);
        const codes = (text: string) => text.match(/\u001b\[[0-?]*[ -/]*[@-~]/g) ?? [];
        expect(codes(out)).toEqual(codes(line));
        expect(stripControls(out)).toBe(`${before}***${after}`);
      }),
      { numRuns: 1_000 },
    );
  });

  it('a secret whose last part follows the last colour code is found', () => {
    const reg = new SecretRegistry(() => {});
    reg.add('hunter2-secret');
    expect(reg.redactLogLine('\u001b[32mhunter2\u001b[0m-secret tail')).toBe('\u001b[32m***\u001b[0m tail');
  });

  it('invisible characters inside a secret go with it; those outside stay', () => {
    const reg = new SecretRegistry(() => {});
    reg.add('hunter2-secret');
    expect(reg.redactLogLine('a\u200b hunter2\u200b-se\u001b[1mcret \u200bz')).toBe('a\u200b ***\u001b[1m \u200bz');
  });

  it('text without a secret comes back as it is, codes and all', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fillerArb, csiArb, fc.constant('\u200b'))), (parts) => {
        const reg = new SecretRegistry(() => {});
        reg.add('hunter2-secret');
        const line = parts.join('');
        expect(reg.redactLogLine(line)).toBe(line);
      }),
    );
  });
});
