import { describe, expect, it } from 'vitest';
import { eventRequestBudget, MAX_RESOURCES, parseUrn, readEngineEvents, type EventsSource } from '../../src/deployment/events.js';
import { outputsJson, SIG_KEY, stackOutputs } from '../../src/domain/stack-outputs.js';
import type { UpdateInfo } from '../../src/domain/outcome.js';

const stack = { organization: 'acme', project: 'app', stack: 'dev' };
const UID = '0b7e3f7e-4b1c-4a8e-9a51-1f2d3c4b5a69';
const urn = (type: string, name: string, parent = '') => `urn:pulumi:dev::app::${parent}${type}::${name}`;

export function update(kind = 'preview', updateID: string | undefined = UID, version = 1): UpdateInfo {
  return { updateID, version, info: { kind, resourceChanges: {}, startTime: 1 } } as unknown as UpdateInfo;
}
export const pre = (op: string, type: string, name: string, extra: Record<string, unknown> = {}) => ({
  type: 'resourcePreEvent',
  timestamp: 1,
  resourcePreEvent: { metadata: { op, urn: urn(type, name), type, provider: '', detailedDiff: {}, old: null, new: null, ...extra } },
});
export const summary = (resourceChanges: Record<string, number>, isPreview = true) => ({
  type: 'summaryEvent',
  timestamp: 2,
  summaryEvent: { resourceChanges, result: 'succeeded', isPreview, durationSeconds: 1, maybeCorrupt: false, PolicyPacks: {} },
});
const diag = (severity: string, message: string, u?: string) => ({
  type: 'diagnosticEvent',
  timestamp: 1,
  diagnosticEvent: { severity, message, color: 'raw', ...(u ? { urn: u } : {}) },
});

/** Serves `events` in pages of `pageSize`; `last` is the last page's token (null, undefined = absent, ''). */
export function fakeSource(events: unknown[], pageSize = 3, last: null | undefined | '' = null) {
  const calls: Array<{ kind: string; id: string; token?: string }> = [];
  const source: EventsSource = {
    async getUpdateEvents(_stack, kind, id, token) {
      calls.push({ kind, id, token });
      const start = token ? Number(token) : 0;
      const page = events.slice(start, start + pageSize);
      const end = start + page.length;
      if (end < events.length) return { events: page, continuationToken: String(end) } as never;
      return (last === undefined ? { events: page } : { events: page, continuationToken: last }) as never;
    },
  };
  return { source, calls };
}

describe('readEngineEvents', () => {
  const stream = [
    pre('same', 'pulumi:pulumi:Stack', 'app-dev'),
    pre('create', 'aws:s3:Bucket', 'logs'),
    pre('update', 'aws:iam:Role', 'role', { diffs: ['assumeRolePolicy', 'tags'] }),
    pre('create-replacement', 'aws:s3:Bucket', 'site', { keys: ['bucket'], diffs: ['bucket'], detailedDiff: { bucket: { diffKind: 'update-replace', inputDiff: true } } }),
    pre('replace', 'aws:s3:Bucket', 'site', { keys: ['bucket'] }),
    pre('delete-replaced', 'aws:s3:Bucket', 'site'),
    pre('delete', 'aws:sqs:Queue', 'old'),
    { type: 'stdoutEvent', timestamp: 1, stdoutEvent: { message: 'x', color: 'raw' } },
    summary({ create: 1, update: 1, replace: 1, delete: 1, same: 1 }),
  ];

  for (const last of [null, undefined, ''] as const) {
    it(`pages with the continuation token and stops on a ${JSON.stringify(last) ?? 'absent'} last token`, async () => {
      const { source, calls } = fakeSource(stream, 4, last);
      const report = await readEngineEvents(source, stack, [update()]);
      expect(report.ok).toBe(true);
      if (!report.ok) return;
      expect(calls.map((c) => c.token)).toEqual([undefined, '4', '8']);
      expect(calls.every((c) => c.kind === 'preview' && c.id === UID)).toBe(true);
      expect(report.requests).toBe(3);
      expect(report.events).toBe(stream.length);
      expect(report.requests).toBeLessThanOrEqual(eventRequestBudget([stream.length], 4));
      const plan = report.updates[0]!;
      expect(plan.changes).toEqual({ create: 1, update: 1, replace: 1, delete: 1, same: 1 });
      expect(plan.resources.map((r) => `${r.op} ${r.type} ${r.name}`)).toEqual([
        'create aws:s3:Bucket logs',
        'update aws:iam:Role role',
        'replace aws:s3:Bucket site',
        'delete aws:sqs:Queue old',
      ]);
      const site = plan.resources[2]!;
      expect(site.replaceKeys).toEqual(['bucket']);
      expect(site.steps).toEqual(['create-replacement', 'delete-replaced']);
      expect(plan.resources[1]!.keys).toEqual(['assumeRolePolicy', 'tags']);
    });
  }

  it('stops when the service repeats its token with no new events (never loops)', async () => {
    const source: EventsSource = { getUpdateEvents: async () => ({ events: [], continuationToken: 'same' }) };
    const report = await readEngineEvents(source, stack, [update()]);
    expect(report.ok && report.requests).toBe(2);
  });

  it.each([
    ['an unknown event type', [{ type: 'quantumEvent', timestamp: 1, quantumEvent: {} }], /unknown type 'quantumEvent'/],
    ['an event that is not an object', ['garbage'], /without a type/],
    ['a payload missing', [{ type: 'diagnosticEvent', timestamp: 1 }], /without its payload/],
    ['a resource event without op', [{ type: 'resourcePreEvent', timestamp: 1, resourcePreEvent: { metadata: { urn: 'x' } } }], /without op/],
    ['a page without events', null, /without events/],
  ])('falls back with one warning on %s', async (_what, events, why) => {
    const source: EventsSource = { getUpdateEvents: async () => (events === null ? { nothing: true } : { events, continuationToken: null }) as never };
    const report = await readEngineEvents(source, stack, [update()]);
    expect(report.ok).toBe(false);
    if (report.ok) return;
    expect(report.warning).toMatch(why);
    expect(report.warning).toMatch(/counts only/);
    expect(report.warning).not.toMatch(/\n/);
  });

  it('falls back without a request when an update has no updateID or an unknown kind', async () => {
    const { source, calls } = fakeSource([]);
    const { updateID: _drop, ...noId } = update();
    expect(await readEngineEvents(source, stack, [noId as UpdateInfo])).toMatchObject({ ok: false, warning: expect.stringMatching(/updateID/) });
    expect(await readEngineEvents(source, stack, [update('preview', '')])).toMatchObject({ ok: false, warning: expect.stringMatching(/updateID/) });
    expect(await readEngineEvents(source, stack, [update('rename')])).toMatchObject({ ok: false, warning: expect.stringMatching(/rename/) });
    expect(calls).toEqual([]);
  });

  it('falls back when the endpoint fails, with the error in one safe line', async () => {
    const source: EventsSource = {
      getUpdateEvents: async () => {
        throw new Error('Reading the update events failed: 503\n::error::pwned');
      },
    };
    const report = await readEngineEvents(source, stack, [update()]);
    expect(report).toMatchObject({ ok: false, requests: 1 });
    if (!report.ok) expect(report.warning).not.toMatch(/\n|::error/);
  });

  it('reads each update in version order with its own kind', async () => {
    const { source, calls } = fakeSource([summary({ update: 1 }, false)]);
    const report = await readEngineEvents(source, stack, [update('update', 'u2', 2), update('refresh', 'u1', 1)]);
    expect(calls.map((c) => `${c.kind}/${c.id}`)).toEqual(['refresh/u1', 'update/u2']);
    expect(report.ok && report.updates.map((u) => u.preview)).toEqual([false, false]);
  });

  it('keeps at most MAX_RESOURCES changed resources and counts the rest once (replaces included)', async () => {
    const n = MAX_RESOURCES + 500;
    const events = [];
    for (let i = 0; i < n; i++) {
      if (i % 2) events.push(pre('create', 'aws:s3:BucketObject', `obj-${i}`, { diffs: Array.from({ length: 30 }, (_, k) => `p${k}`) }));
      else events.push(pre('create-replacement', 't:m:R', `r-${i}`), pre('replace', 't:m:R', `r-${i}`), pre('delete-replaced', 't:m:R', `r-${i}`));
    }
    events.push(summary({ create: n / 2, replace: n / 2 }));
    const report = await readEngineEvents(fakeSource(events, 1000).source, stack, [update()]);
    if (!report.ok) throw new Error(report.warning);
    const plan = report.updates[0]!;
    expect(plan.resources).toHaveLength(MAX_RESOURCES);
    expect(plan.omittedResources).toBe(500);
    expect(plan.resources[1]!.keys).toHaveLength(12);
    expect(plan.resources[1]!.more).toBe(18);
  });

  it('treats a refresh as a change only where it found drift', async () => {
    const events = [pre('refresh', 'a:b:C', 'quiet'), pre('refresh', 'a:b:C', 'drifted', { diffs: ['size'] }), summary({ same: 1, update: 1 }, false)];
    const report = await readEngineEvents(fakeSource(events).source, stack, [update('refresh')]);
    expect(report.ok && report.updates[0]!.resources.map((r) => r.name)).toEqual(['drifted']);
  });

  it('deduplicates and caps diagnostics and finds the failing resource error', async () => {
    const bucket = urn('aws:s3:Bucket', 'site-bucket');
    const events = [
      diag('info', 'just info'),
      diag('warning', 'deprecated'),
      diag('warning', 'deprecated'),
      diag('error', 'first unrelated error'),
      diag('error', 'creating S3 Bucket (site-bucket): BucketAlreadyExists', bucket),
      { type: 'resOpFailedEvent', timestamp: 1, resOpFailedEvent: { metadata: { urn: bucket, op: 'create', type: 'aws:s3:Bucket' }, status: 1, steps: 1 } },
      ...Array.from({ length: 80 }, (_, i) => diag('warning', `w${i}`)),
    ];
    const report = await readEngineEvents(fakeSource(events, 50).source, stack, [update('update')]);
    if (!report.ok) throw new Error(report.warning);
    const plan = report.updates[0]!;
    expect(plan.diagnostics.filter((d) => d.message === 'deprecated')).toHaveLength(1);
    expect(plan.diagnostics.some((d) => d.message === 'just info')).toBe(false);
    expect(plan.diagnostics.length + plan.omittedDiagnostics).toBe(83);
    expect(plan.failure).toEqual({ severity: 'error', resource: 'aws:s3:Bucket site-bucket', message: 'creating S3 Bucket (site-bucket): BucketAlreadyExists' });
  });

  it('reads policy findings: mandatory is an error, advisory a warning', async () => {
    const policy = (level: string, name: string) => ({
      type: 'policyEvent',
      timestamp: 1,
      policyEvent: {
        policyName: name,
        policyPackName: 'aws-guard',
        enforcementLevel: level,
        message: `${name} violated`,
        resourceUrn: urn('aws:s3:Bucket', 'b'),
        color: 'raw',
        policyPackVersion: '1',
        policyPackVersionTag: 'v1',
      },
    });
    const report = await readEngineEvents(fakeSource([policy('mandatory', 'no-public'), policy('warning', 'tags'), policy('warning', 'tags')]).source, stack, [update()]);
    expect(report.ok && report.updates[0]!.policies).toEqual([
      { pack: 'aws-guard', policy: 'no-public', level: 'mandatory', severity: 'error', message: 'no-public violated', resource: 'aws:s3:Bucket b' },
      { pack: 'aws-guard', policy: 'tags', level: 'advisory', severity: 'warning', message: 'tags violated', resource: 'aws:s3:Bucket b' },
    ]);
  });

  it('takes the stack outputs from the root stack resource only, secrets hidden', async () => {
    const outputsEvent = (u: string, outputs: unknown) => ({
      type: 'resOutputsEvent',
      timestamp: 1,
      resOutputsEvent: { metadata: { op: 'same', urn: u, type: 'pulumi:pulumi:Stack', detailedDiff: {}, provider: '', old: null, new: { outputs } } },
    });
    const events = [
      outputsEvent(urn('pulumi:pulumi:Stack', 'nested', 'my:comp:C$'), { wrong: 1 }),
      outputsEvent(urn('pulumi:pulumi:Stack', 'app-dev'), {
        bucket: 'b-1',
        token: '[secret]',
        db: { [SIG_KEY]: '1b47061264138c4ac30d75fd1eb44270', ciphertext: 'AAAAsecretcipher' },
      }),
    ];
    const report = await readEngineEvents(fakeSource(events).source, stack, [update('update')]);
    expect(report.ok && report.updates[0]!.outputs).toEqual({ bucket: 'b-1', token: '[secret]', db: '[secret]' });
  });
});

describe('keys from the service are plain keys', () => {
  it('counts of operations named like Object.prototype members are counts; event types so named are unknown events', async () => {
    const counts = JSON.parse('{"__proto__": 2, "constructor": 3, "toString": 1, "create": 1}') as Record<string, number>;
    const report = await readEngineEvents(fakeSource([pre('create', 'aws:s3:Bucket', 'b'), summary(counts)]).source, stack, [update()]);
    expect(report.ok && Object.entries(report.updates[0]!.changes!)).toEqual([
      ['__proto__', 2],
      ['constructor', 3],
      ['toString', 1],
      ['create', 1],
    ]);
    for (const type of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const odd = await readEngineEvents(fakeSource([{ type, timestamp: 1 }]).source, stack, [update()]);
      expect(odd).toMatchObject({ ok: false, warning: expect.stringContaining(`a ${type} event without its payload`) });
    }
  });
});

describe('stackOutputs', () => {
  it('replaces secrets at any depth, fails closed on unknown special values and keeps plain ones', () => {
    const out = stackOutputs({
      list: [1, '[secret]', { deep: { [SIG_KEY]: '1b47061264138c4ac30d75fd1eb44270', plaintext: '"p4ss"' } }],
      odd: { [SIG_KEY]: 'something-new', value: 'x' },
      cipherOnly: { ciphertext: 'v1:abc' },
      asset: { [SIG_KEY]: 'c44067f5952c0a294b673a41bacd8c17', path: './a.txt' },
      ['__proto__']: { polluted: true },
    });
    const json = JSON.stringify(out);
    expect(json).not.toMatch(/p4ss|ciphertext|v1:abc|1b47061264138c4ac30d75fd1eb44270/);
    expect(out.list).toEqual([1, '[secret]', { deep: '[secret]' }]);
    expect(out.odd).toBe('[secret]');
    expect(out.cipherOnly).toBe('[secret]');
    expect(out.asset).toEqual({ [SIG_KEY]: 'c44067f5952c0a294b673a41bacd8c17', path: './a.txt' });
    expect(JSON.parse(json).__proto__).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('outputsJson refuses huge outputs and says why', () => {
    expect(outputsJson({ a: 1 })).toEqual({ json: '{"a":1}' });
    expect(outputsJson(undefined).json).toBeUndefined();
    expect(outputsJson({ big: 'x'.repeat(600_000) }).note).toMatch(/characters/);
  });
});

describe('parseUrn', () => {
  it('takes the type after the parent chain and keeps :: in names', () => {
    expect(parseUrn('urn:pulumi:dev::app::my:comp:C$aws:s3:Bucket::a::b')).toEqual({ type: 'aws:s3:Bucket', name: 'a::b' });
    expect(parseUrn('not-a-urn')).toBeUndefined();
  });
});
