// The two slow faults, in their own file so they run beside the rest of the suite.
import { describe, expect, it } from 'vitest';
import { printFaultTable, runCase, type FaultCase } from '../support/fault-suite.js';

printFaultTable();

const CASES: FaultCase[] = [
  {
    // Time-scaled 10x, the request timeout is its floor of 5 s.
    name: 'logs answer slower than the per-request timeout',
    cloudFaults: [{ endpoint: 'logs', calls: [3], delayMs: 6_000 }],
    survives: true,
    check: (run) => expect(run.jobLog).toMatch(/Reading the deployment logs failed: GET \S+ got no complete answer within 5 s; retrying/),
  },
  {
    name: 'Pulumi Cloud gone for 20 s (time-scaled: 2 s) during streaming',
    survives: true,
    onLine: (line, emu) => {
      if (line.startsWith('step 2 line 1 ')) void emu.cloud.goDown(20_000 / emu.timeScale);
    },
    check: (run) => expect(run.jobLog).toMatch(/ECONNREFUSED.*retrying/),
  },
];

describe.concurrent('slow faults (dist/ through the runner emulator)', () => {
  it.for(CASES)('$name', { timeout: 120_000 }, async (c, { expect }) => {
    const { run, emu, row } = await runCase(c);
    expect(row.ok, `${row.fault}: exit ${row.exit}, lost ${row.lost}, duplicated ${row.duplicated}\n${run.jobLog.slice(-3000)}`).toBe(true);
    c.check?.(run, emu);
  });
});
