import { describe, expect, it, vi } from 'vitest';
import { SecretRegistry } from '../../src/secrets.js';

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
    expect(reg.redact('a tok-123 b tok-123tok-123 c')).toBe('a *** b ****** c');
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
