import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HttpError } from '../../src/cloud/http.js';
import type { Diagnostic, UpdatePlan } from '../../src/domain/outcome.js';
import { batches, checkAnnotations, checkRunReporter, conclusionOf, type CheckRunCalls, type CheckRunOutput } from '../../src/report/check-run.js';
import type { ReporterDeps } from '../../src/report/reporter.js';
import type { Judged, Verdict } from '../../src/report/verdict.js';
import type { Clock } from '../../src/runner-io/clock.js';
import type { GitHubContext } from '../../src/runner-io/github-context.js';
import type { Log } from '../../src/runner-io/log.js';
import { SecretRegistry } from '../../src/runner-io/secrets.js';
import { emptyPlan, followedDeployment } from '../support/outcomes.js';

const stack = { organization: 'acme', project: 'app', stack: 'dev' };
const SECRET = 'hunter2-check-secret';

const plan = (diagnostics: Diagnostic[]): UpdatePlan => emptyPlan({ diagnostics });
function judged(diagnostics: Diagnostic[], ok = true, hasChanges: Verdict['hasChanges'] = true): Judged {
  const followed = followedDeployment({ status: ok ? 'succeeded' : 'failed', plans: [plan(diagnostics)] });
  const verdict: Verdict = { ok, message: 'm', hasChanges, contradictions: [], droppedKinds: [] };
  return { outcome: { stack, end: 'followed', followed }, ok, message: ok ? 'Deployment d-1 succeeded' : 'Deployment d-1 failed', verdict };
}

function setup(calls: Partial<CheckRunCalls> = {}) {
  const sent: Array<{ kind: 'create' | 'update'; name?: string; conclusion?: string; output: CheckRunOutput }> = [];
  const lines: Array<[string, string]> = [];
  const log = { info: (m: string) => lines.push(['info', m]), warning: (m: string) => lines.push(['warning', m]) } as unknown as Log;
  const secrets = new SecretRegistry(() => {});
  secrets.add(SECRET);
  const deps: ReporterDeps = {
    settings: { operation: 'update', stackCount: 1, commentOnPr: false, checkRun: true, consoleOrigin: 'https://app.pulumi.com' },
    log,
    secrets,
    context: { repository: 'acme/infra', apiUrl: 'http://127.0.0.1:1', sha: 'a'.repeat(40) } as GitHubContext,
    clock: {} as Clock,
  };
  const api: CheckRunCalls = {
    create: async (name, conclusion, output) => (sent.push({ kind: 'create', name, conclusion, output }), 9),
    update: async (_id, output) => void sent.push({ kind: 'update', output }),
    ...calls,
  };
  return { reporter: checkRunReporter(deps, async () => api), sent, lines };
}

const warnings = (n: number): Diagnostic[] => Array.from({ length: n }, (_, i) => ({ severity: 'warning', message: `warning ${i + 1}` }));

describe('check-run reporter', () => {
  it('sends every annotation, 50 per request: the create, then PATCHes', async () => {
    const { reporter, sent } = setup();
    await reporter.finished([judged([...warnings(120), { severity: 'error', message: 'boom', resource: 'aws:s3:Bucket b' }])]);
    expect(sent.map((s) => [s.kind, s.output.annotations!.length])).toEqual([
      ['create', 50],
      ['update', 50],
      ['update', 21],
    ]);
    expect(sent[0]!.name).toBe('Pulumi update: acme/app/dev');
    expect(sent[0]!.output.annotations![0]).toMatchObject({ annotation_level: 'failure', message: 'boom' });
    expect(sent.flatMap((s) => s.output.annotations!.map((a) => a.message)).filter((m) => m.startsWith('warning'))).toHaveLength(120);
    expect(sent[0]!.output.summary.length).toBeLessThan(65_535);
  });

  it('concludes from the verdict: neutral when the result is unknown', () => {
    expect(conclusionOf(judged([]))).toBe('success');
    expect(conclusionOf(judged([], false))).toBe('failure');
    expect(conclusionOf(judged([], true, 'unknown'))).toBe('neutral');
    expect(conclusionOf({ outcome: { stack, end: 'not-created', stop: 'timeout', createSent: true }, ok: false, message: 'x' })).toBe('failure');
  });

  it('a 403 or 404 gives one warning naming checks: write', async () => {
    for (const status of [403, 404]) {
      const { reporter, lines } = setup({ create: () => Promise.reject(new HttpError('POST /repos/acme/infra/check-runs', { kind: 'status', status, body: {} })) });
      await reporter.finished([judged(warnings(3)), judged(warnings(3))]);
      expect(lines.filter(([k]) => k === 'warning').map(([, m]) => m)).toEqual([expect.stringContaining('checks: write')]);
    }
  });

  it('batches lose nothing and hold at most 50', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 400 }), (items) => {
        const b = batches(items);
        expect(b.flat()).toEqual(items);
        expect(b.every((x) => x.length >= 1 && x.length <= 50)).toBe(true);
      }),
    );
  });

  it('hostile messages: no secret, no line break, within GitHub limits', () => {
    const secrets = new SecretRegistry(() => {});
    secrets.add(SECRET);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 })), { minLength: 1, maxLength: 20 }), (parts) => {
        const diagnostics = parts.map(([a, b]): Diagnostic => ({ severity: 'warning', message: `${a}${SECRET}${b}`, resource: `${b}${SECRET}` }));
        for (const a of checkAnnotations(judged(diagnostics), (t) => secrets.redactForPost(t))) {
          expect(a.message).not.toContain(SECRET);
          expect(a.title).not.toContain(SECRET);
          expect(a.message).not.toMatch(/[\r\n]/);
          expect(a.title.length).toBeLessThanOrEqual(255);
        }
      }),
    );
  });

  it('does nothing when check-run is false', async () => {
    const { sent } = setup();
    const off = checkRunReporter({ settings: { operation: 'update', commentOnPr: false } } as ReporterDeps);
    await off.finished([judged(warnings(3))]);
    expect(sent).toEqual([]);
  });
});
