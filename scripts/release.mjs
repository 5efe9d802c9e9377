// Release checks and notes, run by .github/workflows/release.yml on a vX.Y.Z tag (and by hand
// before tagging). Node built-ins only: the release job installs nothing.
//   node scripts/release.mjs check vX.Y.Z   the tag is package.json's (and package-lock.json's) version
//                                           and CHANGELOG.md has its section
//   node scripts/release.mjs notes vX.Y.Z   prints that section (the release notes)
//   node scripts/release.mjs major vX.Y.Z   prints the major tag to move (vX)
import { readFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const RELEASE_TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** The major tag (`v1`) of a release tag; throws unless the tag is `v` + package.json's version. */
export function checkVersion(tag, packageVersion) {
  const match = RELEASE_TAG.exec(tag);
  if (!match) throw new Error(`tag '${tag}' is not a release tag: expected vMAJOR.MINOR.PATCH such as v1.2.3`);
  if (tag !== `v${packageVersion}`) throw new Error(`tag '${tag}' does not match package.json's version '${packageVersion}': set "version" to '${tag.slice(1)}' and tag again`);
  return `v${match[1]}`;
}

/**
 * The body of `## [VERSION] - YYYY-MM-DD` in a Keep a Changelog file, up to the next `## `
 * heading, trimmed. Throws when the section is missing, undated or empty.
 */
export function changelogSection(changelog, version) {
  const lines = changelog.replace(/\r\n?/g, '\n').split('\n');
  const escaped = version.replace(/\./g, '\\.');
  const heading = new RegExp(`^## \\[${escaped}\\](?:\\s+-\\s+(\\d{4}-\\d{2}-\\d{2}))?\\s*$`);
  const start = lines.findIndex((line) => heading.test(line));
  if (start < 0) throw new Error(`CHANGELOG.md has no '## [${version}] - YYYY-MM-DD' section: move the Unreleased entries under it`);
  if (!heading.exec(lines[start])[1]) throw new Error(`CHANGELOG.md: '${lines[start]}' has no date: write '## [${version}] - YYYY-MM-DD'`);
  const next = lines.findIndex((line, i) => i > start && /^## /.test(line));
  const body = lines
    .slice(start + 1, next < 0 ? undefined : next)
    .filter((line) => !/^\[[^\]]+\]:\s/.test(line)) // link definitions belong to the file's end
    .join('\n')
    .trim();
  if (!body) throw new Error(`CHANGELOG.md: the section for ${version} is empty`);
  return body;
}

function main([command, tag]) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
  const lock = JSON.parse(readFileSync(resolve(root, 'package-lock.json'), 'utf8'));
  if (lock.version !== version) throw new Error(`package-lock.json says version '${lock.version}', package.json '${version}': run npm install`);
  const changelog = readFileSync(resolve(root, 'CHANGELOG.md'), 'utf8');
  const major = checkVersion(tag ?? '', version);
  const notes = changelogSection(changelog, version);
  if (command === 'check') console.log(`${tag}: package.json and CHANGELOG.md agree; major tag ${major}`);
  else if (command === 'notes') console.log(notes);
  else if (command === 'major') console.log(major);
  else throw new Error(`unknown command '${command}': use check, notes or major, then the tag`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`release: ${error.message}`);
    process.exit(1);
  }
}
