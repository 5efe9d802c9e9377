import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { licenseName, packageFolder, thirdPartyNotices } from '../../scripts/third-party-notices.mjs';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'notices-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function pkg(folder: string, json: object, files: Record<string, string> = {}): void {
  mkdirSync(join(root, folder), { recursive: true });
  writeFileSync(join(root, folder, 'package.json'), JSON.stringify(json));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, folder, name), text);
}
const metafile = (...inputs: string[]) => ({ inputs: Object.fromEntries(inputs.map((i) => [i, {}])), outputs: {} });

describe('third-party notices', () => {
  it('finds the package of a bundled file, scoped and nested', () => {
    expect(packageFolder('node_modules/@actions/core/lib/core.js')).toBe('node_modules/@actions/core');
    expect(packageFolder('node_modules/@actions/github/node_modules/undici/index.js')).toBe('node_modules/@actions/github/node_modules/undici');
    expect(packageFolder('src/main.ts')).toBeUndefined();
  });

  it('names a license from an SPDX string or the old object forms, never UNLICENSED', () => {
    expect(licenseName({ license: 'MIT' })).toBe('MIT');
    expect(licenseName({ license: { type: 'BSD-3-Clause' } })).toBe('BSD-3-Clause');
    expect(licenseName({ licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] })).toBe('MIT OR Apache-2.0');
    expect(licenseName({ license: 'UNLICENSED' })).toBe('');
    expect(licenseName({ license: 'SEE LICENSE IN LICENSE.md' })).toBe('');
    expect(licenseName({})).toBe('');
  });

  it('lists each bundled package once with its license text, in the same order whatever the input order', () => {
    pkg('node_modules/b-lib', { name: 'b-lib', version: '2.0.0', license: 'ISC' }, { LICENSE: 'ISC text\r\n' });
    pkg('node_modules/@scope/a', { name: '@scope/a', version: '1.0.0', license: 'MIT' }, { 'LICENSE.md': 'MIT text' });
    const inputs = ['node_modules/b-lib/x.js', 'src/ours.ts', 'node_modules/@scope/a/lib/y.js', 'node_modules/@scope/a/lib/z.js'];
    const text = thirdPartyNotices(metafile(...inputs), root);
    expect(text).toBe(thirdPartyNotices(metafile(...inputs.reverse()), root));
    expect(text).toContain('- @scope/a 1.0.0 (MIT)\n- b-lib 2.0.0 (ISC)\n');
    expect(text).toContain('\nMIT text\n');
    expect(text).toContain('\nISC text\n');
    expect(text).not.toContain('\r');
    expect(text.match(/^@scope\/a 1\.0\.0/gm)).toHaveLength(1);
  });

  it('fails, naming the package, when a bundled package names no license', () => {
    pkg('node_modules/ok', { name: 'ok', version: '1.0.0', license: 'MIT' }, { LICENSE: 'MIT text' });
    pkg('node_modules/nameless', { name: 'nameless', version: '1.0.0' }, { LICENSE: 'some text' });
    expect(() => thirdPartyNotices(metafile('node_modules/ok/i.js', 'node_modules/nameless/i.js'), root)).toThrow(/node_modules\/nameless: package.json names no license/);
  });

  it('fails when a bundled package has no license file', () => {
    pkg('node_modules/textless', { name: 'textless', version: '1.0.0', license: 'MIT' }, { 'README.md': 'hi' });
    expect(() => thirdPartyNotices(metafile('node_modules/textless/i.js'), root)).toThrow(/node_modules\/textless: no LICENSE file/);
  });
});
