// A fresh GITHUB_OUTPUT file for each test of an in-process reporter, read back as the runner
// would (both file-command forms), then emptied.
import { afterEach, beforeEach } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseKeyValueFile } from '../../emulators/runner/runner.mjs';

export function useOutputFile(): () => Record<string, string> {
  let dir: string;
  let saved: string | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'outputs-'));
    saved = process.env.GITHUB_OUTPUT;
    process.env.GITHUB_OUTPUT = join(dir, 'output');
    writeFileSync(process.env.GITHUB_OUTPUT, '');
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.GITHUB_OUTPUT;
    else process.env.GITHUB_OUTPUT = saved;
    rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const file = process.env.GITHUB_OUTPUT!;
    const values = parseKeyValueFile(readFileSync(file, 'utf8'));
    writeFileSync(file, '');
    return values;
  };
}
