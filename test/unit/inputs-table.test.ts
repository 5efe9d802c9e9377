import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { INPUT_NAMES, INPUT_TABLE, secretValues } from '../../src/inputs/table.js';

const manifest = load(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { description?: string; default?: unknown; required?: boolean }>;
};
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('the input table is action.yml', () => {
  it('has the same inputs, in the same order', () => {
    expect(INPUT_NAMES).toEqual(Object.keys(manifest.inputs));
  });

  it.each(INPUT_NAMES)('%s: same default, same required, described', (name) => {
    const yml = manifest.inputs[name]!;
    expect(String(yml.default ?? '')).toBe(INPUT_TABLE[name].default);
    expect(Boolean(yml.required)).toBe(Boolean((INPUT_TABLE[name] as { required?: string }).required));
    expect(yml.description?.trim().length).toBeGreaterThan(10);
  });

  it('every default parses with its own parser', () => {
    for (const name of INPUT_NAMES) {
      const entry = INPUT_TABLE[name];
      if (entry.default !== '' && !entry.default.startsWith('${{')) expect(() => entry.parse(entry.default, name), name).not.toThrow();
    }
  });

  it('boolean inputs default to true, false or nothing', () => {
    for (const name of INPUT_NAMES.filter((n) => INPUT_TABLE[n].kind === 'boolean')) expect(['', 'true', 'false']).toContain(INPUT_TABLE[name].default);
  });

  it('the README Inputs table names every input', () => {
    const section = readme.slice(readme.indexOf('## Inputs'), readme.indexOf('## Outputs'));
    for (const name of INPUT_NAMES) expect(section, name).toContain(`\`${name}\``);
  });
});

describe('secrecy comes from the table', () => {
  it('masks every secret input and each secret-env value, and no plain input', () => {
    const values: Record<string, string> = Object.fromEntries(INPUT_NAMES.map((name) => [name, `value-of-${name}`]));
    values['secret-env'] = 'A=one\nB= two \nnot-a-line';
    const masked = secretValues((name) => values[name] ?? '');
    const secretNames = INPUT_NAMES.filter((name) => INPUT_TABLE[name].secret && name !== 'secret-env');
    expect(secretNames.sort()).toEqual(['executor-image-password', 'git-auth-token', 'git-password', 'git-ssh-password', 'git-ssh-private-key', 'github-token']);
    expect(masked.sort()).toEqual([...secretNames.map((name) => `value-of-${name}`), 'one', ' two ', 'two'].sort());
  });
});
