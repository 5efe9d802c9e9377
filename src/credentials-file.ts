import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import nodePath, { basename, dirname, join, type PlatformPath } from 'node:path';

/** The post step never gets the token itself; it recognises ours by this hash. */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

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

  let content: CredentialsFile;
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
    content = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    // Never quote the parser's message: V8 puts a piece of the file (maybe a token) in it.
    return fail(error instanceof SyntaxError ? `${file} is not a JSON object, left it alone` : `Could not read ${file} (${code(error)})`);
  }

  const ours = (token: unknown) => typeof token === 'string' && hashes.includes(tokenHash(token));
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
  if (content.current && removed.has(content.current)) {
    delete content.current;
    result.currentCleared = true;
  }
  const tokensLeft = Object.keys(content.accessTokens ?? {}).length + Object.values(content.accounts ?? {}).filter((a) => a?.accessToken).length;
  try {
    // Through a symlink the target stays (emptied): deleting it would leave a dangling link
    // to a file that may be managed elsewhere.
    if (tokensLeft === 0 && file === path) {
      rmSync(path, { force: true });
      result.fileDeleted = true;
    } else {
      writeAtomically(file, JSON.stringify(content, null, 4) + '\n', mode);
      if (tokensLeft === 0) result.emptied = true;
    }
  } catch (error) {
    return fail(`Could not rewrite ${file} (${code(error)})`);
  }
  const left = tokensStillIn(path, ours);
  if (left) return fail(`${file} still holds ${left} after cleaning`);
  result.removed = [...removed];
  return result;
}

/** Writes beside the file and renames over it, so a crash never leaves it half-written. */
function writeAtomically(file: string, text: string, mode: number): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
    chmodSync(temp, mode); // the umask may have narrowed it; never wider than the original
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

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
