import type { RunResult } from '../../emulators/runner/runner.mjs';

export interface Leak {
  secret: string;
  where: string;
  context: string;
}

/**
 * Every place a secret appears in what the action wrote, except where it must: inside
 * `::add-mask::` commands, and the allowed file-command entries (the masked token output,
 * PULUMI_ACCESS_TOKEN in GITHUB_ENV when exporting).
 */
export function findLeaks(run: RunResult, secrets: string[], allowed: { output?: string[]; env?: string[] } = {}): Leak[] {
  const leaks: Leak[] = [];
  const steps = [
    ['main', run.main],
    ['post', run.post],
  ] as const;
  for (const [name, step] of steps) {
    if (!step) continue;
    const sources: [string, string][] = [
      [
        `${name} stdout`,
        step.stdout
          .split('\n')
          .filter((line) => !line.startsWith('::add-mask::'))
          .join('\n'),
      ],
      [`${name} stderr`, step.stderr],
      [`${name} GITHUB_STATE`, step.fileContents.state],
      [`${name} GITHUB_PATH`, step.fileContents.path],
      [`${name} GITHUB_STEP_SUMMARY`, step.fileContents.summary],
      [`${name} GITHUB_OUTPUT`, withoutEntries(step.fileContents.output, allowed.output ?? [])],
      [`${name} GITHUB_ENV`, withoutEntries(step.fileContents.env, allowed.env ?? [])],
    ];
    for (const [where, text] of sources) {
      for (const secret of secrets) {
        const at = text.indexOf(secret);
        if (at >= 0) leaks.push({ secret, where, context: text.slice(Math.max(0, at - 60), at + secret.length + 20) });
      }
    }
  }
  return leaks;
}

/** Drops `name<<DELIM ... DELIM` and `name=value` entries of the given names from a file-command file. */
function withoutEntries(text: string, names: string[]): string {
  if (!names.length) return text;
  const lines = text.split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc && names.includes(heredoc[1]!)) {
      while (i < lines.length && lines[i] !== heredoc[2]) i++;
      continue;
    }
    const plain = /^([^=]+)=/.exec(line);
    if (plain && names.includes(plain[1]!)) continue;
    kept.push(line);
  }
  return kept.join('\n');
}
