#!/usr/bin/env node
// Starts the GitHub and Pulumi Cloud emulators, prints their URLs as one JSON line on stdout
// and runs until SIGINT/SIGTERM. Used by `npm run demo` and by people trying the action.
//
//   node emulators/start.mjs [--github-port N] [--cloud-port N] [--scenario quickSuccess|manySteps:5000|...]
//                            [--stack org/project/stack]... [--time-scale N] [--log-page-size N]
//                            [--max-token-lifetime SECONDS] [--faults '<JSON array of rules>']
import { parseArgs } from 'node:util';
import { startGitHubEmulator } from './github/server.mjs';
import { startPulumiCloudEmulator } from './pulumi-cloud/server.mjs';
import { scenarioByName } from './pulumi-cloud/scenarios.mjs';

const { values } = parseArgs({
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
});

if (values.help) {
  process.stdout.write(`${(await import('node:fs')).readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(1, 7).join('\n')}\n`);
  process.exit(0);
}

const number = (name) => {
  const n = Number(values[name]);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number`);
  return n;
};

const gh = await startGitHubEmulator({ port: number('github-port') });
const cloud = await startPulumiCloudEmulator({
  port: number('cloud-port'),
  issuer: { issuer: gh.url, jwksUrl: gh.jwksUrl },
  stacks: values.stack?.length ? values.stack : undefined,
  scenario: scenarioByName(values.scenario),
  timeScale: number('time-scale') || 1,
  logPageSize: number('log-page-size') || 200,
  maxTokenLifetimeSeconds: number('max-token-lifetime') || 7200,
  faults: values.faults ? JSON.parse(values.faults) : [],
});

process.stdout.write(`${JSON.stringify({
  github: gh.url,
  idTokenRequestUrl: gh.idTokenRequestUrl,
  idTokenRequestToken: gh.idTokenRequestToken,
  jwksUrl: gh.jwksUrl,
  githubApiUrl: gh.apiUrl,
  pulumiCloud: cloud.url,
})}\n`);

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`emulators: ${signal}, shutting down\n`);
  await Promise.allSettled([cloud.close(), gh.close()]);
  process.exit(0);
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
