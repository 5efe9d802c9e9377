import { chmodSync, lstatSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import nodePath, { basename, dirname, join, type PlatformPath } from 'node:path';

/** node:crypto on first use (about 20 modules): main preloads it while its first request is out (main-network.ts). */
const crypto = () => process.getBuiltinModule('node:crypto');

/** The post step never gets the token itself; it recognises ours by this hash. */
export const tokenHash = (token: string): string => crypto().createHash('sha256').update(token).digest('hex');

/** The user's home folder as the Pulumi CLI finds it: `%USERPROFILE%` on Windows, `$HOME` elsewhere. */
export function homeFolder(env: Record<string, string | undefined> = process.env, platform: NodeJS.Platform = process.platform): string {
  return (platform === 'win32' ? env.USERPROFILE : env.HOME) || homedir();
}

/**
 * `$PULUMI_CREDENTIALS_PATH`, else `$PULUMI_HOME`, else `.pulumi` in the home folder; the file is
 * credentials.json. `path` and `home` are the platform's (tests pass `path.win32` or `path.posix`).
 */
export function credentialsFilePath(env: Record<string, string | undefined> = process.env, path: Pick<PlatformPath, 'join'> = nodePath, home: string = homeFolder(env)): string {
  const folder = env.PULUMI_CREDENTIALS_PATH || env.PULUMI_HOME || path.join(home, '.pulumi');
  return path.join(folder, 'credentials.json');
}

interface CredentialsFile {
  current?: string;
  accessTokens?: Record<string, string>;
  accounts?: Record<string, { accessToken?: string; [key: string]: unknown }>;
  [key: string]: unknown;
}

export interface LogoutResult {
  path: string;
  /** The file a symlinked `path` points to (cleaned there, so the link stays valid); '' when missing. */
  target?: string;
  /** URLs whose entries held one of our tokens, removed and verified gone. */
  removed: string[];
  fileDeleted: boolean;
  /** No token was left, but the file is a symlink's target: rewritten without tokens, not deleted. */
  emptied?: true;
  currentCleared: boolean;
  /** Why the file could not be checked or cleaned: our token may still be in it. */
  warning?: string;
}

/**
 * Removes every entry holding one of our tokens, as `pulumi logout` would, and keeps other
 * accounts' entries. Deletes a plain file when no token is left; a symlink's target is rewritten
 * in place instead (atomically, mode kept). A removal is reported only once a re-read shows our
 * tokens gone. Never throws: problems come back as `warning`. Idempotent.
 */
export function removeTokensFromCredentials(path: string, hashes: string[]): LogoutResult {
  const result: LogoutResult = { path, removed: [], fileDeleted: false, currentCleared: false };
  if (!hashes.length) return result;
  const fail = (problem: string): LogoutResult => ({
    path,
    target: result.target,
    removed: [],
    fileDeleted: false,
    currentCleared: false,
    warning: `${problem}; the Pulumi token may still be in it`,
  });

  let file = path;
  let stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    return code(error) === 'ENOENT' ? result : fail(`Could not read ${path} (${code(error)})`);
  }
  if (stats.isSymbolicLink()) {
    try {
      file = realpathSync(path);
    } catch (error) {
      // A dangling link: there is no file, so no token on disk.
      if (code(error) === 'ENOENT') return { ...result, target: '' };
      return fail(`Could not follow the symlink ${path} (${code(error)})`);
    }
    result.target = file;
  }

  // Nothing of ours in it: no lock needed (its folder may not even be writable).
  if (!tokensStillIn(file, (token) => typeof token === 'string' && hashes.includes(tokenHash(token)))) return result;
  try {
    return withLock(file, () => cleanUnderLock(path, file, hashes, result, fail));
  } catch (error) {
    return fail(`Could not lock ${file} (${code(error)})`);
  }
}

/**
 * One read-modify-write, under the lock (other posts wait) and compared before it lands (a writer
 * that takes no lock, such as the Pulumi CLI, makes it start over): nothing removed comes back,
 * and nothing another writer added is lost.
 */
function cleanUnderLock(path: string, file: string, hashes: string[], result: LogoutResult, fail: (problem: string) => LogoutResult): LogoutResult {
  const ours = (token: unknown) => typeof token === 'string' && hashes.includes(tokenHash(token));
  for (let attempt = 1; ; attempt++) {
    let text: string;
    let content: CredentialsFile;
    let mode: number;
    try {
      mode = statSync(file).mode & 0o777;
      text = readFileSync(file, 'utf8');
      content = parse(text);
    } catch (error) {
      if (code(error) === 'ENOENT') return result;
      // Never quote the parser's message: V8 puts a piece of the file (maybe a token) in it.
      return fail(error instanceof SyntaxError ? `${file} is not a JSON object, left it alone` : `Could not read ${file} (${code(error)})`);
    }

    const removed = new Set<string>();
    for (const [url, token] of Object.entries(content.accessTokens ?? {})) {
      if (ours(token)) {
        delete content.accessTokens![url];
        removed.add(url);
      }
    }
    for (const [url, account] of Object.entries(content.accounts ?? {})) {
      if (ours(account?.accessToken)) {
        delete content.accounts![url];
        removed.add(url);
      }
    }
    if (!removed.size) return result;
    const currentCleared = Boolean(content.current && removed.has(content.current));
    if (currentCleared) delete content.current;
    const tokensLeft = Object.keys(content.accessTokens ?? {}).length + Object.values(content.accounts ?? {}).filter((a) => a?.accessToken).length;
    let changed: boolean;
    try {
      // Through a symlink the target stays (emptied): deleting it would leave a dangling link
      // to a file that may be managed elsewhere.
      changed = tokensLeft === 0 && file === path ? !deleteIfUnchanged(path, text) : !writeIfUnchanged(file, text, JSON.stringify(content, null, 4) + '\n', mode);
    } catch (error) {
      return fail(`Could not rewrite ${file} (${code(error)})`);
    }
    if (changed) {
      if (attempt < MAX_ATTEMPTS) continue;
      return fail(`${file} kept changing while it was cleaned`);
    }
    // Another writer's stale copy may have brought it back: clean again.
    const left = tokensStillIn(path, ours);
    if (left && attempt < MAX_ATTEMPTS) continue;
    if (left) return fail(`${file} still holds ${left} after cleaning`);
    return {
      ...result,
      removed: [...removed],
      currentCleared,
      fileDeleted: tokensLeft === 0 && file === path,
      ...(tokensLeft === 0 && file !== path ? { emptied: true as const } : {}),
    };
  }
}
const MAX_ATTEMPTS = 10;

/** Deletes the file unless it no longer holds `expected`; false when it changed. */
function deleteIfUnchanged(path: string, expected: string): boolean {
  if (readOrEmpty(path) !== expected) return false;
  rmSync(path, { force: true });
  return true;
}

/** Writes `text` atomically unless the file no longer holds `expected`; false when it changed. */
function writeIfUnchanged(file: string, expected: string, text: string, mode: number): boolean {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${crypto().randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
    chmodSync(temp, mode); // the umask may have narrowed it; never wider than the original
    // Compared as late as possible: the window left is one rename.
    if (readOrEmpty(file) !== expected) {
      rmSync(temp, { force: true });
      return false;
    }
    renameSync(temp, file);
    return true;
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function readOrEmpty(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** A lock older than this, or whose process is gone, was left by a post that died holding it. */
export const STALE_LOCK_MS = 5_000;

/**
 * Runs `fn` holding `<file>.lock` (created with O_EXCL; it holds pid, host and time), so posts of
 * concurrent jobs on one HOME clean the file one at a time. A stale lock is taken over.
 */
function withLock<T>(file: string, fn: () => T): T {
  const lock = `${file}.lock`;
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() });
  for (let waited = 0; ;) {
    try {
      writeFileSync(lock, mine, { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if (code(error) !== 'EEXIST') throw error;
    }
    const held = readOrEmpty(lock);
    if (held !== undefined && isStale(lock, held)) {
      // Only the lock judged stale is removed; a fresh one written meanwhile is left alone.
      if (readOrEmpty(lock) === held) rmSync(lock, { force: true });
      continue;
    }
    if (waited > 2 * STALE_LOCK_MS) throw Object.assign(new Error('lock held too long'), { code: 'ELOCKED' });
    const pause = 2 + Math.floor(Math.random() * 8);
    sleepSync(pause);
    waited += pause;
  }
  try {
    return fn();
  } finally {
    if (readOrEmpty(lock) === mine) rmSync(lock, { force: true });
  }
}

function isStale(lock: string, held: string): boolean {
  let age: number;
  try {
    age = Date.now() - statSync(lock).mtimeMs;
  } catch {
    return false; // gone: the next create succeeds
  }
  if (age > STALE_LOCK_MS || age < -STALE_LOCK_MS) return true;
  let owner: { pid?: unknown; host?: unknown };
  try {
    owner = JSON.parse(held) as typeof owner;
  } catch {
    return false; // being written, or left half-written: stale once old enough
  }
  if (owner.host !== hostname() || typeof owner.pid !== 'number') return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return code(error) === 'ESRCH';
  }
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Re-reads what the Pulumi CLI would read: '' when none of our tokens is left. */
function tokensStillIn(path: string, ours: (token: unknown) => boolean): string {
  let content: CredentialsFile;
  try {
    content = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return code(error) === 'ENOENT' ? '' : 'content that could not be read back';
  }
  const found = Object.values(content.accessTokens ?? {}).some(ours) || Object.values(content.accounts ?? {}).some((a) => ours(a?.accessToken));
  return found ? 'our token' : '';
}

function parse(text: string): CredentialsFile {
  const value: unknown = JSON.parse(text);
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new SyntaxError('not a JSON object');
  return value as CredentialsFile;
}

const code = (error: unknown): string => (error as NodeJS.ErrnoException)?.code ?? (error instanceof Error ? error.message : String(error));
