import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseBoolean, parseDuration, parseDurationText } from '../../src/inputs/parsers.js';
import { quote } from '../../src/domain/input-error.js';

// Cases the mutation run (`npm run mutation`) showed untested.
const space = fc.string({ unit: fc.constantFrom(' ', '\t', '\n'), maxLength: 3 });

describe('input parsers: surrounding whitespace is not part of the value', () => {
  it('booleans and durations read the same with spaces and line breaks around them', () => {
    fc.assert(
      fc.property(space, space, fc.constantFrom('true', 'False', 'TRUE'), (before, after, word) => {
        expect(parseBoolean('x', before + word + after)).toBe(word.toLowerCase() === 'true');
      }),
    );
    fc.assert(
      fc.property(space, space, fc.integer({ min: 1, max: 99 }), fc.constantFrom('', 'h', 'm', 's'), (before, after, n, unit) => {
        const seconds = n * (({ h: 3600, m: 60 } as Record<string, number>)[unit] ?? 1);
        expect(parseDuration('x', `${before}${n}${unit}${after}`)).toBe(seconds);
        expect(parseDurationText('x', `${before}${n}${unit}${after}`)).toBe(unit === '' ? `${n}s` : `${n}${unit}`);
      }),
    );
  });
});

describe('parseDuration: every part takes any number of digits', () => {
  it('XhYmZs is h*3600 + m*60 + s for multi-digit parts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 999 }), (h, m, s) => {
        fc.pre(h + m + s > 0);
        expect(parseDuration('x', `${h}h${m}m${s}s`)).toBe(h * 3600 + m * 60 + s);
        expect(parseDurationText('x', `${h}h${m}m${s}s`)).toBe(`${h}h${m}m${s}s`);
      }),
    );
    expect(parseDuration('x', '12h')).toBe(43_200);
  });
});

describe('quote: values up to 60 characters are shown whole', () => {
  it('cuts only past 60', () => {
    expect(quote('y'.repeat(60))).toBe(`"${'y'.repeat(60)}"`);
    expect(quote('y'.repeat(61))).toBe(`"${'y'.repeat(57)}..."`);
  });
});
