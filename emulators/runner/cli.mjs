#!/usr/bin/env node
// Runs the action (main + post) through the runner emulator and prints the
// job log live, then its outputs and exported env (masked). Exits with main's code.
//
//   node emulators/runner/cli.mjs --input organization=acme --input dry-run=true \
//     --env ACTIONS_ID_TOKEN_REQUEST_URL=... [--event-name pull_request --event-path event.json]
//     [--action-dir DIR] [--no-post] [--cancel-after-ms N] [--timeout-ms N] [--keep]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runAction } from './runner.mjs';

const USAGE = `usage: node emulators/runner/cli.mjs [--input name=value]... [--env NAME=value]...
  [--event-name NAME] [--event-path FILE] [--action-dir DIR] [--no-post]
  [--cancel-after-ms N] [--timeout-ms N] [--keep]`;

function pairs(list, flag) {
  const out = {};
  for (const item of list ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new Error(`${flag} expects name=value, got '${item}'`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

function show(value) {
  return /[\r\n]/.test(value) ? JSON.stringify(value) : value;
}

async function main() {
  const { values } = parseArgs({
    options: {
      input: { type: 'string', multiple: true },
      env: { type: 'string', multiple: true },
      'event-name': { type: 'string' },
      'event-path': { type: 'string' },
      'action-dir': { type: 'string' },
      'no-post': { type: 'boolean' },
      'cancel-after-ms': { type: 'string' },
      'timeout-ms': { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const event = { name: values['event-name'] ?? 'push' };
  if (values['event-path']) event.payload = JSON.parse(readFileSync(values['event-path'], 'utf8'));

  const run = await runAction({
    actionDir: values['action-dir'],
    inputs: pairs(values.input, '--input'),
    env: pairs(values.env, '--env'),
    event,
    runPost: !values['no-post'],
    cancelAfterMs: values['cancel-after-ms'] ? Number(values['cancel-after-ms']) : undefined,
    timeoutMs: values['timeout-ms'] ? Number(values['timeout-ms']) : undefined,
    onJobLogLine: (line) => process.stdout.write(`${line}\n`),
  });

  const section = (title, obj) => {
    const keys = Object.keys(obj);
    console.log(`\n── ${title} (${keys.length}) ──`);
    for (const k of keys) console.log(`${k}=${run.mask(show(obj[k]))}`);
  };
  section('outputs', run.outputs);
  section('exported env', run.exportedEnv);
  const exit = run.main.timedOut || run.main.exitCode === null ? 1 : run.main.exitCode;
  console.log(`\nmain exit code: ${run.main.exitCode ?? run.main.signal}${run.post ? `, post exit code: ${run.post.exitCode ?? run.post.signal}` : ''}`);
  if (values.keep) console.log(`work dir kept: ${run.workDir}`);
  else run.cleanup();
  return exit;
}

main().then(
  (code) => { process.exitCode = code; },
  (err) => {
    console.error(`runner emulator: ${err.message}\n${USAGE}`);
    process.exitCode = 2;
  },
);
