// Redaction never breaks a format: JSON is redacted value by value (it always parses), and plain
// text keeps every character that is not a secret (emoji with ZWJ, RTL marks, soft hyphens).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { SecretRegistry, encodings } from '../../src/runner-io/secrets.js';
import { escapeMarkdown, sanitizeLine, stripIgnorable } from '../../src/runner-io/untrusted-text.js';
import { publishStackOutputs } from '../../src/report/outputs.js';
import { runnerLog } from '../../src/runner-io/log.js';
import { redactRequest } from '../../src/deployment/request.js';
import type { UpdatePlan } from '../../src/domain/outcome.js';
import { useOutputFile } from '../support/output-file.js';

const registryOf = (secrets: string[]) => {
  const reg = new SecretRegistry(() => {});
  for (const s of secrets) reg.add(s);
  return reg;
};

/** What the registry treats as secrets for a value: it and each of its lines, as `add` does. */
const partsOf = (secret: string) => [secret, ...secret.split(/[\r\n]+/).map((l) => l.trim())].filter((p) => p.length >= 2);

/** A key or scalar as text in every form a reader could see it: raw, as JSON, past invisible characters. */
const formsOf = (leaf: unknown): string[] => {
  const json = typeof leaf === 'string' ? JSON.stringify(leaf).slice(1, -1) : JSON.stringify(leaf);
  const raw = typeof leaf === 'string' ? leaf : json;
  return [raw, json, stripIgnorable(raw), stripIgnorable(json)];
};

/** Every key and scalar of a parsed JSON value that is not our marker. */
function* leaves(value: unknown): Generator<unknown> {
  if (Array.isArray(value)) for (const v of value) yield* leaves(v);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (!/^\[secret\]( \d+)?$/.test(k)) yield k;
      yield* leaves(v);
    }
  } else if (value !== '[secret]') yield value;
}

function leaked(result: unknown, secrets: string[]): string[] {
  const found: string[] = [];
  for (const leaf of leaves(result)) {
    for (const part of secrets.flatMap(partsOf)) {
      for (const form of encodings(part)) if (formsOf(leaf).some((f) => f.includes(form))) found.push(`${JSON.stringify(leaf)} holds ${JSON.stringify(form)}`);
    }
  }
  return found;
}

/** Secrets a format would trip over: JSON literals, numbers, JSON punctuation, unicode. */
const hostileSecret = fc.oneof(
  fc.constantFrom('true', 'false', 'null', '123456789012', '":', '"}', '\\"', '{"', '],', '1e+21', '-0', 'é\u0301', '👩\u200d💻', '\u2028\u2029'),
  fc.string({ minLength: 2, maxLength: 12 }),
  fc.string({ minLength: 2, maxLength: 8, unit: 'grapheme' }),
  fc.integer().map(String),
);

describe('redactJson: value by value', () => {
  it('a secret equal to a JSON literal or a number never leaves `"enabled":***` behind', () => {
    const reg = registryOf(['true', '123456789012']);
    const out = JSON.stringify(reg.redactJson({ enabled: true, account: 123456789012, other: 12, list: [true, false, 'a true story'] }));
    expect(JSON.parse(out)).toEqual({ enabled: '[secret]', account: '[secret]', other: 12, list: ['[secret]', false, '[secret]'] });
  });

  it('keys holding a secret are hidden too, each kept apart; __proto__ stays a key', () => {
    const reg = registryOf(['hunter22']);
    const input = JSON.parse('{"user-hunter22":1,"hunter22":2,"__proto__":{"x":"hunter22"},"keep":"ok"}') as unknown;
    const out = JSON.parse(JSON.stringify(reg.redactJson(input))) as Record<string, unknown>;
    expect(out).toEqual(JSON.parse('{"[secret]":1,"[secret] 2":2,"__proto__":{"x":"[secret]"},"keep":"ok"}'));
  });

  it('finds a secret in any runner encoding and past invisible characters', () => {
    const reg = registryOf(['p@ss w"rd!']);
    for (const form of [...encodings('p@ss w"rd!'), 'p@ss\u200b w"r\u00add!']) expect(reg.redactJson({ v: `x${form}y` }), form).toEqual({ v: '[secret]' });
    expect(reg.redactJson({ v: 'p@ss word' })).toEqual({ v: 'p@ss word' });
  });

  it('property: for any JSON and any secrets, the result parses and no key or value holds a secret in any encoding', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.array(hostileSecret, { minLength: 1, maxLength: 3 }), (value, secrets) => {
        const reg = registryOf(secrets);
        const text = JSON.stringify(reg.redactJson(value));
        const parsed: unknown = JSON.parse(text);
        expect(leaked(parsed, secrets)).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('property: a value that is exactly a secret (string, number or literal) becomes "[secret]" and the rest is untouched', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ minLength: 2 }), fc.integer({ min: 10 }), fc.boolean(), fc.constant(null)), (secretValue) => {
        const reg = registryOf([typeof secretValue === 'string' ? secretValue : JSON.stringify(secretValue)]);
        const out = JSON.parse(JSON.stringify(reg.redactJson({ a: secretValue, b: [secretValue], c: 'zz' }))) as unknown;
        expect(out).toEqual({ a: '[secret]', b: ['[secret]'], c: reg.redactJson('zz') });
      }),
    );
  });
});

describe('the outputs output and the dry-run print', () => {
  const readOutputs = useOutputFile();
  const outputs = () => readOutputs().outputs;

  it('property: `outputs` always parses, whatever the stack outputs and the secrets', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), fc.array(hostileSecret, { minLength: 1, maxLength: 3 }), (stackOutputs, secrets) => {
        writeFileSync(process.env.GITHUB_OUTPUT!, '');
        const reg = registryOf(secrets);
        const plan = { preview: false, outputs: stackOutputs } as unknown as UpdatePlan;
        publishStackOutputs([plan], (value) => reg.redactJson(value), runnerLog());
        const json = outputs();
        expect(json).toBeDefined();
        expect(leaked(JSON.parse(json!), secrets)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('the dry-run request: secret fields hidden, and a plain field equal to a secret becomes "[secret]"', () => {
    const reg = registryOf(['true', 'tok-123456']);
    const body = { operation: 'update', inheritSettings: true, operationContext: { environmentVariables: { A: 'tok-123456', B: { secret: 'hidden-value' } } } };
    const shown = JSON.parse(JSON.stringify(reg.redactJson(redactRequest(body as never)))) as unknown;
    expect(shown).toEqual({ operation: 'update', inheritSettings: '[secret]', operationContext: { environmentVariables: { A: '[secret]', B: { secret: '***' } } } });
  });
});

/** Plain text: letters of several scripts, digits, spaces, emoji with ZWJ, RTL and LTR marks, soft hyphens, ZWNJ. */
const plainText = fc
  .array(
    fc.constantFrom('a', 'z', 'É', 'ß', '7', ' ', '-', 'שלום', 'مرحبا', '👩\u200d💻', '👨\u200d👩\u200d👧', '\u200f', '\u200e', '\u00ad', '\u200c', '🏳️\u200d🌈', 'ab\u00adcd'),
    {
      maxLength: 20,
    },
  )
  .map((parts) => parts.join(''));
/** A secret from characters the plain text never has, so it cannot match by accident. */
const secretText = fc.string({ minLength: 6, maxLength: 16, unit: fc.constantFrom(...'QWXYZ0123456789') });
const INVISIBLE = ['\u200b', '\u200d', '\u00ad', '\u200f', '\u2060', '\ufeff'];

describe('plain values keep their characters', () => {
  it('property: sanitizeLine and escapeMarkdown keep emoji ZWJ sequences, RTL marks and soft hyphens', () => {
    fc.assert(
      fc.property(plainText, (text) => {
        expect(sanitizeLine(text, 1_000)).toBe(text);
        // A leading `-` would be a list marker, escaped on purpose.
        expect(escapeMarkdown(text.replace(/-/g, 'x'), 1_000)).toBe(text.replace(/-/g, 'x'));
      }),
    );
  });

  it('property: redaction leaves text without a secret as it is', () => {
    fc.assert(
      fc.property(plainText, secretText, (text, secret) => {
        const reg = registryOf([secret]);
        expect(reg.redactForPost(text)).toBe(text);
        expect(reg.redactLogLine(text)).toBe(text);
        expect(reg.redactJson({ [text]: text })).toEqual({ [text]: text });
      }),
    );
  });

  it('property: a secret split by invisible characters is still found, and only its own characters go', () => {
    fc.assert(
      fc.property(plainText, secretText, plainText, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...INVISIBLE)), { maxLength: 4 }), (before, secret, after, inserts) => {
        let split = secret;
        for (const [at, c] of inserts) {
          const i = 1 + (at % (split.length - 1));
          split = split.slice(0, i) + c + split.slice(i);
        }
        const reg = registryOf([secret]);
        expect(reg.redactForPost(before + split + after)).toBe(`${before}***${after}`);
        expect(reg.redactLogLine(before + split + after)).toBe(`${before}***${after}`);
        expect(reg.redactJson({ v: before + split + after })).toEqual({ v: '[secret]' });
      }),
    );
  });

  it('posted text still loses ANSI codes and control characters (no sink takes them)', () => {
    const reg = registryOf(['QX12345']);
    expect(reg.redactForPost('\u001b[31mred\u001b[0m \u0007bell 👩\u200d💻 QX1\u001b[1m2345')).toBe('red bell 👩\u200d💻 ***');
  });
});
