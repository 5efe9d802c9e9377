// What the runner derives before starting a step: the action's manifest
// (inputs, defaults, runs.*), the INPUT_* variables, the github context
// variables and the event payload.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import {
  PUBLIC_API,
  mergeGroupPayload,
  pullRequestPayload,
  pushPayload,
  repository as repositoryObject,
  simpleUser,
  userRecord,
  workflowDispatchPayload,
} from '../github/objects.mjs';

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

/**
 * The payload GitHub sends for an event when the caller gave none: every field its webhook
 * schema requires (a pull request from the same repository; the GitHub stand-in's
 * pullRequestEvent gives those it knows, forks too). `api` is the REST API the URLs point at.
 */
export function defaultEventPayload(name, repository, api = PUBLIC_API) {
  if (name === 'push') return pushPayload(api, repository, { after: DEFAULT_SHA });
  if (name === 'pull_request' || name === 'pull_request_target') {
    const now = Date.now();
    const pull = {
      repo: repository,
      number: DEFAULT_PR_NUMBER,
      headSha: DEFAULT_PR_HEAD_SHA,
      headRef: 'feature/infra',
      headRepo: repository,
      baseSha: DEFAULT_SHA,
      baseRef: 'main',
      createdAt: now,
      updatedAt: now,
    };
    return pullRequestPayload(api, pull);
  }
  if (name === 'merge_group') return mergeGroupPayload(api, repository, { headSha: DEFAULT_MERGE_SHA, baseSha: DEFAULT_SHA, number: DEFAULT_PR_NUMBER });
  if (name === 'workflow_dispatch') return workflowDispatchPayload(api, repository);
  return { repository: repositoryObject(api, repository), sender: simpleUser(api, userRecord('octocat')) };
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
  const group = payload.merge_group;
  if (name === 'merge_group' && group?.head_ref) {
    return { ref: group.head_ref, refName: group.head_ref.replace(/^refs\/heads\//, ''), sha: group.head_sha ?? DEFAULT_SHA, headRef: '', baseRef: '' };
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
