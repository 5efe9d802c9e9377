#!/usr/bin/env node
// Starts the GitHub and Pulumi Cloud emulators, prints their URLs as one JSON line on stdout
// and runs until SIGINT/SIGTERM. Used by `npm run demo` and by people trying the action.
// `--help` explains the flags; a bad flag or value gets one line on stderr and exit 2.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { scenarioByName, scenarios } from './pulumi-cloud/scenarios.mjs';

const SCENARIO_ARGS = { manySteps: ':LINES[:DURATION_MS[:STEPS]]', longRunning: ':MS[:LINE_EVERY_MS]', queuedSilently: ':MS' };

export function scenarioList() {
  return Object.keys(scenarios)
    .map((n) => `${n}${SCENARIO_ARGS[n] ?? ''}`)
    .join(', ');
}

const HELP = `Local stand-ins for GitHub (OIDC issuer + issue comments API) and Pulumi Cloud.

usage: node emulators/start.mjs [options]

Prints one JSON line with the URLs (github, idTokenRequestUrl, idTokenRequestToken, jwksUrl,
githubApiUrl, pulumiCloud), then serves until Ctrl-C.

options:
  --github-port N            port of the GitHub stand-in (default 0: any free port)
  --cloud-port N             port of the Pulumi Cloud stand-in (default 0)
  --scenario NAME            what every deployment does (default quickSuccess)
  --stack ORG/PROJECT/STACK  a stack that exists (repeat; default acme/app/dev)
  --time-scale N             run scenario timings N times faster (default 1)
  --log-page-size N          log lines per page (default 200)
  --max-token-lifetime S     cap of issued access tokens, seconds (default 7200)
  --faults JSON              fault rules, e.g. '[{"endpoint":"token","status":500,"times":1}]'
                             (endpoints: token, user, create, get, logs, updates, cancel, idtoken, comments)
  -h, --help                 this help

scenarios: ${scenarioList()}

examples:
  node emulators/start.mjs
  node emulators/start.mjs --scenario previewWithChanges --stack acme/app/dev --stack acme/app/prod
  node emulators/start.mjs --scenario manySteps:5000 --time-scale 10
  npm run try -- --input operation=preview      (starts these, runs the action, stops them)
`;

class UsageError extends Error {}

function number(values, name) {
  const n = Number(values[name]);
  if (values[name] === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a non-negative number, got '${values[name]}'`);
  return n;
}

/** Parses and checks every flag before anything starts. Throws UsageError with one line. */
export function parseStartArgs(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'github-port': { type: 'string', default: '0' },
        'cloud-port': { type: 'string', default: '0' },
        scenario: { type: 'string', default: 'quickSuccess' },
        stack: { type: 'string', multiple: true },
        'time-scale': { type: 'string', default: '1' },
        'log-page-size': { type: 'string', default: '200' },
        'max-token-lifetime': { type: 'string', default: '7200' },
        faults: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(err.message);
  }
  if (values.help) return { help: true };
  let scenario;
  try {
    scenario = scenarioByName(values.scenario);
  } catch (err) {
    throw new UsageError(err.message);
  }
  for (const s of values.stack ?? []) {
    if (!/^[^/\s]+\/[^/\s]+\/[^/\s]+$/.test(s)) throw new UsageError(`--stack expects ORG/PROJECT/STACK, got '${s}'`);
  }
  let faults = [];
  if (values.faults !== undefined) {
    try {
      faults = JSON.parse(values.faults);
    } catch (err) {
      throw new UsageError(`--faults is not JSON: ${err.message}`);
    }
    if (!Array.isArray(faults)) throw new UsageError('--faults must be a JSON array of rules');
  }
  return {
    help: false,
    githubPort: number(values, 'github-port'),
    cloudPort: number(values, 'cloud-port'),
    scenario,
    stacks: values.stack?.length ? values.stack : undefined,
    timeScale: number(values, 'time-scale') || 1,
    logPageSize: number(values, 'log-page-size') || 200,
    maxTokenLifetimeSeconds: number(values, 'max-token-lifetime') || 7200,
    faults,
  };
}

async function main() {
  const args = parseStartArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(HELP);
    return;
  }
  const { startStandIns } = await import('./stand-ins.mjs');
  const standIns = await startStandIns({
    github: { port: args.githubPort },
    cloud: {
      port: args.cloudPort,
      stacks: args.stacks,
      scenario: args.scenario,
      timeScale: args.timeScale,
      logPageSize: args.logPageSize,
      maxTokenLifetimeSeconds: args.maxTokenLifetimeSeconds,
      faults: args.faults,
    },
  });
  const { github: gh, cloud } = standIns;

  process.stdout.write(
    `${JSON.stringify({
      github: gh.url,
      idTokenRequestUrl: gh.idTokenRequestUrl,
      idTokenRequestToken: gh.idTokenRequestToken,
      jwksUrl: gh.jwksUrl,
      githubApiUrl: gh.apiUrl,
      pulumiCloud: cloud.url,
    })}\n`,
  );

  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`emulators: ${signal}, shutting down\n`);
    await standIns.close();
    process.exit(0);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

// Run only as a program (try.mjs imports parseStartArgs and scenarioList).
const invokedPath = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (invokedPath && import.meta.url === pathToFileURL(invokedPath).href) {
  main().catch((err) => {
    process.stderr.write(`emulators: ${err.message}${err instanceof UsageError ? ' (see --help)' : ''}\n`);
    process.exit(2);
  });
}
