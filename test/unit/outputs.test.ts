import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outputText } from '../../src/runner-io/outputs.js';
import { runnerLog } from '../../src/runner-io/log.js';
import { publishCreated, publishOutcome, publishStackOutputs } from '../../src/report/outputs.js';
import { judge } from '../../src/report/verdict.js';
import type { FollowedDeployment, UpdatePlan } from '../../src/domain/outcome.js';
import { SecretRegistry } from '../../src/runner-io/secrets.js';
import { parseKeyValueFile } from '../../emulators/runner/runner.mjs';
import { update } from './update-fixtures.js';

const ORIGIN = 'https://app.pulumi.com';
let dir: string;
let saved: string | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outputs-test-'));
  saved = process.env.GITHUB_OUTPUT;
  process.env.GITHUB_OUTPUT = join(dir, 'out');
  writeFileSync(process.env.GITHUB_OUTPUT, '');
});
afterEach(() => {
  if (saved === undefined) delete process.env.GITHUB_OUTPUT;
  else process.env.GITHUB_OUTPUT = saved;
  rmSync(dir, { recursive: true, force: true });
});
const outputs = () => {
  const file = process.env.GITHUB_OUTPUT!;
  const values = parseKeyValueFile(readFileSync(file, 'utf8'));
  writeFileSync(file, '');
  return values;
};

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
