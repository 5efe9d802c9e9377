// The fault-suite machinery shared by the fault test files: run one fault case end to end
// through dist/ and the runner emulator, account for every log line, and print a table.
import { afterAll, expect } from 'vitest';
import { scenarios, type Scenario } from '../../emulators/pulumi-cloud/scenarios.mjs';
import type { FaultRule } from '../../emulators/pulumi-cloud/server.mjs';
import { startProxy } from '../../emulators/proxy/proxy.mjs';
import type { RunResult } from '../../emulators/runner/runner.mjs';
import { runE2E, startEmulators, type Emulators } from './harness.js';
import { findLeaks } from './secret-scan.js';

export interface FaultCase {
  name: string;
  scenario?: Scenario;
  cloudFaults?: FaultRule[];
  githubFaults?: FaultRule[];
  inputs?: Record<string, string>;
  maxTokenLifetimeSeconds?: number;
  /** Called with each stdout line of main (to inject a fault mid-stream). */
  onLine?: (line: string, emu: Emulators) => void;
  /** Route the Pulumi traffic through a local proxy. */
  proxy?: boolean;
  /** Emulator and action clock speed (default FAULT_TIME_SCALE); 1 for cases about real token lifetimes. */
  timeScale?: number;
  survives: boolean;
  check?: (run: RunResult, emu: Emulators) => void;
}

interface Row {
  fault: string;
  ok: boolean;
  exit: number | null;
  lost: number;
  duplicated: number;
  requests: number;
  seconds: string;
}
const rows: Row[] = [];

/** Prints the table of every case run in this file, after the file's tests. */
export function printFaultTable(): void {
  afterAll(() => {
    const header = ['fault', 'as expected', 'exit', 'lines lost', 'lines duplicated', 'requests', 'time (s)'];
    const lines = rows.map((r) => [r.fault, r.ok ? 'yes' : 'NO', String(r.exit), String(r.lost), String(r.duplicated), String(r.requests), r.seconds]);
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
    const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
    console.log(['', fmt(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(fmt)].join('\n'));
  });
}

export const SECRET = 'fault-suite-secret-value-9f8e7d';
export const first = (n: number[]) => n;
/** The exact message, followed by the service's request id. */
export const withRequestId = (message: string, after = '') => new RegExp(`^${escape(message)} \\(request id [0-9a-f-]{36}\\)${escape(after)}$`);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Lines the emulator served vs lines on the action's stdout (multiset). */
function lineAccounting(run: RunResult, emu: Emulators): { lost: number; duplicated: number } {
  const d = [...emu.cloud.deployments.values()].at(-1);
  if (!d) return { lost: 0, duplicated: 0 };
  const want = new Map<string, number>();
  for (const l of d.lines) if (l.header === undefined && l.text.trim() !== '') want.set(l.text, (want.get(l.text) ?? 0) + 1);
  const got = new Map<string, number>();
  for (const l of run.main.lines) if (want.has(l.text)) got.set(l.text, (got.get(l.text) ?? 0) + 1);
  let lost = 0;
  let duplicated = 0;
  for (const [text, n] of want) {
    const seen = got.get(text) ?? 0;
    if (seen < n) lost += n - seen;
    if (seen > n) duplicated += seen - n;
  }
  return { lost, duplicated };
}

/**
 * The fault cases run 10x faster than real time: the emulator's scenarios, and the action's
 * polling, retry waits and budgets (PULUMI_DEPLOY_ACTION_TIME_SCALE, loopback only).
 */
export const FAULT_TIME_SCALE = 10;

export async function runCase(c: FaultCase): Promise<{ run: RunResult; emu: Emulators; row: Row }> {
  const timeScale = c.timeScale ?? FAULT_TIME_SCALE;
  const emu = await startEmulators(
    { scenario: c.scenario ?? scenarios.manySteps(600, { durationMs: 3000, steps: 3 }), faults: c.cloudFaults, maxTokenLifetimeSeconds: c.maxTokenLifetimeSeconds, timeScale },
    { faults: c.githubFaults },
  );
  const proxy = c.proxy ? await startProxy() : undefined;
  const started = Date.now();
  try {
    const cloudUrl = proxy ? emu.cloud.url.replace('127.0.0.1', 'pulumi.localhost') : emu.cloud.url;
    const run = await runE2E(emu, {
      inputs: { stack: 'app/dev', operation: 'update', 'secret-env': `DB_PASSWORD=${SECRET}`, 'cloud-url': cloudUrl, ...c.inputs },
      env: proxy ? { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url } : {},
      onStdoutLine: (line, _at, info) => info.step === 'main' && c.onLine?.(line, emu),
    });
    const { lost, duplicated } = lineAccounting(run, emu);
    const ok = c.survives ? run.exitCode === 0 && lost === 0 && duplicated === 0 : run.exitCode === 1;
    const row: Row = {
      fault: c.name,
      ok,
      exit: run.exitCode,
      lost,
      duplicated,
      requests: emu.cloud.requests.length + emu.github.requests.length,
      seconds: ((Date.now() - started) / 1000).toFixed(1),
    };
    rows.push(row);
    const tokens = emu.cloud.issuedTokens.map((t) => t.token);
    expect(findLeaks(run, [SECRET, ...tokens], { output: ['pulumi-access-token'], env: ['PULUMI_ACCESS_TOKEN'] })).toEqual([]);
    if (proxy) (run as RunResult & { proxied?: unknown }).proxied = proxy.requests;
    return { run, emu, row };
  } finally {
    await proxy?.close();
    await emu.close();
  }
}
