// The README's workflow snippets, run as the runner runs them (see test/unit/readme-snippets.test.ts).
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { load } from 'js-yaml';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
export const manifest = load(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as { outputs: Record<string, unknown> };

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
}

/** Every step with a `run:` in the README's yaml blocks, with the ids of the action's steps before it. */
export function readmeRunSteps(): { run: string; env: Record<string, string> }[] {
  const steps: { run: string; env: Record<string, string> }[] = [];
  for (const [, block] of readme.matchAll(/```yaml\n([\s\S]*?)```/g)) {
    const doc = load(block!);
    const lists: Step[][] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) {
        if (node.some((s) => s && typeof s === 'object' && ('uses' in s || 'run' in s))) lists.push(node as Step[]);
        node.forEach(walk);
      } else if (node && typeof node === 'object') Object.values(node).forEach(walk);
    };
    walk(doc);
    for (const list of lists) for (const step of list) if (step.run) steps.push({ run: step.run, env: step.env ?? {} });
  }
  return steps;
}

/** A runner expression over step outputs: `steps.<id>.outputs.<name>`, optionally through `fromJSON(...).<key>`. */
export function evaluate(expression: string, outputs: Record<string, string>): string {
  const inner = /^\$\{\{\s*(.*?)\s*\}\}$/.exec(expression)?.[1];
  if (inner === undefined) return expression;
  const json = /^fromJSON\(steps\.[\w-]+\.outputs\.([\w-]+)\)\.([\w-]+)$/.exec(inner);
  if (json) {
    const value = (JSON.parse(outputs[json[1]!] ?? 'null') as Record<string, unknown> | null)?.[json[2]!];
    return value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  }
  const plain = /^steps\.[\w-]+\.outputs\.([\w-]+)$/.exec(inner);
  if (plain) return outputs[plain[1]!] ?? '';
  throw new Error(`the README uses an expression this test does not know: ${expression}`);
}

/** Runs a script as `shell: bash` does (bash -e), with the canary file as the thing a payload would make. */
export function runBash(script: string, env: Record<string, string>, dir: string) {
  return spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir, ...env },
    encoding: 'utf8',
    timeout: 5_000,
  });
}

/** The file a payload makes when it executes. */
export const CANARY = 'pwned';

/** Runs every README `run:` step with env set from `outputs` as the runner would; true when nothing executed. */
export function runReadmeSnippets(outputs: Record<string, string>, dir: string): { status: number | null; stderr: string }[] {
  return readmeRunSteps().map((step) => {
    const env = Object.fromEntries(Object.entries(step.env).map(([name, value]) => [name, evaluate(value, outputs)]));
    const result = runBash(step.run, env, dir);
    return { status: result.status, stderr: result.stderr };
  });
}
