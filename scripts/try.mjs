#!/usr/bin/env node
// npm run try -- --input operation=preview [--input name=value]... [--scenario NAME] [--event pull_request]
// Starts fresh GitHub and Pulumi Cloud stand-ins, runs the built action (dist/) through the runner
// emulator with organization, cloud-url and the ID-token env filled in, prints the job log live,
// then outputs, job summary and PR comments, and stops everything. Ctrl-C cancels like the runner.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EVENTS = ['push', 'pull_request', 'workflow_dispatch'];

const HELP = `Try the action against fresh local stand-ins (nothing leaves this machine).

usage: npm run try -- [options]

options:
  --input name=value   an action input (repeat). Filled in unless given: organization=acme,
                       cloud-url=<the Pulumi Cloud stand-in>, and stack=infra/dev when operation is set
  --scenario NAME      what the deployment does (default previewWithChanges); see
                       node emulators/start.mjs --help for the list
  --event NAME         ${EVENTS.join(' | ')} (default push); pull_request enables PR comments
  --debug              ACTIONS_STEP_DEBUG=true (shows ::debug:: lines)
  --dry-run            print what would run, start nothing
  -h, --help           this help

examples:
  npm run try                                               # log in only (no operation)
  npm run try -- --input operation=preview
  npm run try -- --input operation=preview --input comment-on-pr=true --event pull_request
  npm run try -- --input operation=update --scenario failsInUpdateStep

Needs a built dist/ (npm run build). Ctrl-C cancels like the runner; post still runs.
`;

class UsageError extends Error {}

function parse(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        input: { type: 'string', multiple: true },
        scenario: { type: 'string', default: 'previewWithChanges' },
        event: { type: 'string', default: 'push' },
        debug: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(err.message);
  }
  const inputs = {};
  for (const item of values.input ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--input expects name=value, got '${item}'`);
    inputs[item.slice(0, eq)] = item.slice(eq + 1);
  }
  if (!EVENTS.includes(values.event)) throw new UsageError(`--event must be one of ${EVENTS.join(', ')}, got '${values.event}'`);
  return { ...values, inputs };
}

async function main() {
  const args = parse(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const { loadManifest, DEFAULT_REPOSITORY, defaultEventPayload, refsFor } = await import('../emulators/runner/action-context.mjs');
  const { scenarioByName } = await import('../emulators/pulumi-cloud/scenarios.mjs');
  const manifest = loadManifest(root);
  const unknown = Object.keys(args.inputs).filter((n) => !(n in manifest.inputs));
  if (unknown.length) throw new UsageError(`unknown input '${unknown[0]}' (action.yml has: ${Object.keys(manifest.inputs).join(', ')})`);
  let scenario;
  try {
    scenario = scenarioByName(args.scenario);
  } catch (err) {
    throw new UsageError(err.message);
  }
  if (!existsSync(join(root, manifest.main))) throw new UsageError(`${manifest.main} is missing: run npm run build first`);

  const inputs = { organization: 'acme', ...args.inputs };
  if (inputs.operation && !inputs.stack) inputs.stack = 'infra/dev';
  const stackPath = inputs.stack?.split('/').length === 3 ? inputs.stack : `${inputs.organization}/${inputs.stack || 'infra/dev'}`;
  const payload = defaultEventPayload(args.event, DEFAULT_REPOSITORY);
  const refs = refsFor(args.event, payload);
  const plan = `stack ${stackPath}, scenario ${scenario.name}, event ${args.event}, inputs ${JSON.stringify({ ...inputs, 'cloud-url': '<stand-in>' })}`;
  if (args['dry-run']) {
    process.stdout.write(`dry run: would start the GitHub and Pulumi Cloud stand-ins and run ${manifest.main} with ${plan}\n`);
    return 0;
  }

  const { defaultClaims } = await import('../emulators/github/server.mjs');
  const { startStandIns } = await import('../emulators/stand-ins.mjs');
  const { runAction } = await import('../emulators/runner/runner.mjs');
  const { exitCodeOf, installCtrlC, printReport } = await import('../emulators/runner/interactive.mjs');
  const say = (s) => process.stdout.write(`${s}\n`);

  // The ID token describes the same run as the runner env (repository, ref, event).
  const [, repo] = DEFAULT_REPOSITORY.split('/');
  const sub = args.event === 'pull_request' ? `repo:${DEFAULT_REPOSITORY}:pull_request` : `repo:${DEFAULT_REPOSITORY}:ref:${refs.ref}`;
  const standIns = await startStandIns({
    github: {
      claims: {
        ...defaultClaims({ repo }),
        sub,
        event_name: args.event,
        ref: refs.ref,
        sha: refs.sha,
        workflow_ref: `${DEFAULT_REPOSITORY}/.github/workflows/deploy.yml@${refs.ref}`,
        job_workflow_ref: `${DEFAULT_REPOSITORY}/.github/workflows/deploy.yml@${refs.ref}`,
      },
    },
    cloud: { stacks: [stackPath], scenario },
  });
  const { github, cloud } = standIns;
  let run;
  const ctrlC = installCtrlC();
  try {
    say(`── stand-ins: GitHub ${github.url}, Pulumi Cloud ${cloud.url}; ${plan} ──`);
    run = await runAction({
      actionDir: root,
      inputs: { ...inputs, 'cloud-url': inputs['cloud-url'] ?? cloud.url },
      env: { ...standIns.env, ...(args.debug ? { ACTIONS_STEP_DEBUG: 'true' } : {}) },
      event: { name: args.event, payload },
      canceller: ctrlC.canceller,
      detached: true,
      onJobLogLine: (line) => say(line),
    });
    ctrlC.uninstall();
    printReport(run);
    // Nothing masks what is posted to GitHub: show it as posted.
    for (const c of github.comments) say(`\n── PR comment on ${c.repo}#${c.issueNumber} ──\n${c.body}`);
    return exitCodeOf(run);
  } finally {
    ctrlC.uninstall();
    run?.cleanup();
    await standIns.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`try: ${err.message}${err instanceof UsageError ? ' (see npm run try -- --help)' : ''}\n`);
    process.exitCode = 2;
  },
);
