import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { changelogSection, checkVersion } from '../../scripts/release.mjs';

const CHANGELOG = `# Changelog

## [Unreleased]

- not yet

## [1.1.0] - 2027-01-02

### Fixed

- the second thing

## [1.0.0] - 2026-12-05

### Added

- the first thing

[Unreleased]: https://example.test/compare/v1.1.0...HEAD
[1.1.0]: https://example.test/releases/tag/v1.1.0
`;

describe('checkVersion', () => {
  it('gives the major tag when the tag is v + package.json version', () => {
    expect(checkVersion('v1.0.0', '1.0.0')).toBe('v1');
    expect(checkVersion('v12.3.40', '12.3.40')).toBe('v12');
  });
  it('refuses a tag that differs from package.json', () => {
    expect(() => checkVersion('v1.0.1', '1.0.0')).toThrow("tag 'v1.0.1' does not match package.json's version '1.0.0'");
  });
  it('refuses tags that are not vMAJOR.MINOR.PATCH', () => {
    for (const tag of ['1.0.0', 'v1', 'v1.0', 'v1.0.0-rc.1', 'v01.0.0', 'v1.0.0 ', '', 'refs/tags/v1.0.0']) {
      expect(() => checkVersion(tag, tag.replace(/^v/, '')), tag).toThrow('is not a release tag');
    }
  });
});

describe('changelogSection', () => {
  it("returns one version's section, without the next section or link definitions", () => {
    expect(changelogSection(CHANGELOG, '1.1.0')).toBe('### Fixed\n\n- the second thing');
    expect(changelogSection(CHANGELOG, '1.0.0')).toBe('### Added\n\n- the first thing');
    expect(changelogSection(CHANGELOG.replace(/\n/g, '\r\n'), '1.0.0')).toBe('### Added\n\n- the first thing');
  });
  it('does not take 1.0.0 for 1.0.00 or 1x0x0', () => {
    expect(() => changelogSection(CHANGELOG.replace('[1.0.0]', '[1x0x0]'), '1.0.0')).toThrow("no '## [1.0.0] - YYYY-MM-DD' section");
  });
  it('refuses a missing, undated or empty section', () => {
    expect(() => changelogSection(CHANGELOG, '2.0.0')).toThrow("no '## [2.0.0] - YYYY-MM-DD' section");
    expect(() => changelogSection(CHANGELOG.replace('## [1.1.0] - 2027-01-02', '## [1.1.0]'), '1.1.0')).toThrow('has no date');
    expect(() => changelogSection('## [3.0.0] - 2027-01-01\n\n## [2.0.0] - 2026-01-01\n- x\n', '3.0.0')).toThrow('is empty');
  });
  it('finds the section of the version in package.json in the committed CHANGELOG.md', () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(changelogSection(readFileSync(new URL('../../CHANGELOG.md', import.meta.url), 'utf8'), version)).toContain('### Added');
  });
});
