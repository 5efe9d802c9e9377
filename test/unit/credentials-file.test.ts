import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, posix as posixPath, win32 } from 'node:path';
import { createHash } from 'node:crypto';
import { credentialsFilePath, homeFolder, removeTokensFromCredentials, tokenHash } from '../../src/runner-io/credentials-file.js';

const CLOUD = 'https://api.pulumi.com';
const OTHER = 'https://api.other.example';
const OURS = 'pul-ours-0123456789abcdef';
const OURS_REFRESHED = 'pul-ours-refreshed-fedcba9876543210';
const THEIRS = 'pul-theirs-aaaaaaaaaaaaaaaa';

let dir: string;
let path: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'creds-test-'));
  path = join(dir, 'credentials.json');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const write = (content: unknown) => writeFileSync(path, JSON.stringify(content, null, 4) + '\n');
const read = () => JSON.parse(readFileSync(path, 'utf8')) as unknown;

/** What `pulumi login` writes, for two backends. */
function twoAccounts(current: string) {
  return {
    current,
    accessTokens: { [CLOUD]: OURS, [OTHER]: THEIRS },
    accounts: {
      [CLOUD]: { accessToken: OURS, username: 'acme-bot', organizations: ['acme'], lastValidatedAt: '2025-01-01T00:00:00Z' },
      [OTHER]: { accessToken: THEIRS, username: 'someone', organizations: ['other'], lastValidatedAt: '2025-01-01T00:00:00Z' },
    },
    ignoredField: { keep: true },
  };
}

describe('tokenHash', () => {
  it('is the hex SHA-256 of the token', () => {
    expect(tokenHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(tokenHash(OURS)).toBe(createHash('sha256').update(OURS).digest('hex'));
  });
});

describe('removeTokensFromCredentials', () => {
  it('removes only our entries, keeps the other account and clears `current` that pointed at ours', () => {
    write(twoAccounts(CLOUD));
    const result = removeTokensFromCredentials(path, [tokenHash(OURS)]);
    expect(result).toEqual({ path, removed: [CLOUD], fileDeleted: false, currentCleared: true });
    expect(read()).toEqual({
      accessTokens: { [OTHER]: THEIRS },
      accounts: { [OTHER]: { accessToken: THEIRS, username: 'someone', organizations: ['other'], lastValidatedAt: '2025-01-01T00:00:00Z' } },
      ignoredField: { keep: true },
    });
  });

  it('keeps `current` when it points at an account that stays', () => {
    write(twoAccounts(OTHER));
    const result = removeTokensFromCredentials(path, [tokenHash(OURS)]);
    expect(result).toEqual({ path, removed: [CLOUD], fileDeleted: false, currentCleared: false });
    expect(read()).toMatchObject({ current: OTHER, accessTokens: { [OTHER]: THEIRS } });
    expect(Object.keys((read() as { accounts: object }).accounts)).toEqual([OTHER]);
  });

  it('writes the kept file with 4-space JSON, a final newline and its mode 0600, leaving no temp file', () => {
    write(twoAccounts(CLOUD));
    if (process.platform !== 'win32') chmodSync(path, 0o600);
    removeTokensFromCredentials(path, [tokenHash(OURS)]);
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(JSON.stringify(read(), null, 4) + '\n');
    expect(text.startsWith('{\n    "accessTokens"')).toBe(true);
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['credentials.json']);
  });

  it('deletes the file when no token is left', () => {
    write({ current: CLOUD, accessTokens: { [CLOUD]: OURS }, accounts: { [CLOUD]: { accessToken: OURS, username: 'acme-bot' } } });
    const result = removeTokensFromCredentials(path, [tokenHash(OURS)]);
    expect(result).toEqual({ path, removed: [CLOUD], fileDeleted: true, currentCleared: true });
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('deletes the file when the only entries left hold no token', () => {
    write({ accessTokens: { [CLOUD]: OURS }, accounts: { [OTHER]: { username: 'no-token-here' } } });
    const result = removeTokensFromCredentials(path, [tokenHash(OURS)]);
    expect(result).toEqual({ path, removed: [CLOUD], fileDeleted: true, currentCleared: false });
    expect(existsSync(path)).toBe(false);
  });

  it('removes the entries of every token we were issued (a refresh adds one)', () => {
    const other = 'https://api.second.example';
    write({
      current: other,
      accessTokens: { [CLOUD]: OURS, [other]: OURS_REFRESHED, [OTHER]: THEIRS },
      accounts: { [CLOUD]: { accessToken: OURS }, [other]: { accessToken: OURS_REFRESHED }, [OTHER]: { accessToken: THEIRS } },
    });
    const result = removeTokensFromCredentials(path, [tokenHash(OURS), tokenHash(OURS_REFRESHED)]);
    expect(result).toEqual({ path, removed: [CLOUD, other], fileDeleted: false, currentCleared: true });
    expect(read()).toEqual({ accessTokens: { [OTHER]: THEIRS }, accounts: { [OTHER]: { accessToken: THEIRS } } });
  });

  it('finds our token in `accounts` alone and in `accessTokens` alone', () => {
    const second = 'https://api.second.example';
    write({ accessTokens: { [second]: OURS, [OTHER]: THEIRS }, accounts: { [CLOUD]: { accessToken: OURS } } });
    const result = removeTokensFromCredentials(path, [tokenHash(OURS)]);
    expect(result.removed).toEqual([second, CLOUD]);
    expect(read()).toEqual({ accessTokens: { [OTHER]: THEIRS }, accounts: {} });
  });

  it('leaves a file without our tokens byte for byte alone', () => {
    write(twoAccounts(OTHER));
    const before = readFileSync(path, 'utf8');
    const result = removeTokensFromCredentials(path, [tokenHash('pul-never-issued')]);
    expect(result).toEqual({ path, removed: [], fileDeleted: false, currentCleared: false });
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('is idempotent: a second run changes nothing (file kept)', () => {
    write(twoAccounts(CLOUD));
    removeTokensFromCredentials(path, [tokenHash(OURS)]);
    const after = readFileSync(path, 'utf8');
    const second = removeTokensFromCredentials(path, [tokenHash(OURS)]);
    expect(second).toEqual({ path, removed: [], fileDeleted: false, currentCleared: false });
    expect(readFileSync(path, 'utf8')).toBe(after);
  });

  it('is idempotent: a second run changes nothing (file deleted)', () => {
    write({ accessTokens: { [CLOUD]: OURS } });
    expect(removeTokensFromCredentials(path, [tokenHash(OURS)]).fileDeleted).toBe(true);
    expect(removeTokensFromCredentials(path, [tokenHash(OURS)])).toEqual({ path, removed: [], fileDeleted: false, currentCleared: false });
    expect(existsSync(path)).toBe(false);
  });

  it('is fine with a missing file', () => {
    const missing = join(dir, 'nope', 'credentials.json');
    expect(removeTokensFromCredentials(missing, [tokenHash(OURS)])).toEqual({ path: missing, removed: [], fileDeleted: false, currentCleared: false });
    expect(existsSync(missing)).toBe(false);
  });

  it('does not even read the file when there are no hashes', () => {
    writeFileSync(path, 'this is not JSON');
    expect(removeTokensFromCredentials(path, [])).toEqual({ path, removed: [], fileDeleted: false, currentCleared: false });
    expect(readFileSync(path, 'utf8')).toBe('this is not JSON');
  });

  it('does not match the raw token, only its hash', () => {
    write({ accessTokens: { [CLOUD]: OURS } });
    expect(removeTokensFromCredentials(path, [OURS]).removed).toEqual([]);
    expect(existsSync(path)).toBe(true);
  });

  it('copes with files that have only one of the maps, or odd values', () => {
    write({ accounts: { [CLOUD]: { accessToken: OURS }, [OTHER]: null, weird: { accessToken: 42 } }, accessTokens: { x: THEIRS } });
    const result = removeTokensFromCredentials(path, [tokenHash(OURS)]);
    expect(result).toEqual({ path, removed: [CLOUD], fileDeleted: false, currentCleared: false });
    expect(read()).toEqual({ accounts: { [OTHER]: null, weird: { accessToken: 42 } }, accessTokens: { x: THEIRS } });
  });
});

const posix = process.platform !== 'win32';
const isRoot = posix && process.getuid?.() === 0;
const modeOf = (p: string) => statSync(p).mode & 0o777;

describe.runIf(posix)('a symlinked credentials.json is cleaned at its target', () => {
  let targetDir: string;
  let target: string;
  beforeEach(() => {
    targetDir = join(dir, 'dotfiles');
    mkdirSync(targetDir);
    target = join(targetDir, 'pulumi-credentials.json');
    symlinkSync(target, path);
  });
  const writeTarget = (content: unknown, mode = 0o600) => {
    writeFileSync(target, JSON.stringify(content, null, 4) + '\n');
    chmodSync(target, mode);
  };

  it.each([0o600, 0o640])('removes our entries in the target, keeps the link and mode %o, leaves no temp file', (mode) => {
    writeTarget(twoAccounts(CLOUD), mode);
    const result = removeTokensFromCredentials(path, [tokenHash(OURS)]);
    expect(result).toEqual({ path, target: realpathSync(target), removed: [CLOUD], fileDeleted: false, currentCleared: true });
    expect(lstatSync(path).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path)).toBe(target);
    expect(readFileSync(target, 'utf8')).not.toContain(OURS);
    expect(read()).toMatchObject({ accessTokens: { [OTHER]: THEIRS } });
    expect(modeOf(target)).toBe(mode);
    expect(readdirSync(targetDir)).toEqual(['pulumi-credentials.json']);
    expect(readdirSync(dir).sort()).toEqual(['credentials.json', 'dotfiles']);
  });

  it('empties the target rather than deleting it when no token is left (the link stays valid)', () => {
    writeTarget({ current: CLOUD, accessTokens: { [CLOUD]: OURS }, accounts: { [CLOUD]: { accessToken: OURS } } });
    const result = removeTokensFromCredentials(path, [tokenHash(OURS)]);
    expect(result).toEqual({ path, target: realpathSync(target), removed: [CLOUD], fileDeleted: false, emptied: true, currentCleared: true });
    expect(read()).toEqual({ accessTokens: {}, accounts: {} });
    expect(modeOf(target)).toBe(0o600);
  });

  it('follows a chain of links (and a linked folder) to the real file', () => {
    writeTarget(twoAccounts(OTHER));
    const middle = join(dir, 'middle.json');
    rmSync(path);
    symlinkSync(target, middle);
    symlinkSync(middle, path);
    const result = removeTokensFromCredentials(path, [tokenHash(OURS)]);
    expect(result.target).toBe(realpathSync(target));
    expect(result.removed).toEqual([CLOUD]);
    expect(readFileSync(target, 'utf8')).not.toContain(OURS);
    expect(lstatSync(middle).isSymbolicLink()).toBe(true);
  });

  it('a dangling link: nothing on disk, nothing removed, no warning, the link untouched', () => {
    const result = removeTokensFromCredentials(path, [tokenHash(OURS)]);
    expect(result).toEqual({ path, target: '', removed: [], fileDeleted: false, currentCleared: false });
    expect(readlinkSync(path)).toBe(target);
    expect(existsSync(target)).toBe(false);
  });

  it('a link loop: a warning, never a removal', () => {
    rmSync(path);
    symlinkSync(path, path);
    const result = removeTokensFromCredentials(path, [tokenHash(OURS)]);
    expect(result.removed).toEqual([]);
    expect(result.warning).toBe(`Could not follow the symlink ${path} (ELOOP); the Pulumi token may still be in it`);
  });

  it('a link to an unparseable file: a warning, the file left byte for byte', () => {
    writeFileSync(target, `{"accessTokens": {"x": "${OURS}"`);
    const result = removeTokensFromCredentials(path, [tokenHash(OURS)]);
    expect(result.removed).toEqual([]);
    expect(result.warning).toContain('is not a JSON object, left it alone');
    expect(readFileSync(target, 'utf8')).toBe(`{"accessTokens": {"x": "${OURS}"`);
  });
});

describe('a credentials file that cannot be read or cleaned: a warning, never a false removal', () => {
  it.each([
    ['truncated JSON', `{"accessTokens": {"${CLOUD}": "${OURS}"`],
    ['not JSON at all', `token=${OURS}`],
    ['a JSON array', `["${OURS}"]`],
    ['JSON null', 'null'],
  ])('%s', (_name, text) => {
    writeFileSync(path, text);
    const result = removeTokensFromCredentials(path, [tokenHash(OURS)]);
    expect(result).toEqual({
      path,
      removed: [],
      fileDeleted: false,
      currentCleared: false,
      warning: `${path} is not a JSON object, left it alone; the Pulumi token may still be in it`,
    });
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(result.warning).not.toContain(OURS); // the parser's message quotes the file: never shown
  });

  it('a folder where the file should be', () => {
    mkdirSync(path);
    const result = removeTokensFromCredentials(path, [tokenHash(OURS)]);
    expect(result.removed).toEqual([]);
    expect(result.warning).toBe(`Could not read ${path} (EISDIR); the Pulumi token may still be in it`);
  });

  it.skipIf(!posix || isRoot)('a file we may not read (mode 000)', () => {
    write(twoAccounts(CLOUD));
    chmodSync(path, 0);
    const result = removeTokensFromCredentials(path, [tokenHash(OURS)]);
    expect(result.removed).toEqual([]);
    expect(result.warning).toBe(`Could not read ${path} (EACCES); the Pulumi token may still be in it`);
  });

  it.skipIf(!posix || isRoot)('a folder we may not write: the token stays, and we say so', () => {
    write(twoAccounts(CLOUD));
    chmodSync(dir, 0o500);
    try {
      const result = removeTokensFromCredentials(path, [tokenHash(OURS)]);
      expect(result.removed).toEqual([]);
      expect(result.warning).toBe(`Could not rewrite ${path} (EACCES); the Pulumi token may still be in it`);
      expect(readFileSync(path, 'utf8')).toContain(OURS);
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  it.runIf(posix)('a plain 0600 file stays 0600 even under a permissive umask; 0644 stays 0644', () => {
    for (const mode of [0o600, 0o644]) {
      write(twoAccounts(CLOUD));
      chmodSync(path, mode);
      const old = process.umask(0);
      try {
        expect(removeTokensFromCredentials(path, [tokenHash(OURS)]).removed).toEqual([CLOUD]);
      } finally {
        process.umask(old);
      }
      expect(modeOf(path)).toBe(mode);
    }
  });
});

describe('credentialsFilePath', () => {
  it('is %USERPROFILE%\\.pulumi\\credentials.json on Windows', () => {
    const env = { USERPROFILE: 'C:\\Users\\runneradmin', HOME: '/c/Users/git-bash-home' };
    expect(homeFolder(env, 'win32')).toBe('C:\\Users\\runneradmin');
    expect(credentialsFilePath(env, win32, homeFolder(env, 'win32'))).toBe('C:\\Users\\runneradmin\\.pulumi\\credentials.json');
    expect(credentialsFilePath({ PULUMI_HOME: 'D:\\pulumi' }, win32, 'C:\\Users\\u')).toBe('D:\\pulumi\\credentials.json');
    expect(credentialsFilePath({ PULUMI_CREDENTIALS_PATH: 'D:/creds/' }, win32, 'C:\\Users\\u')).toBe('D:\\creds\\credentials.json');
  });
  it('is $HOME/.pulumi/credentials.json on Linux and macOS', () => {
    const env = { USERPROFILE: 'C:\\Users\\u', HOME: '/home/runner' };
    for (const platform of ['linux', 'darwin'] as const) expect(homeFolder(env, platform)).toBe('/home/runner');
    expect(credentialsFilePath(env, posixPath, homeFolder(env, 'linux'))).toBe('/home/runner/.pulumi/credentials.json');
    expect(credentialsFilePath({ PULUMI_HOME: '/opt/pulumi' }, posixPath, '/home/u')).toBe('/opt/pulumi/credentials.json');
  });
  it('falls back to the OS home folder when the platform variable is unset', () => {
    expect(homeFolder({ HOME: '/home/u' }, 'win32')).toBe(homedir());
    expect(homeFolder({ USERPROFILE: 'C:\\Users\\u' }, 'linux')).toBe(homedir());
  });
  it('prefers PULUMI_CREDENTIALS_PATH', () => {
    expect(credentialsFilePath({ PULUMI_CREDENTIALS_PATH: '/creds', PULUMI_HOME: '/pulumi-home', HOME: '/home/u' })).toBe(join('/creds', 'credentials.json'));
  });
  it('then PULUMI_HOME', () => {
    expect(credentialsFilePath({ PULUMI_HOME: '/pulumi-home', HOME: '/home/u' })).toBe(join('/pulumi-home', 'credentials.json'));
  });
  it('then HOME/.pulumi', () => {
    expect(credentialsFilePath({ HOME: '/home/u' })).toBe(join('/home/u', '.pulumi', 'credentials.json'));
  });
  it('treats empty variables as unset', () => {
    expect(credentialsFilePath({ PULUMI_CREDENTIALS_PATH: '', PULUMI_HOME: '', HOME: '/home/u' })).toBe(join('/home/u', '.pulumi', 'credentials.json'));
  });
  it('falls back to the OS home folder without HOME', () => {
    expect(credentialsFilePath({})).toBe(join(homedir(), '.pulumi', 'credentials.json'));
  });
  it('reads process.env by default', () => {
    const saved = process.env.PULUMI_CREDENTIALS_PATH;
    process.env.PULUMI_CREDENTIALS_PATH = '/from-process-env';
    try {
      expect(credentialsFilePath()).toBe(join('/from-process-env', 'credentials.json'));
    } finally {
      if (saved === undefined) delete process.env.PULUMI_CREDENTIALS_PATH;
      else process.env.PULUMI_CREDENTIALS_PATH = saved;
    }
  });
});
