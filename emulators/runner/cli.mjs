#!/usr/bin/env node
// Runs an action (main + post) through the runner emulator, prints the job log live, then its
// outputs, exported env and job summary (masked), and removes its temp folder.
// Ctrl-C cancels like the runner: SIGINT to the step, SIGTERM 7.5 s later, SIGKILL 2.5 s after
// that; post still runs. Ctrl-C again skips ahead. Exit code: main's, or 130 when cancelled.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { exitCodeOf, installCtrlC, printReport } from './interactive.mjs';
import { runAction } from './runner.mjs';

const USAGE = `usage: node emulators/runner/cli.mjs [options]
  --input name=value      an action input (repeat for more)
  --env NAME=value        an env var for the steps (repeat), e.g. ACTIONS_ID_TOKEN_REQUEST_URL=...
  --event-name NAME       github.event_name (default push)
  --event-path FILE       the event payload JSON (default: a plausible one)
  --action-dir DIR        folder with action.yml (default: this repository)
  --no-post               do not run runs.post
  --cancel-after-ms N     cancel main after N ms, as a cancelled workflow would
  --cancel-grace-ms A,B   grace after SIGINT and after SIGTERM (default 7500,2500)
  --timeout-ms N          kill a step that runs longer than N ms
  --tmp-dir DIR           where the temp work folder is made (default: the OS temp dir)
  --keep                  keep the work folder (its path is printed)
  -h, --help              this help`;

class UsageError extends Error {}

function pairs(list, flag) {
  const out = {};
  for (const item of list ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag} expects name=value, got '${item}'`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

function count(values, flag) {
  if (values[flag] === undefined) return undefined;
  const n = Number(values[flag]);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${flag} must be a non-negative number of ms, got '${values[flag]}'`);
  return n;
}

function grace(text) {
  if (text === undefined) return undefined;
  const parts = text.split(',').map(Number);
  if (parts.length !== 2 || parts.some((n) => !Number.isFinite(n) || n < 0)) {
    throw new UsageError(`--cancel-grace-ms expects two numbers like 7500,2500, got '${text}'`);
  }
  return { sigint: parts[0], sigterm: parts[1] };
}

function parse(argv) {
  try {
    return parseArgs({
      args: argv,
      options: {
        input: { type: 'string', multiple: true },
        env: { type: 'string', multiple: true },
        'event-name': { type: 'string' },
        'event-path': { type: 'string' },
        'action-dir': { type: 'string' },
        'no-post': { type: 'boolean' },
        'cancel-after-ms': { type: 'string' },
        'cancel-grace-ms': { type: 'string' },
        'timeout-ms': { type: 'string' },
        'tmp-dir': { type: 'string' },
        keep: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    throw new UsageError(err.message);
  }
}

async function main() {
  const values = parse(process.argv.slice(2));
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const event = { name: values['event-name'] ?? 'push' };
  if (values['event-path']) event.payload = JSON.parse(readFileSync(values['event-path'], 'utf8'));
  const options = {
    actionDir: values['action-dir'],
    inputs: pairs(values.input, '--input'),
    env: pairs(values.env, '--env'),
    event,
    runPost: !values['no-post'],
    cancelAfterMs: count(values, 'cancel-after-ms'),
    cancelGraceMs: grace(values['cancel-grace-ms']),
    timeoutMs: count(values, 'timeout-ms'),
    tmpDir: values['tmp-dir'],
  };

  const ctrlC = installCtrlC({ grace: options.cancelGraceMs });
  let run;
  try {
    run = await runAction({
      ...options,
      canceller: ctrlC.canceller,
      detached: true,
      onJobLogLine: (line) => process.stdout.write(`${line}\n`),
    });
  } finally {
    ctrlC.uninstall();
  }
  try {
    printReport(run);
  } finally {
    if (values.keep) process.stdout.write(`work dir kept: ${run.workDir}\n`);
    else run.cleanup();
  }
  return exitCodeOf(run);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    // One clear line; the usage only for usage mistakes.
    process.stderr.write(`runner emulator: ${err.message}${err instanceof UsageError ? ' (see --help)' : ''}\n`);
    process.exitCode = 2;
  },
);
