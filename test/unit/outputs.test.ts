import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { outputText } from '../../src/runner-io/outputs.js';
import { runnerLog } from '../../src/runner-io/log.js';
import { outputsReporter, publishCreated, publishOutcome, publishStackOutputs, resultsOutput } from '../../src/report/outputs.js';
import type { ReporterDeps } from '../../src/report/reporter.js';
import { judge, judgeOutcome } from '../../src/report/verdict.js';
import type { FollowedDeployment, StackOutcome, UpdatePlan } from '../../src/domain/outcome.js';
import { SecretRegistry } from '../../src/runner-io/secrets.js';
import { update } from './update-fixtures.js';
import { useOutputFile } from '../support/output-file.js';

const ORIGIN = 'https://app.pulumi.com';
const outputs = useOutputFile();

/** Strings a shell or the runner would act on, mixed with plain ones. */
const hostile = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '$(touch /tmp/pwned)',
    '`id`',
    "'; rm -rf / #",
    '"$HOME"',
    'a\nb',
    'create\r::add-mask::x',
    '${{ github.token }}',
    'constructor',
    '__proto__',
    '../x',
    'x?y=1',
    '%0a',
  ),
  fc.array(fc.constantFrom('$(', ')', '`', '"', "'", ';', '\n', '\r', '|', '&', 'create', '-', 'a', '/', '::', '%'), { maxLength: 8 }).map((parts) => parts.join('')),
);

/** What each output may hold: nothing a shell would act on, except inside JSON string values. */
const SHAPES: Record<string, RegExp> = {
  'deployment-id': /^([A-Za-z0-9][A-Za-z0-9_-]{0,127})?$/,
  'deployment-version': /^(\d+)?$/,
  'deployment-url': /^(https:\/\/app\.pulumi\.com\/[^\s$`'"()|;&<>\\]*)?$/,
  'update-url': /^(https:\/\/app\.pulumi\.com\/[^\s$`'"()|;&<>\\]*)?$/,
  'deployment-status': /^(not-started|accepted|running|failed|succeeded|skipped|unknown)$/,
  'has-changes': /^(true|false|unknown)$/,
};

function outcomeWith(fields: {
  id: string;
  consoleUrl: string;
  version: number;
  status: string;
  updateID: string;
  kind: string;
  kinds: Record<string, number>;
}): FollowedDeployment {
  return {
    ref: { organization: 'acme', project: 'app', stack: 'dev', id: fields.id },
    consoleUrl: fields.consoleUrl,
    version: fields.version,
    status: fields.status as FollowedDeployment['status'],
    finished: true,
    cancelRequested: false,
    steps: [],
    tail: [],
    linesStreamed: 0,
    updates: [
      {
        ...update({ version: fields.version, updateID: fields.updateID, resourceChanges: fields.kinds }),
        info: { ...update({ version: 1 }).info, kind: fields.kind as 'update', resourceChanges: fields.kinds },
      },
    ],
    durationMs: 1,
  };
}

describe('outputs are built from allow-listed parts', () => {
  it('every output a hostile service can reach holds only its allowed shape', () => {
    fc.assert(
      fc.property(
        fc.record({
          id: hostile,
          consoleUrl: fc.oneof(
            hostile,
            hostile.map((h) => `${ORIGIN}/acme/app/dev/deployments/${h}`),
          ),
          version: fc.oneof(fc.integer(), fc.double(), fc.constant(2 ** 53)),
          status: fc.oneof(hostile, fc.constantFrom('succeeded', 'failed')),
          updateID: hostile,
          kind: fc.constantFrom('update', 'preview'),
          kinds: fc.dictionary(hostile, fc.nat()),
        }),
        (fields) => {
          const outcome = outcomeWith(fields);
          publishCreated(outcome, ORIGIN);
          publishOutcome(outcome, judge(outcome, { failOnSkipped: false, expectNoChanges: false, timeoutSeconds: 60, operation: 'update', consoleBase: ORIGIN }), ORIGIN);
          const values = outputs();
          for (const [name, shape] of Object.entries(SHAPES)) expect(values[name], name).toMatch(shape);
          const changes = JSON.parse(values['resource-changes']!) as Record<string, unknown>;
          for (const [kind, count] of Object.entries(changes)) {
            expect(kind).toMatch(/^[a-z][a-z-]{0,39}$/);
            expect(count === true || Number.isSafeInteger(count)).toBe(true);
          }
        },
      ),
    );
  });

  it('deployment-url is a link or empty, never the sentence the log shows', () => {
    const outcome = outcomeWith({
      id: 'd1',
      consoleUrl: '(no console link: the service gave one off its console host)',
      version: 1,
      status: 'succeeded',
      updateID: 'u1',
      kind: 'update',
      kinds: {},
    });
    publishCreated(outcome, ORIGIN);
    expect(outputs()['deployment-url']).toBe('');
    publishCreated({ ...outcome, consoleUrl: `${ORIGIN}/acme/app/dev/deployments/d1` }, ORIGIN);
    expect(outputs()['deployment-url']).toBe(`${ORIGIN}/acme/app/dev/deployments/d1`);
    publishCreated({ ...outcome, consoleUrl: 'https://pulumi.corp.example/acme/app/dev/deployments/d1' }, 'https://pulumi.corp.example');
    expect(outputs()['deployment-url']).toBe('https://pulumi.corp.example/acme/app/dev/deployments/d1');
  });

  it('the stack outputs are JSON that parses, whatever they hold and whatever secrets are redacted from them', () => {
    fc.assert(
      fc.property(fc.dictionary(hostile, fc.jsonValue()), fc.array(hostile, { maxLength: 3 }), (stackOutputs, secrets) => {
        const plan = { preview: false, outputs: stackOutputs } as unknown as UpdatePlan;
        const registry = new SecretRegistry(() => {});
        for (const secret of secrets) registry.add(secret);
        publishStackOutputs([plan], (value) => registry.redactJson(value), runnerLog());
        const value = outputs().outputs;
        if (value !== undefined && value !== '') expect(() => JSON.parse(value)).not.toThrow();
      }),
    );
  });
});

describe('outputText', () => {
  it('json is the text when it parses, else empty', () => {
    expect(outputText({ kind: 'json', text: '{"enabled":true}' })).toBe('{"enabled":true}');
    expect(outputText({ kind: 'json', text: '{"enabled":***}' })).toBe('');
  });
  it('integers are non-negative safe integers', () => {
    expect(outputText({ kind: 'integer', value: 42 })).toBe('42');
    for (const bad of [-1, 1.5, 2 ** 53, '7', Number.NaN]) expect(outputText({ kind: 'integer', value: bad })).toBe('');
  });
  it('a url keeps a bare origin as given, and drops anything off the origin', () => {
    expect(outputText({ kind: 'url', value: 'https://api.pulumi.com', origin: 'https://api.pulumi.com' })).toBe('https://api.pulumi.com');
    expect(outputText({ kind: 'url', value: 'https://evil.example/x', origin: ORIGIN })).toBe('');
    expect(outputText({ kind: 'url', value: `${ORIGIN}/a$(id);b&c*'`, origin: ORIGIN })).toBe(`${ORIGIN}/a%24%28id%29%3Bb%26c%2A%27`);
    expect(outputText({ kind: 'url', value: `${ORIGIN}/a`, origin: undefined })).toBe('');
  });
  it('a token with characters no token has is never published', () => {
    expect(outputText({ kind: 'token', value: 'pul-0123abc' })).toBe('pul-0123abc');
    for (const bad of ['pul-$(id)', 'a b', 'x\n::set-env', '']) expect(() => outputText({ kind: 'token', value: bad })).toThrow(/not publishing/);
  });
});

describe('several stacks: results and the combined outputs', () => {
  const judged = (outcome: StackOutcome) => judgeOutcome(outcome, { failOnSkipped: false, expectNoChanges: false, timeoutSeconds: 60, operation: 'update', consoleBase: ORIGIN });
  const followed = (stack: string, status: string, kinds: Record<string, number>): StackOutcome => {
    const f = outcomeWith({
      id: `d-${stack}`,
      consoleUrl: `${ORIGIN}/acme/app/${stack}/deployments/d-${stack}`,
      version: 1,
      status,
      updateID: `u-${stack}`,
      kind: 'update',
      kinds,
    });
    return { stack: { organization: 'acme', project: 'app', stack }, end: 'followed', followed: { ...f, ref: { ...f.ref, stack } } };
  };
  const reporter = (stackCount: number) =>
    outputsReporter({
      settings: { operation: 'update', stackCount, commentOnPr: false, consoleOrigin: ORIGIN },
      secrets: new SecretRegistry(() => {}),
      log: runnerLog(),
    } as unknown as ReporterDeps);

  it('every stack in results; the status is the worst, has-changes true if any, the counts summed; no single deployment named', async () => {
    const r = reporter(3);
    r.created?.({ ref: { organization: 'acme', project: 'app', stack: 'net', id: 'd-net' }, consoleUrl: `${ORIGIN}/x`, version: 1 });
    await r.finished([
      judged(followed('net', 'succeeded', { create: 1, same: 2 })),
      judged(followed('db', 'failed', { update: 1 })),
      judged({ stack: { organization: 'acme', project: 'app', stack: 'app' }, end: 'skipped', because: 'fail-fast' }),
    ]);
    const out = outputs();
    expect(out['deployment-status']).toBe('failed');
    expect(out['has-changes']).toBe('true');
    // A stack that did not run has unknown changes: the sum cannot be known.
    expect(JSON.parse(out['resource-changes']!)).toEqual({ unknown: true });
    expect(out['deployment-id']).toBeUndefined();
    expect(out['deployment-url']).toBeUndefined();
    expect(out.outputs).toBeUndefined();
    const results = JSON.parse(out.results!) as Record<string, Record<string, unknown>>;
    expect(Object.keys(results)).toEqual(['acme/app/net', 'acme/app/db', 'acme/app/app']);
    expect(results['acme/app/net']).toEqual({
      status: 'succeeded',
      'deployment-id': 'd-net',
      'deployment-url': `${ORIGIN}/acme/app/net/deployments/d-net`,
      'has-changes': 'true',
      'resource-changes': expect.objectContaining({ create: 1, same: 2 }),
      outputs: null,
    });
    expect(results['acme/app/app']).toEqual({
      status: 'skipped',
      'deployment-id': '',
      'deployment-url': '',
      'has-changes': 'unknown',
      'resource-changes': { unknown: true },
      outputs: null,
    });
  });

  it('all ran without changes: false, the counts summed, succeeded', async () => {
    await reporter(2).finished([judged(followed('a', 'succeeded', { same: 2 })), judged(followed('b', 'succeeded', { same: 3 }))]);
    const out = outputs();
    expect(out['deployment-status']).toBe('succeeded');
    expect(out['has-changes']).toBe('false');
    expect(JSON.parse(out['resource-changes']!)).toMatchObject({ same: 5, create: 0 });
  });

  it('one stack keeps the singular outputs and adds results', async () => {
    const r = reporter(1);
    r.created?.({ ref: { organization: 'acme', project: 'app', stack: 'a', id: 'd-a' }, consoleUrl: `${ORIGIN}/x`, version: 1 });
    await r.finished([judged(followed('a', 'succeeded', { create: 1 }))]);
    const out = outputs();
    expect(out['deployment-id']).toBe('d-a');
    expect(out['has-changes']).toBe('true');
    expect(Object.keys(JSON.parse(out.results!) as object)).toEqual(['acme/app/a']);
  });

  it('results from a hostile service: every id and link holds only its allowed shape', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (id, consoleUrl, status) => {
        const outcome = followed('a', status, { create: 1 });
        if (outcome.end === 'followed') outcome.followed = { ...outcome.followed, ref: { ...outcome.followed.ref, id }, consoleUrl };
        const entry = resultsOutput([judged(outcome)], ORIGIN, (v) => v)['acme/app/a']!;
        expect(entry['deployment-id']).toMatch(SHAPES['deployment-id']!);
        expect(entry['deployment-url']).toMatch(SHAPES['deployment-url']!);
        expect(entry.status).toMatch(SHAPES['deployment-status']!);
      }),
    );
  });
});
