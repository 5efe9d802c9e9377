// The byte filter that cuts long JSON strings as an answer arrives (src/cloud/long-strings.ts),
// against a reference written on parsed values: any JSON value, written with any mix of escapes,
// raw multi-byte UTF-8 and surrogate pairs, cut into chunks anywhere, comes out as the same value
// with only the strings longer than the bound cut; and a body that is not JSON never becomes JSON.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LongStringCutter, cutMark } from '../../src/cloud/long-strings.js';

const isHigh = (u: number) => u >= 0xd800 && u <= 0xdbff;
const isLow = (u: number) => u >= 0xdc00 && u <= 0xdfff;

/** The reference: the longest prefix of whole code points within `max` units, then the mark. */
function cutString(s: string, max: number): string {
  if (s.length <= max) return s;
  let kept = '';
  for (const cp of s) {
    if (kept.length + cp.length > max) break;
    kept += cp;
  }
  return kept + cutMark(s.length - kept.length);
}

function cutValue(v: unknown, max: number): unknown {
  if (typeof v === 'string') return cutString(v, max);
  if (Array.isArray(v)) return v.map((x) => cutValue(x, max));
  if (v !== null && typeof v === 'object') {
    const out = {};
    // As JSON.parse: a key named __proto__ is a key, and a repeated key keeps its place and takes the last value.
    for (const [k, x] of Object.entries(v)) Object.defineProperty(out, cutString(k, max), { value: cutValue(x, max), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

/** A small seeded generator: which of the ways to write each character is used. */
function chooser(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return state % n;
  };
}

const hex = (u: number, upper: boolean) => `\\u${u.toString(16).padStart(4, '0')[upper ? 'toUpperCase' : 'toLowerCase']()}`;
const SHORT: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '/': '\\/' };

/** A JSON string literal of `s`, each character raw or escaped as `pick` says (lone surrogates always escaped). */
function literal(s: string, pick: (n: number) => number): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    const ch = s[i]!;
    if (isHigh(u) && isLow(s.charCodeAt(i + 1))) {
      const low = s.charCodeAt(++i);
      out += pick(2) ? s.slice(i - 1, i + 1) : hex(u, pick(2) === 0) + hex(low, pick(2) === 0);
    } else if (isHigh(u) || isLow(u) || (u < 0x20 && !SHORT[ch]) || pick(4) === 0) out += hex(u, pick(2) === 0);
    else if (SHORT[ch] && (u < 0x20 || ch === '"' || ch === '\\' || pick(2))) out += SHORT[ch];
    else out += ch;
  }
  return `${out}"`;
}

/** JSON text of `v` with varied escapes and whitespace. */
function write(v: unknown, pick: (n: number) => number): string {
  const ws = () => [' ', '', '\n', '\t', ''][pick(5)]!;
  if (typeof v === 'string') return literal(v, pick);
  if (Array.isArray(v)) return `[${ws()}${v.map((x) => write(x, pick)).join(`${ws()},${ws()}`)}${ws()}]`;
  if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${ws()}${literal(k, pick)}${ws()}:${ws()}${write(x, pick)}`)}${ws()}}`;
  return JSON.stringify(v);
}

/** `bytes` cut at the given points (any byte offset: inside escapes, UTF-8 sequences, anything). */
function chunks(bytes: Buffer, points: number[]): Buffer[] {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  return [0, ...at].map((from, i) => bytes.subarray(from, at[i] ?? bytes.length));
}

function filter(parts: Buffer[], max: number): { text: string; invalid: boolean } {
  const cutter = new LongStringCutter(max);
  for (const part of parts) cutter.write(part);
  const { body, invalid } = cutter.end();
  return { text: body.toString('utf8'), invalid };
}

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** Characters that make the cut points interesting: escapes, multi-byte UTF-8, pairs, lone surrogates. */
const unit = fc.oneof(
  fc.constantFrom('a', 'b', '"', '\\', '/', '\n', '\t', '\u0000', '\u001f', '\u007f', 'é', '€', '\u2028', '\uffff'),
  fc.constantFrom('😀', '𝄞', '\ud83d', '\ude00', '\udbff', '\udc00'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const json = fc.jsonValue({ maxDepth: 3, stringUnit: unit });
const bounds = fc.integer({ min: 0, max: 12 });

describe('LongStringCutter', () => {
  it('keeps any JSON value, with only the strings (keys too) longer than the bound cut, however it is escaped and chunked', () => {
    fc.assert(
      fc.property(json, bounds, fc.integer(), fc.array(fc.nat(), { maxLength: 12 }), (value, max, seed, points) => {
        const text = write(value, chooser(seed));
        const out = filter(chunks(Buffer.from(text), points), max);
        expect(out.invalid).toBe(false);
        expect(JSON.stringify(JSON.parse(out.text))).toBe(JSON.stringify(cutValue(JSON.parse(text), max)));
      }),
      { numRuns: 500 },
    );
  });

  it('reads one byte at a time as it reads the whole', () => {
    fc.assert(
      fc.property(json, bounds, fc.integer(), (value, max, seed) => {
        const bytes = Buffer.from(write(value, chooser(seed)));
        const oneByOne = filter(
          [...bytes].map((b) => Buffer.from([b])),
          max,
        );
        expect(oneByOne).toEqual(filter([bytes], max));
      }),
      { numRuns: 200 },
    );
  });

  it('never turns a body that is not JSON into JSON, nor JSON into something else', () => {
    const edit = fc.record({ at: fc.nat(), byte: fc.constantFrom(0x00, 0x0a, 0x1f, 0x22, 0x5c, 0x75, 0x78, 0x30, 0x7b, 0x80, 0xc3, 0xed, 0xf0, 0xff), remove: fc.boolean() });
    fc.assert(
      fc.property(json, bounds, fc.integer(), fc.array(edit, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { maxLength: 6 }), (value, max, seed, edits, points) => {
        let bytes = Buffer.from(write(value, chooser(seed)));
        for (const { at, byte, remove } of edits) {
          const i = at % (bytes.length + 1);
          bytes = Buffer.concat([bytes.subarray(0, i), remove ? Buffer.alloc(0) : Buffer.from([byte]), bytes.subarray(remove ? i + 1 : i)]);
        }
        const out = filter(chunks(bytes, points), max);
        expect(!out.invalid && parses(out.text)).toBe(parses(bytes.toString('utf8')));
      }),
      { numRuns: 1_000 },
    );
  });

  it('holds an 8 MiB string as its prefix and says how much was left out', () => {
    const max = 1_000;
    const urn = `urn:pulumi:dev::app::aws:s3:BucketObject::${'x'.repeat(8 * 1024 * 1024)}`;
    const bytes = Buffer.from(JSON.stringify({ events: [{ urn, message: '😀'.repeat(600) }] }));
    const out = filter(
      chunks(
        bytes,
        Array.from({ length: bytes.length >> 16 }, (_, i) => (i + 1) << 16),
      ),
      max,
    );
    expect(out.text.length).toBeLessThan(3 * max);
    expect(JSON.parse(out.text)).toEqual({ events: [{ urn: urn.slice(0, max) + cutMark(urn.length - max), message: '😀'.repeat(500) + cutMark(200) }] });
  });

  it('never splits a surrogate pair, raw or escaped, at the bound', () => {
    for (const pair of ['😀', '\\ud83d\\ude00']) {
      const { text } = filter([Buffer.from(`["ab${pair}c"]`)], 3);
      expect(JSON.parse(text)).toEqual([`ab${cutMark(3)}`]);
    }
    // A lone high surrogate is one character: it is kept when it fits.
    expect(JSON.parse(filter([Buffer.from('["ab\\ud83dc"]')], 3).text)).toEqual([`ab\ud83d${cutMark(1)}`]);
  });
});
