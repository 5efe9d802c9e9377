// The two slow faults, in their own file so they run beside the rest of the suite.
import { describe, expect, it } from 'vitest';
import { printFaultTable, runCase, type FaultCase } from '../support/fault-suite.js';

printFaultTable();

const CASES: FaultCase[] = [
  {
    name: 'logs answer slower than the 30 s per-attempt timeout',
    cloudFaults: [{ endpoint: 'logs', calls: [3], delayMs: 33_000 }],
    survives: true,
    check: (run) => expect(run.jobLog).toMatch(/Reading the deployment logs failed: GET \S+ got no complete answer within 30 s; retrying/),
  },
  {
    name: 'Pulumi Cloud gone for 20 s during streaming',
    survives: true,
    onLine: (line, emu) => {
      if (line.startsWith('step 2 line 1 ')) void emu.cloud.goDown(20_000);
    },
    check: (run) => expect(run.jobLog).toMatch(/ECONNREFUSED.*retrying/),
  },
];

describe('slow faults (dist/ through the runner emulator)', () => {
  it.each(CASES)('$name', { timeout: 120_000 }, async (c) => {
    const { run, emu, row } = await runCase(c);
    expect(row.ok, `${row.fault}: exit ${row.exit}, lost ${row.lost}, duplicated ${row.duplicated}\n${run.jobLog.slice(-3000)}`).toBe(true);
    c.check?.(run, emu);
  });
});
