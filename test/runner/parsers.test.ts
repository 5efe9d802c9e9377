// The runner emulator's pure parts: file-command parsing, command parsing, masking.
import { describe, expect, it } from 'vitest';
import { inputEnvName, parseCommand, parseKeyValueFile, SecretMasker } from '../../emulators/runner/runner.mjs';

describe('parseKeyValueFile', () => {
  it('reads name=value and heredocs with \\n and \\r\\n', () => {
    const text = 'a=1\nb=x=y\r\nc<<EOF\r\nline1\r\nline2\r\nEOF\r\n\nd<<ghadelimiter_x\nonly\nghadelimiter_x\na=2\n';
    expect(parseKeyValueFile(text)).toEqual({ a: '2', b: 'x=y', c: 'line1\r\nline2', d: 'only' });
  });

  it('treats the first of = and << as the separator', () => {
    expect(parseKeyValueFile('k=v<<w\n')).toEqual({ k: 'v<<w' });
    expect(parseKeyValueFile('k<<E=F\nv\nE=F\n')).toEqual({ k: 'v' });
  });

  it('throws the runner messages on malformed content', () => {
    expect(() => parseKeyValueFile('=v\n')).toThrow("Invalid format '=v'. Name must not be empty");
    expect(() => parseKeyValueFile('k<<\n')).toThrow('delimiter must not be empty');
    expect(() => parseKeyValueFile('k<<EOF\nv\n')).toThrow("Matching delimiter not found 'EOF'");
    expect(() => parseKeyValueFile('k<<EOF\nv')).toThrow('EOF marker missing new line');
    expect(() => parseKeyValueFile('novalue\n')).toThrow("Invalid format 'novalue'");
  });
});

describe('parseCommand', () => {
  it('parses properties and unescapes data and properties', () => {
    expect(parseCommand('  ::error file=a%2Cb.ts,title=T%3A x::50%25%0Adone')).toEqual({
      name: 'error',
      rawName: 'error',
      properties: { file: 'a,b.ts', title: 'T: x' },
      data: '50%\ndone',
      syntax: 'v2',
    });
  });

  it('ignores lines that are not registered commands', () => {
    expect(parseCommand('::unknown::x')).toBeNull();
    expect(parseCommand('text ::error::x')).toBeNull();
    expect(parseCommand('::error')).toBeNull();
  });
});

describe('SecretMasker', () => {
  it('masks every occurrence, merging overlaps, each line of multi-line values and JSON/URI forms', () => {
    const m = new SecretMasker();
    m.add('abc-def');
    m.add('def-ghi');
    m.add('l1-secret\nl2-secret');
    m.add('a"b c');
    m.add('   ');
    expect(m.mask('x abc-def-ghi y')).toBe('x *** y');
    expect(m.mask('l1-secret and l2-secret')).toBe('*** and ***');
    expect(m.mask('{"v":"a\\"b c"}')).toBe('{"v":"***"}');
    expect(m.mask('?q=a%22b%20c')).toBe('?q=***');
    expect(m.mask('nothing here')).toBe('nothing here');
  });
});

describe('inputEnvName', () => {
  it('upper-cases, turns spaces into _ and keeps hyphens', () => {
    expect(inputEnvName('stack-name')).toBe('INPUT_STACK-NAME');
    expect(inputEnvName('my input')).toBe('INPUT_MY_INPUT');
  });
});
