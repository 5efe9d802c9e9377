// The README's own workflow snippets, run as the runner runs them: `${{ }}` is pasted into the
// text before the shell reads it, so an output may reach a script only through `env:`. Every
// output gets shell metacharacters; nothing may execute.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CANARY, evaluate, manifest, readmeRunSteps, runBash } from '../support/readme-snippets.js';

/** Shell payloads that create the canary file when they execute. */
const payload = fc.oneof(
  fc.constantFrom(
    `$(touch ${CANARY})`,
    `\`touch ${CANARY}\``,
    `"; touch ${CANARY}; "`,
    `'; touch ${CANARY}; '`,
    `\ntouch ${CANARY}\n`,
    `$(touch\${IFS}${CANARY})`,
    `\\"; touch ${CANARY} #`,
  ),
  fc.array(fc.constantFrom('$(', ')', '`', '"', "'", ';', '\n', '\\', `touch ${CANARY}`, ' ', '|', '&'), { maxLength: 8 }).map((parts) => parts.join('')),
);
/** What a hostile service could try to put in each output, as JSON where the output is JSON. */
const hostileOutputs = fc.record({ text: payload, key: payload }).map(({ text, key }) => {
  const values: Record<string, string> = {};
  for (const name of Object.keys(manifest.outputs)) values[name] = text;
  values['resource-changes'] = JSON.stringify({ create: 1, [key]: 2 });
  values.outputs = JSON.stringify({ url: text, [key]: text });
  return values;
});

describe('README snippets', () => {
  const steps = readmeRunSteps();

  it('has run: steps that read outputs, and none puts ${{ }} inside a script', () => {
    expect(steps.filter((s) => Object.values(s.env).some((v) => v.includes('outputs.'))).length).toBeGreaterThanOrEqual(2);
    for (const step of steps) expect(step.run).not.toContain('${{');
  });

  it('run with shell metacharacters in every output, nothing executes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'readme-snippets-'));
    try {
      fc.assert(
        fc.property(hostileOutputs, (outputs) => {
          for (const step of steps) {
            const env = Object.fromEntries(Object.entries(step.env).map(([name, value]) => [name, evaluate(value, outputs)]));
            const result = runBash(step.run, env, dir);
            expect(result.status, result.stderr).toBe(0);
            expect(existsSync(join(dir, CANARY))).toBe(false);
          }
        }),
        { numRuns: 60 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the check can fail: the same outputs pasted as ${{ }} into a script do execute', () => {
    const dir = mkdtempSync(join(tmpdir(), 'readme-snippets-'));
    try {
      const outputs = { 'resource-changes': `$(touch ${CANARY})` };
      const pasted = 'echo "changes: ${{ steps.preview.outputs.resource-changes }}"'.replace(/\$\{\{[^}]*\}\}/, (e) => evaluate(e, outputs));
      runBash(pasted, {}, dir);
      expect(existsSync(join(dir, CANARY))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
