import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintWorkflow, permissionFindings, unpinnedActions, validateActionYml } from '../../scripts/lint-workflows.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const workflowDir = join(root, '.github/workflows');
const workflows = readdirSync(workflowDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => join(workflowDir, f));
const CHECKOUT = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lint-workflows-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

describe("the project's own workflows and action.yml", () => {
  it('have no actionlint findings', { timeout: 60_000 }, async () => {
    expect(workflows.length).toBeGreaterThanOrEqual(3);
    for (const workflow of workflows) expect(await lintWorkflow(workflow), workflow).toEqual([]);
  });
  it('pin every action to a commit SHA', () => {
    for (const workflow of workflows) expect(unpinnedActions(workflow), workflow).toEqual([]);
  });
  it('set permissions per job and check out without persisting credentials', () => {
    for (const workflow of workflows) expect(permissionFindings(workflow), workflow).toEqual([]);
  });
  it('action.yml is valid by the SchemaStore github-action schema', () => {
    expect(validateActionYml(join(root, 'action.yml'))).toEqual([]);
  });
});

describe('they fail on a broken file', () => {
  const ok = `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${CHECKOUT}\n`;

  it('actionlint reports an unknown context property and an unknown step key', { timeout: 60_000 }, async () => {
    expect(await lintWorkflow(file('ok.yml', ok))).toEqual([]);
    const findings = await lintWorkflow(file('broken.yml', `${ok}      - run: echo \${{ github.no_such_property }}\n        shel: bash\n`));
    expect(findings.map((f) => f.message).join('\n')).toMatch(/no_such_property[\s\S]*\[expression\]/);
    expect(findings.map((f) => f.message).join('\n')).toMatch(/shel[\s\S]*\[syntax-check\]/);
    expect(findings[0]).toMatchObject({ line: 8 });
  });

  it('an action by tag or branch, or a SHA without its version comment, is unpinned', () => {
    const uses = [
      'actions/checkout@v4',
      'actions/checkout@main',
      'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1',
      "'actions/checkout@3d3c42e'  # v7.0.1",
      'github/codeql-action/init@v4 # v4.36.2',
    ];
    for (const use of uses) expect(unpinnedActions(file('unpinned.yml', `${ok}      - uses: ${use}\n`)), use).toHaveLength(1);
    expect(unpinnedActions(file('local.yml', `${ok}      - uses: ./\n      - uses: "${CHECKOUT.split(' ')[0]}" # v7.0.1\n`))).toEqual([]);
  });

  it('a workflow without permissions, a job without its own, or a checkout that keeps credentials is refused', () => {
    expect(permissionFindings(file('ok.yml', ok.replace('    runs-on', '    permissions: {}\n    runs-on') + '        with:\n          persist-credentials: false\n'))).toEqual([]);
    const messages = permissionFindings(file('loose.yml', ok.replace('permissions: {}\n', ''))).map((f) => f.message);
    expect(messages).toEqual([
      'the workflow sets no top-level permissions: (use permissions: {} and grant per job) [permissions]',
      "job 'a' sets no permissions: [permissions]",
      "job 'a' step 1: actions/checkout without persist-credentials: false [permissions]",
    ]);
  });

  it('the schema refuses a misspelt key, an unknown runtime and a missing description', () => {
    const action = readFileSync(join(root, 'action.yml'), 'utf8');
    const broken = action.replace('using: node24', 'using: node99').replace(/^( {2}organization:\n)/m, '$1    requird: true\n');
    const messages = validateActionYml(file('action.yml', broken)).map((f) => f.message);
    expect(messages).toContain("/inputs/organization must NOT have additional properties: 'requird' [schema]");
    expect(messages.some((m) => m.startsWith('/runs/using must be equal to one of the allowed values'))).toBe(true);
    expect(validateActionYml(file('no-description.yml', 'name: x\nruns:\n  using: node24\n  main: a.js\n')).map((f) => f.message)).toEqual([
      "/ must have required property 'description' [schema]",
    ]);
    expect(validateActionYml(file('not-yaml.yml', 'name: [x\n'))[0]?.message).toMatch(/^not YAML/);
  });
});
