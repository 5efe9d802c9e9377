import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The post step never gets the token itself; it recognises ours by this hash. */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** `$PULUMI_CREDENTIALS_PATH`, else `$PULUMI_HOME`, else `~/.pulumi`; the file is credentials.json. */
export function credentialsFilePath(env: Record<string, string | undefined> = process.env): string {
  const folder = env.PULUMI_CREDENTIALS_PATH || env.PULUMI_HOME || join(env.HOME || homedir(), '.pulumi');
  return join(folder, 'credentials.json');
}

interface CredentialsFile {
  current?: string;
  accessTokens?: Record<string, string>;
  accounts?: Record<string, { accessToken?: string; [key: string]: unknown }>;
  [key: string]: unknown;
}

export interface LogoutResult {
  path: string;
  /** URLs whose entries held one of our tokens and were removed. */
  removed: string[];
  fileDeleted: boolean;
  currentCleared: boolean;
}

/**
 * Removes every entry holding one of our tokens, as `pulumi logout` would, and keeps other
 * accounts' entries. Deletes the file when no token is left. Idempotent.
 */
export function removeTokensFromCredentials(path: string, hashes: string[]): LogoutResult {
  const result: LogoutResult = { path, removed: [], fileDeleted: false, currentCleared: false };
  if (!hashes.length || !existsSync(path)) return result;
  const file = JSON.parse(readFileSync(path, 'utf8')) as CredentialsFile;
  const ours = (token: unknown) => typeof token === 'string' && hashes.includes(tokenHash(token));
  const removed = new Set<string>();
  for (const [url, token] of Object.entries(file.accessTokens ?? {})) {
    if (ours(token)) {
      delete file.accessTokens![url];
      removed.add(url);
    }
  }
  for (const [url, account] of Object.entries(file.accounts ?? {})) {
    if (ours(account?.accessToken)) {
      delete file.accounts![url];
      removed.add(url);
    }
  }
  result.removed = [...removed];
  if (!removed.size) return result;
  if (file.current && removed.has(file.current)) {
    delete file.current;
    result.currentCleared = true;
  }
  const tokensLeft =
    Object.keys(file.accessTokens ?? {}).length + Object.values(file.accounts ?? {}).filter((a) => a?.accessToken).length;
  if (tokensLeft === 0) {
    rmSync(path, { force: true });
    result.fileDeleted = true;
  } else {
    // Write beside and rename, so a crash never leaves a half-written file.
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(file, null, 4) + '\n', { mode: 0o600 });
    renameSync(temp, path);
  }
  return result;
}
