import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HttpError } from '../../src/cloud/http.js';
import type { CreatedRun, FollowedDeployment } from '../../src/domain/outcome.js';
import {
  environmentUrl,
  finalState,
  githubDeploymentReporter,
  statusDescription,
  STATUS_DESCRIPTION_LIMIT,
  type DeploymentCalls,
  type DeploymentState,
} from '../../src/report/github-deployment.js';
import type { ReporterDeps } from '../../src/report/reporter.js';
import type { Judged } from '../../src/report/verdict.js';
import type { Clock } from '../../src/runner-io/clock.js';
import type { GitHubContext } from '../../src/runner-io/github-context.js';
import type { Log } from '../../src/runner-io/log.js';
import { SecretRegistry } from '../../src/runner-io/secrets.js';
import { emptyPlan, followedDeployment } from '../support/outcomes.js';

const ORIGIN = 'https://app.pulumi.com';
const stack = { organization: 'acme', project: 'app', stack: 'dev' };
const run: CreatedRun = { ref: { ...stack, id: 'd-1' }, consoleUrl: `${ORIGIN}/acme/app/dev/deployments/1`, version: 1 };

function followed(status: FollowedDeployment['status'], outputs?: Record<string, unknown>, preview = false): FollowedDeployment {
  return followedDeployment({ ...run, status, plans: outputs ? [emptyPlan({ preview, outputs })] : undefined });
}
const judged = (f: FollowedDeployment, ok: boolean, message = 'Deployment d-1 succeeded'): Judged => ({ outcome: { stack, end: 'followed', followed: f }, ok, message });

function recordingLog() {
  const lines: Array<[string, string]> = [];
  const log = {
    info: (m: string) => lines.push(['info', m]),
    warning: (m: string) => lines.push(['warning', m]),
    error: (m: string) => lines.push(['error', m]),
    debug: (m: string) => lines.push(['debug', m]),
  } as unknown as Log;
  return { log, lines };
}

function setup(calls: Partial<DeploymentCalls> = {}, settings: Partial<ReporterDeps['settings']> = {}) {
  const sent: Array<{ id: number; state: DeploymentState; fields: Record<string, unknown> }> = [];
  const opened: number[] = [];
  const closed: number[] = [];
  const { log, lines } = recordingLog();
  const secrets = new SecretRegistry(() => {});
  secrets.add('hunter2-secret');
  const deps: ReporterDeps = {
    settings: {
      operation: 'update',
      commentOnPr: false,
      githubEnvironment: 'production',
      environmentUrlOutput: 'url',
      consoleOrigin: ORIGIN,
      ...settings,
      stackCount: settings.stackCount ?? 1,
    },
    log,
    secrets,
    context: { repository: 'acme/infra', apiUrl: 'http://127.0.0.1:1', sha: 'a'.repeat(40) } as GitHubContext,
    clock: {} as Clock,
    state: { githubDeploymentOpened: (id) => opened.push(id), githubDeploymentClosed: (id) => closed.push(id) },
  };
  const api: DeploymentCalls = {
    create: async () => 7,
    setStatus: async (id, state, fields) => void sent.push({ id, state, fields }),
    ...calls,
  };
  return { reporter: githubDeploymentReporter(deps, async () => api), sent, opened, closed, lines };
}

describe('github-environment reporter', () => {
  it('is in progress with the console link once created, then success with the environment URL', async () => {
    const { reporter, sent, opened, closed } = setup();
    reporter.created!(run);
    await reporter.finished([judged(followed('succeeded', { url: 'https://app.example/x' }), true)]);
    expect(sent.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(sent[0]!.fields.log_url).toBe(run.consoleUrl);
    expect(sent[1]!.fields.environment_url).toBe('https://app.example/x');
    expect(opened).toEqual([7]);
    expect(closed).toEqual([7]);
  });

  it('says failure, error or inactive as the verdict does', () => {
    expect(finalState(judged(followed('failed'), false), 'update')).toBe('failure');
    expect(finalState(judged(followed('unknown'), false), 'update')).toBe('error');
    expect(finalState(judged(followed('succeeded'), true), 'destroy')).toBe('inactive');
    expect(finalState(judged(followed('succeeded'), false), 'update')).toBe('error');
    expect(finalState({ outcome: { stack, end: 'error', run, error: new Error('x') }, ok: false, message: 'x' }, 'update')).toBe('error');
  });

  it('does nothing at all when github-environment is empty', async () => {
    const { reporter, sent } = setup({}, { githubEnvironment: undefined });
    reporter.created?.(run);
    await reporter.finished([judged(followed('succeeded'), true)]);
    expect(sent).toEqual([]);
  });

  it('a 403 or 404 gives one warning naming deployments: write; the verdict is untouched', async () => {
    for (const status of [403, 404]) {
      const refused = () => Promise.reject(new HttpError('POST /repos/acme/infra/deployments', { kind: 'status', status, body: {} }));
      const { reporter, sent, lines } = setup({ create: refused });
      reporter.created!(run);
      reporter.created!({ ...run, ref: { ...run.ref, id: 'd-2' } });
      await expect(reporter.finished([judged(followed('succeeded'), true)])).resolves.toBeUndefined();
      const warnings = lines.filter(([kind]) => kind === 'warning');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]![1]).toContain('deployments: write');
      expect(sent).toEqual([]);
    }
  });

  it('sends an environment URL only when the output is an http(s) URL with no credentials or secret', () => {
    const redact = (t: string) => t.replaceAll('hunter2', '***');
    const url = (value: unknown, preview = false) => environmentUrl(judged(followed('succeeded', { url: value }, preview), true), 'url', redact);
    expect(url('https://ok.example/')).toBe('https://ok.example/');
    expect(url('http://ok.example:8080/a')).toBe('http://ok.example:8080/a');
    for (const bad of [
      'javascript:alert(1)',
      'https://u:p@x.example',
      'ftp://x.example',
      '[secret]',
      'https://x.example/hunter2',
      'https://x.example/\n::stop-commands::x',
      42,
      { a: 1 },
      '',
    ])
      expect(url(bad)).toBeUndefined();
    expect(url('https://ok.example/', true)).toBeUndefined(); // a preview deploys nothing
  });

  it('never sends a description over 140 characters, a line break or a secret, whatever the message', () => {
    const secrets = new SecretRegistry(() => {});
    secrets.add('hunter2-secret');
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.string({ maxLength: 400 }), (before, after) => {
        const text = statusDescription(`${before}hunter2-secret${after}`, (t) => secrets.redactForPost(t));
        expect(text.length).toBeLessThanOrEqual(STATUS_DESCRIPTION_LIMIT);
        expect(text).not.toMatch(/[\r\n\u0000-\u001f]/);
        expect(text).not.toContain('hunter2-secret');
      }),
    );
  });

  it('leaves a deployment handed over with wait: false in progress', async () => {
    const { reporter, sent, closed } = setup();
    reporter.created!(run);
    await reporter.finished([{ outcome: { stack, end: 'not-waited', run, status: 'running' }, ok: true, message: '' }]);
    expect(sent.map((s) => s.state)).toEqual(['in_progress']);
    expect(closed).toEqual([]);
  });
});

describe('the GitHub deployments handed to post', () => {
  it('main writes the ones still open; post reads back only positive integer ids', async () => {
    const { PostStateWriter, readPostState } = await import('../../src/runner-io/state.js');
    const saved: Record<string, string> = {};
    const writer = new PostStateWriter((name, value) => (saved[name] = value));
    writer.githubDeploymentOpened(7);
    writer.githubDeploymentOpened(8);
    writer.githubDeploymentClosed(7);
    expect(readPostState((name) => saved[name] ?? '').githubDeployments).toEqual([8]);
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const state = readPostState((name) => (name === 'github-deployments' ? JSON.stringify(value) : ''));
        for (const id of state.githubDeployments) expect(Number.isSafeInteger(id) && id > 0).toBe(true);
      }),
    );
    const bad = readPostState((name) => (name === 'github-deployments' ? '["../../x", 1]' : ''));
    expect(bad.githubDeployments).toEqual([]);
    expect(bad.problems).toEqual(['github-deployments: not a list of deployment ids']);
  });
});
