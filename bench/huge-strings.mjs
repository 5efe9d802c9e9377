#!/usr/bin/env node
// Only the bench's huge-strings budget, for working on it without the whole bench: runs the
// committed dist/ with short strings, then with huge ones, `--runs N` times (default 1), and
// prints the peak RSS growth of each pair against the budget.
//
//   node bench/huge-strings.mjs [--runs N]
import { loadavg } from 'node:os';
import { HUGE_STRINGS, hugeStringsRun, mb } from './lib.mjs';

const argv = process.argv.slice(2);
const runsAt = argv.indexOf('--runs');
const runs = runsAt < 0 ? 1 : Number(argv[runsAt + 1]);
if (!Number.isSafeInteger(runs) || runs < 1 || argv.length !== (runsAt < 0 ? 0 : 2)) {
  console.error('usage: node bench/huge-strings.mjs [--runs N]');
  process.exit(2);
}
const { events, bytes, shortBytes, growthMaxMb } = HUGE_STRINGS;
console.log(`${events} event pages with one ${mb(bytes / 1024)} string each, over short strings; budget <= +${growthMaxMb} MB`);
let failed = 0;
for (let i = 1; i <= runs; i++) {
  const load = loadavg()[0].toFixed(2);
  const short = await hugeStringsRun(shortBytes);
  const huge = await hugeStringsRun(bytes);
  const growthKb = (huge.usage?.maxRssKb ?? NaN) - (short.usage?.maxRssKb ?? NaN);
  const pass = growthKb <= growthMaxMb * 1024 && short.exitCode === 0 && huge.exitCode === 0;
  if (!pass) failed++;
  console.log(
    `run ${i}: +${mb(growthKb)} (${mb(huge.usage?.maxRssKb)} vs ${mb(short.usage?.maxRssKb)}), exit ${huge.exitCode}/${short.exitCode}, ` +
      `event requests ${huge.eventRequests}, load ${load} -> ${loadavg()[0].toFixed(2)}: ${pass ? 'PASS' : 'FAIL'}`,
  );
}
process.exitCode = failed ? 1 : 0;
