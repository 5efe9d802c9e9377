// What the runner derives before starting a step: the action's manifest
// (inputs, defaults, runs.*), the INPUT_* variables, the github context
// variables and the event payload.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load as loadYaml } from 'js-yaml';

export const DEFAULT_REPOSITORY = 'acme/infra';
export const DEFAULT_SHA = '3f9a1c27e5b04d86a1f2c3e4d5b6a7980c1d2e3f';
export const DEFAULT_MERGE_SHA = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d';
export const DEFAULT_PR_HEAD_SHA = '5c4b3a2f1e0d9e8d7c6b5a4f3e2d1c0b9a8f7e6d';
export const DEFAULT_PR_NUMBER = 7;

/** Reads action.yml (or action.yaml) from `actionDir`. */
export function loadManifest(actionDir) {
  let text;
  let file = join(actionDir, 'action.yml');
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    file = join(actionDir, 'action.yaml');
    text = readFileSync(file, 'utf8');
  }
  const doc = loadYaml(text) ?? {};
  const runs = doc.runs ?? {};
  const inputs = {};
  for (const [name, spec] of Object.entries(doc.inputs ?? {})) {
    const def = spec?.default;
    inputs[name] = {
      required: spec?.required === true,
      // The runner gives an input without a default an empty value.
      default: def == null ? '' : String(def),
    };
  }
  return {
    file,
    name: doc.name,
    inputs,
    outputs: Object.keys(doc.outputs ?? {}),
    using: runs.using,
    main: runs.main,
    post: runs.post,
    postIf: runs['post-if'] ?? 'always()',
    pre: runs.pre,
  };
}

/** `stack-name` -> `INPUT_STACK-NAME`; spaces become `_`, hyphens stay. */
export function inputEnvName(name) {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export function fakeGitHubToken() {
  return `ghs_emulated${randomBytes(15).toString('hex')}`;
}

// Defaults may use `${{ github.X }}` expressions; resolve the ones an action might use.
function expandDefault(value, github) {
  return value
    .replace(/\$\{\{\s*github\.([A-Za-z_]+)\s*\}\}/g, (m, key) => {
      if (!(key in github)) throw new Error(`runner emulator: unsupported expression in an input default: ${m}`);
      return github[key];
    })
    .replace(/\$\{\{[^}]*\}\}/g, (m) => {
      throw new Error(`runner emulator: unsupported expression in an input default: ${m}`);
    });
}

/**
 * Merges user inputs over manifest defaults. Returns the values, the
 * INPUT_* env and the names the manifest does not declare (the runner warns).
 */
export function resolveInputs(manifest, userInputs = {}, github = {}) {
  const values = {};
  for (const [name, spec] of Object.entries(manifest.inputs)) values[name] = expandDefault(spec.default, github);
  const unexpected = [];
  for (const [name, v] of Object.entries(userInputs)) {
    if (v === undefined || v === null) continue;
    if (!(name in manifest.inputs)) unexpected.push(name);
    values[name] = typeof v === 'string' ? v : String(v);
  }
  const env = {};
  for (const [name, v] of Object.entries(values)) env[inputEnvName(name)] = v;
  return { values, env, unexpected };
}

/** Evaluates runs.post-if: always()/success()/failure()/cancelled(), `!`, `&&`, `||`. */
export function evaluatePostIf(expr, status) {
  const text = String(expr ?? 'always()')
    .replace(/^\s*\$\{\{|\}\}\s*$/g, '')
    .trim();
  const fns = {
    'always()': true,
    'success()': !status.cancelled && !status.failed,
    'failure()': !status.cancelled && status.failed,
    'cancelled()': status.cancelled,
  };
  return text.split('||').some((alt) =>
    alt.split('&&').every((term) => {
      let t = term.trim();
      let negate = false;
      while (t.startsWith('!')) {
        negate = !negate;
        t = t.slice(1).trim();
      }
      if (!(t in fns)) throw new Error(`runner emulator: unsupported post-if expression: ${expr}`);
      return negate ? !fns[t] : fns[t];
    }),
  );
}

function repoObject(repository) {
  const [owner, name] = repository.split('/');
  return {
    id: 123456789,
    name,
    full_name: repository,
    private: true,
    owner: { login: owner, id: 987654, type: 'Organization' },
    html_url: `https://github.com/${repository}`,
    clone_url: `https://github.com/${repository}.git`,
    default_branch: 'main',
  };
}

/** Fills in a plausible payload for push/pull_request when the caller gave none. */
export function defaultEventPayload(name, repository) {
  const repo = repoObject(repository);
  const sender = { login: 'octocat', id: 583231, type: 'User' };
  if (name === 'push') {
    return { ref: 'refs/heads/main', before: '0'.repeat(40), after: DEFAULT_SHA, repository: repo, sender, head_commit: { id: DEFAULT_SHA, message: 'Update infra' } };
  }
  if (name === 'pull_request' || name === 'pull_request_target') {
    const n = DEFAULT_PR_NUMBER;
    return {
      action: 'synchronize',
      number: n,
      pull_request: {
        number: n,
        html_url: `https://github.com/${repository}/pull/${n}`,
        head: { ref: 'feature/infra', sha: DEFAULT_PR_HEAD_SHA, repo },
        base: { ref: 'main', sha: DEFAULT_SHA, repo },
        user: sender,
      },
      repository: repo,
      sender,
    };
  }
  if (name === 'workflow_dispatch') return { inputs: {}, ref: 'refs/heads/main', repository: repo, sender };
  return { repository: repo, sender };
}

/** GITHUB_REF / GITHUB_SHA / head and base refs as the runner derives them from the event. */
export function refsFor(name, payload) {
  const pr = payload.pull_request;
  if ((name === 'pull_request' || name === 'pull_request_target') && pr) {
    const n = pr.number ?? payload.number ?? DEFAULT_PR_NUMBER;
    const target = name === 'pull_request_target';
    return {
      ref: target ? `refs/heads/${pr.base?.ref ?? 'main'}` : `refs/pull/${n}/merge`,
      refName: target ? (pr.base?.ref ?? 'main') : `${n}/merge`,
      sha: target ? (pr.base?.sha ?? DEFAULT_SHA) : DEFAULT_MERGE_SHA,
      headRef: pr.head?.ref ?? '',
      baseRef: pr.base?.ref ?? '',
    };
  }
  const ref = typeof payload.ref === 'string' && payload.ref.startsWith('refs/') ? payload.ref : 'refs/heads/main';
  return {
    ref,
    refName: ref.replace(/^refs\/(heads|tags)\//, ''),
    sha: (name === 'push' && payload.after) || DEFAULT_SHA,
    headRef: '',
    baseRef: '',
  };
}
