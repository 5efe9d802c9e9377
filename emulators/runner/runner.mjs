// Local stand-in for the GitHub Actions runner: runs an action's committed
// bundle (runs.main, then runs.post) as separate node processes with the env,
// file commands, stdout commands, masking and cancellation of the real runner.
// Contract: docs/ARCHITECTURE.md ("emulators/runner/runner.mjs").
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_REPOSITORY, defaultEventPayload, evaluatePostIf, fakeGitHubToken, loadManifest, refsFor, resolveInputs } from './action-context.mjs';
import { createFileCommandFiles, readFileCommands } from './file-commands.mjs';
import { JobLog, SecretMasker } from './job-log.mjs';
import { CANCEL_GRACE_MS, createLineSplitter, runStep } from './step-process.mjs';

export { CANCEL_GRACE_MS, createCanceller, createLineSplitter } from './step-process.mjs';
export { SecretMasker, parseCommand, parseLegacy, parseV2 } from './job-log.mjs';
export { parseKeyValueFile } from './file-commands.mjs';
export { inputEnvName } from './action-context.mjs';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function nodeVersionOf(node) {
  if (node === process.execPath) return process.version;
  try {
    return execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

function isTrue(v) {
  return (
    String(v ?? '')
      .trim()
      .toLowerCase() === 'true'
  );
}

/**
 * The summary GitHub shows: FileCommandManager's CreateStepSummaryCommand reads the file with
 * StreamReader.ReadLine, masks each line and writes it back with a `\n` after every line.
 */
export function maskSummary(summary, masker) {
  if (!summary) return '';
  const lines = [];
  const splitter = createLineSplitter((l) => lines.push(masker.mask(l)));
  splitter.push(summary);
  splitter.end();
  return lines.map((l) => `${l}\n`).join('');
}

/** The env every step gets before inputs and file commands: a clean runner env, nothing from the parent but PATH. */
function contextEnv({ repository, eventName, eventPath, refs, dirs, actionDir, debug, parentPath }) {
  const [owner] = repository.split('/');
  const env = {
    PATH: parentPath,
    HOME: dirs.home,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
    GITHUB_REPOSITORY: repository,
    GITHUB_REPOSITORY_OWNER: owner,
    GITHUB_REPOSITORY_ID: '123456789',
    GITHUB_REPOSITORY_OWNER_ID: '987654',
    GITHUB_SHA: refs.sha,
    GITHUB_REF: refs.ref,
    GITHUB_REF_NAME: refs.refName,
    GITHUB_REF_TYPE: refs.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    GITHUB_REF_PROTECTED: 'false',
    GITHUB_HEAD_REF: refs.headRef,
    GITHUB_BASE_REF: refs.baseRef,
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKFLOW: 'Deploy',
    GITHUB_WORKFLOW_REF: `${repository}/.github/workflows/deploy.yml@${refs.ref}`,
    GITHUB_WORKFLOW_SHA: refs.sha,
    GITHUB_JOB: 'deploy',
    GITHUB_RUN_ID: '4242424242',
    GITHUB_RUN_NUMBER: '17',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RETENTION_DAYS: '90',
    GITHUB_ACTION: '__self',
    GITHUB_ACTION_PATH: actionDir,
    GITHUB_ACTION_REPOSITORY: '',
    GITHUB_ACTION_REF: '',
    GITHUB_ACTOR: 'octocat',
    GITHUB_ACTOR_ID: '583231',
    GITHUB_TRIGGERING_ACTOR: 'octocat',
    GITHUB_WORKSPACE: dirs.workspace,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'GitHub Actions 2',
    RUNNER_ENVIRONMENT: 'github-hosted',
    RUNNER_TEMP: dirs.temp,
    RUNNER_TOOL_CACHE: dirs.toolCache,
    RUNNER_WORKSPACE: dirname(dirs.workspace),
    ImageOS: 'ubuntu24',
  };
  if (debug) env.RUNNER_DEBUG = '1';
  return env;
}

/**
 * Runs an action like the GitHub Actions runner: main, then post (post-if).
 * @param {import('./runner.d.mts').RunActionOptions} [options]
 * @returns {Promise<import('./runner.d.mts').RunResult>}
 */
export async function runAction(options = {}) {
  const actionDir = resolve(options.actionDir ?? REPO_ROOT);
  const manifest = loadManifest(actionDir);
  if (manifest.using !== 'node24') {
    throw new Error(`runner emulator: ${manifest.file}: runs.using is '${manifest.using}', expected 'node24'`);
  }
  if (!manifest.main) throw new Error(`runner emulator: ${manifest.file}: runs.main is missing`);
  const userEnv = Object.fromEntries(
    Object.entries(options.env ?? {})
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => [k, String(v)]),
  );
  const node = options.node ?? process.execPath;
  const grace = options.cancelGraceMs ?? CANCEL_GRACE_MS;
  const debug = isTrue(userEnv.ACTIONS_STEP_DEBUG) || options.debug === true;

  // Work dir: HOME, RUNNER_TEMP, the tool cache, the workspace and every file-command file live here.
  const workDir = mkdtempSync(join(options.tmpDir ?? tmpdir(), 'runner-emu-'));
  const dirs = {
    home: join(workDir, 'home'),
    temp: join(workDir, 'temp'),
    toolCache: join(workDir, 'tool-cache'),
    workspace: options.workspace ? resolve(options.workspace) : join(workDir, 'work', 'infra', 'infra'),
    fileCommands: join(workDir, 'temp', '_runner_file_commands'),
  };
  for (const d of [dirs.home, dirs.temp, dirs.toolCache, dirs.workspace, dirs.fileCommands]) mkdirSync(d, { recursive: true });

  // The event: payload given, read from a file, or a plausible default.
  const repository = userEnv.GITHUB_REPOSITORY ?? DEFAULT_REPOSITORY;
  const eventName = options.event?.name ?? 'push';
  const payload =
    options.event?.payload ?? (options.event?.path ? JSON.parse(readFileSync(options.event.path, 'utf8')) : defaultEventPayload(eventName, repository, userEnv.GITHUB_API_URL));
  const eventPath = join(workDir, 'temp', '_github_workflow', 'event.json');
  mkdirSync(dirname(eventPath), { recursive: true });
  writeFileSync(eventPath, JSON.stringify(payload, null, 2));
  const refs = refsFor(eventName, payload);

  // The job's secret masker: the runner masks github.token and the OIDC request token from the start.
  const masker = new SecretMasker();
  const githubToken = userEnv.GITHUB_TOKEN ?? fakeGitHubToken();
  masker.add(githubToken);
  if (userEnv.ACTIONS_ID_TOKEN_REQUEST_TOKEN) masker.add(userEnv.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
  for (const s of options.secrets ?? []) masker.add(s);
  const log = new JobLog({
    masker,
    debug,
    onLine: options.onJobLogLine,
    allowUnsecureStopTokens: isTrue(userEnv.ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS),
  });

  const base = contextEnv({
    repository,
    eventName,
    eventPath,
    refs,
    dirs,
    actionDir,
    debug,
    parentPath: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
  });
  const inputs = resolveInputs(manifest, options.inputs ?? {}, {
    token: githubToken,
    repository,
    sha: base.GITHUB_SHA,
    ref: base.GITHUB_REF,
    server_url: base.GITHUB_SERVER_URL,
    api_url: base.GITHUB_API_URL,
    event_name: eventName,
    run_id: base.GITHUB_RUN_ID,
    workspace: dirs.workspace,
    actor: base.GITHUB_ACTOR,
  });

  const stepLabel = options.uses ?? './';
  const runOne = async (step, extraEnv, prependPaths, cancelOpts) => {
    const fc = createFileCommandFiles(dirs.fileCommands);
    const env = { ...base, ...extraEnv.exported, ...inputs.env, ...fc.env, ...extraEnv.state, ...userEnv };
    if (prependPaths.length) env.PATH = [...prependPaths].reverse().join(delimiter) + delimiter + env.PATH;
    log.beginStep(step, step === 'main' ? `Run ${stepLabel}` : `Post Run ${stepLabel}`);
    if (step === 'main' && inputs.unexpected.length) {
      const valid = Object.keys(manifest.inputs)
        .map((n) => `'${n}'`)
        .join(', ');
      log.issue('warning', `Unexpected input(s) ${inputs.unexpected.map((n) => `'${n}'`).join(', ')}, valid inputs are [${valid}]`);
    }
    const script = resolve(actionDir, step === 'main' ? manifest.main : manifest.post);
    const r = await runStep({
      node,
      script,
      env,
      cwd: dirs.workspace,
      grace,
      timeoutMs: options.timeoutMs,
      detached: options.detached,
      ...cancelOpts,
      onLine: (stream, text, at, atEpochMs) => {
        if (stream === 'stdout') options.onStdoutLine?.(text, at, { step, atEpochMs });
        log.processLine(text, stream);
      },
    });
    if (!r.started) {
      log.issue('error', `runner emulator: could not start ${node} ${script}: ${r.spawnError?.message}`);
    }
    const files = readFileCommands(fc.files);
    for (const w of files.warnings) log.issue('warning', w);
    for (const e of files.errors) {
      log.issue('error', e.kind === 'summary' ? e.message : `Unable to process file command '${e.kind}' successfully.`);
      if (e.kind !== 'summary') log.issue('error', e.message);
    }
    if (r.timedOut) log.issue('error', `The action has timed out (runner emulator timeoutMs ${options.timeoutMs} ms).`);
    if (r.cancelledAt !== null) log.issue('error', 'The operation was canceled.');
    log.endStep();
    return {
      ...r,
      env,
      files: fc.files,
      fileContents: files.raw,
      // Deprecated ::set-output:: / ::save-state:: apply first; the files are read after the process, so they win.
      outputs: { ...log.commandOutputs, ...files.outputs },
      state: { ...log.commandState, ...files.state },
      exportedEnv: files.exportedEnv,
      paths: files.paths,
      summary: files.summary,
      summaryShown: files.summaryTooLarge ? '' : maskSummary(files.summary, masker),
      fileCommandErrors: files.errors,
      commandFailed: log.commandFailed,
    };
  };

  const cancelOpts = {};
  if (options.cancelAfterMs != null) cancelOpts.cancelAfterMs = options.cancelAfterMs;
  if (options.cancelWhen) cancelOpts.cancelWhen = options.cancelWhen;
  if (options.canceller) cancelOpts.canceller = options.canceller;
  const main = await runOne('main', { exported: {}, state: {} }, [], cancelOpts);

  const cancelled = main.cancelledAt !== null;
  const failed = !main.started || main.exitCode !== 0 || main.commandFailed || main.fileCommandErrors.length > 0;
  let post = null;
  let postSkipped = null;
  if (options.runPost === false) postSkipped = 'runPost is false';
  else if (!manifest.post) postSkipped = 'the action has no runs.post';
  else if (!main.started) postSkipped = 'the main step did not start';
  else if (!evaluatePostIf(manifest.postIf, { cancelled, failed })) postSkipped = `post-if '${manifest.postIf}' is false`;
  else {
    // As on the runner: GITHUB_ENV and GITHUB_PATH from main apply to later steps; state comes back as STATE_*.
    const stateEnv = Object.fromEntries(Object.entries(main.state).map(([k, v]) => [`STATE_${k}`, v]));
    // A cancel does not stop post (it runs because of always()); only a skip-ahead does, or
    // `cancelPost`: the runner cancels a running post step (a second cancel, the job's
    // cancel-timeout) with the same SIGINT, 7.5 s, SIGTERM, 2.5 s, kill as any step.
    const postCancel = options.canceller ? { canceller: options.canceller, onlyEscalate: true } : {};
    if (options.cancelPost) {
      const { afterMs, when, graceMs } = options.cancelPost;
      if (afterMs != null) postCancel.cancelAfterMs = afterMs;
      if (when) postCancel.cancelWhen = when;
      if (graceMs) postCancel.grace = graceMs;
    }
    post = await runOne('post', { exported: main.exportedEnv, state: stateEnv }, main.paths, postCancel);
  }

  const steps = [main, post].filter(Boolean);
  const allBytesWritten = steps
    .map((s) => [s.stdout, s.stderr, s.fileContents.output, s.fileContents.env, s.fileContents.state, s.fileContents.path, s.fileContents.summary].join('\n'))
    .join('\n');

  return {
    actionDir,
    using: manifest.using,
    node,
    nodeVersion: nodeVersionOf(node),
    manifest,
    inputs: inputs.values,
    githubToken,
    event: { name: eventName, path: eventPath, payload },
    main,
    post,
    postSkipped,
    cancelled,
    exitCode: main.exitCode,
    outputs: main.outputs,
    exportedEnv: { ...main.exportedEnv, ...(post?.exportedEnv ?? {}) },
    state: main.state,
    paths: [...main.paths, ...(post?.paths ?? [])],
    summary: steps.map((s) => s.summary).join(''),
    summaryShown: steps.map((s) => s.summaryShown).join(''),
    masks: [...log.masks],
    mask: (text) => masker.mask(text),
    annotations: log.annotations,
    jobLogEntries: log.entries,
    jobLog: log.toString(),
    allBytesWritten,
    workDir,
    home: main.env.HOME,
    workspace: dirs.workspace,
    cleanup: () => rmSync(workDir, { recursive: true, force: true }),
  };
}
