#!/usr/bin/env node
// The login section of bench/bench.mjs alone, with more runs: a login-only step of ours against the
// official login action (bench/peers/) and an empty action (the floor), interleaved through the
// runner emulator. For working on login speed; bench/bench.mjs --check is what gates it.
//
//   node bench/login.mjs [--runs N]   (default 21)
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { emptyAction, minOf, maxOf, ms, ratio, tempDir, timeLogins } from './lib.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '21' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs takes a whole number >= 1, got ${values.runs}\nusage: node bench/login.mjs [--runs N]`);
  process.exit(2);
}

const empty = tempDir('bench-empty-action-');
const [floor, ours, peer] = await timeLogins(
  [
    { name: 'empty action (floor)', actionDir: emptyAction(empty.dir), inputs: {} },
    { name: 'ours', actionDir: ROOT, inputs: {} },
    {
      name: 'pulumi/auth-actions v2.1.0',
      actionDir: join(ROOT, 'bench/peers/pulumi-auth-actions'),
      inputs: { 'requested-token-type': 'urn:pulumi:token-type:access_token:organization' },
    },
  ],
  runs,
);
empty.cleanup();
for (const r of [floor, ours, peer]) {
  const toExchange = r.toExchangeMs.length ? `; spawn -> exchange request ${ms(r.medianToExchangeMs)}` : '';
  console.log(`${r.name.padEnd(28)} median ${ms(r.medianMs).padStart(7)} (min ${ms(minOf(r.wallMs))}, max ${ms(maxOf(r.wallMs))}; exit ${r.exitCodes.join('/')})${toExchange}`);
}
console.log(`ratio ours / peer: ${ratio(ours.medianMs / peer.medianMs)} (medians of ${runs}, interleaved)`);
