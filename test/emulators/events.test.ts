// The engine events endpoint of the Pulumi emulator: paged, spec-valid, made from scenario data,
// reachable with the updateIDs of /updates, and able to fail on demand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failsInUpdateStep, manyResources, previewWithReplacements, quickSuccess } from '../../emulators/pulumi-cloud/scenarios.mjs';
import { accessToken, call, createDeployment, DEPLOYMENTS, sleep, startEmulators, type Emulators } from './harness.js';
import { readEngineEvents, type EventsSource } from '../../src/deployment/events.js';

const STACK = '/api/stacks/acme/app/dev';

async function finishedUpdates(em: Emulators, token: string, scenario: unknown, operation = 'update') {
  em.cloud.setScenario(scenario as never);
  const { body } = await createDeployment(em.cloud, token, { operation });
  for (let i = 0; i < 1000; i++) {
    const res = await call(em.cloud, 'GET', `${DEPLOYMENTS}/${body.id}/updates`, { token });
    if (res.body.length) return res.body as Array<{ updateID: string; info: { kind: string } }>;
    await sleep(20);
  }
  throw new Error('no updates');
}

/** Reads every page through the contract-checking `call`. */
async function readAll(em: Emulators, token: string, kind: string, id: string) {
  const events: any[] = [];
  let next: string | null | undefined;
  let pages = 0;
  do {
    const res = await call(em.cloud, 'GET', `${STACK}/${kind}/${id}/events${next ? `?continuationToken=${encodeURIComponent(next)}` : ''}`, { token });
    expect(res.status).toBe(200);
    events.push(...res.body.events);
    next = res.body.continuationToken;
    pages++;
  } while (next);
  return { events, pages };
}

describe('Pulumi emulator: engine events', () => {
  let em: Emulators;
  let token: string;
  beforeAll(async () => {
    em = await startEmulators({ timeScale: 20, eventPageSize: 4 });
    token = await accessToken(em);
  });
  afterAll(async () => {
    await em.close();
  });

  it('serves the events of an update from /updates, paged, ending with a null token', async () => {
    const [u] = await finishedUpdates(em, token, quickSuccess);
    const { events, pages } = await readAll(em, token, 'update', u!.updateID);
    expect(pages).toBe(Math.ceil(events.length / 4));
    const types = events.map((e) => e.type);
    expect(types.at(-1)).toBe('summaryEvent');
    expect(events.at(-1).summaryEvent.resourceChanges).toEqual({ create: 2, update: 1, same: 3 });
    // As the engine does, each finished step is followed by its outputs event; the root stack's carries the stack outputs.
    expect(events.filter((e) => e.type === 'resOutputsEvent')).toHaveLength(3 + 1);
    const outputs = events.findLast((e) => e.type === 'resOutputsEvent').resOutputsEvent.metadata.new.outputs;
    expect(outputs.dbPassword).toBe('[secret]');
    expect(outputs.apiKey.ciphertext).toMatch(/^v1:/);
  });

  it('sends replacements as three steps, diagnostics, policy findings and the failed resource', async () => {
    const [p] = await finishedUpdates(em, token, previewWithReplacements, 'preview');
    const { events } = await readAll(em, token, 'preview', p!.updateID);
    const ops = events.filter((e) => e.type === 'resourcePreEvent' && e.resourcePreEvent.metadata.urn.endsWith('::db')).map((e) => e.resourcePreEvent.metadata.op);
    expect(ops).toEqual(['create-replacement', 'replace', 'delete-replaced']);
    expect(events.find((e) => e.type === 'policyEvent' && e.policyEvent.enforcementLevel === 'mandatory')).toBeDefined();
    // A preview's steps finish too (outputs events), but no stack outputs are sent.
    expect(events.filter((e) => e.type === 'resOutputsEvent' && e.resOutputsEvent.metadata.type === 'pulumi:pulumi:Stack')).toEqual([]);

    const [f] = await finishedUpdates(em, token, failsInUpdateStep);
    const failed = await readAll(em, token, 'update', f!.updateID);
    expect(failed.events.find((e) => e.type === 'diagnosticEvent').diagnosticEvent).toMatchObject({ severity: 'error', message: expect.stringContaining('BucketAlreadyExists') });
    expect(failed.events.some((e) => e.type === 'resOpFailedEvent')).toBe(true);
    // The failed step never finishes: no outputs event for it.
    expect(failed.events.some((e) => e.type === 'resOutputsEvent' && e.resOutputsEvent.metadata.urn.endsWith('::site-bucket'))).toBe(false);
  });

  it('answers 404 for an unknown update, a wrong kind or another stack, 400 for a bad token', async () => {
    const [u] = await finishedUpdates(em, token, quickSuccess);
    expect((await call(em.cloud, 'GET', `${STACK}/update/0b7e3f7e-4b1c-4a8e-9a51-1f2d3c4b5a69/events`, { token })).status).toBe(404);
    expect((await call(em.cloud, 'GET', `${STACK}/preview/${u!.updateID}/events`, { token })).status).toBe(404);
    expect((await call(em.cloud, 'GET', `${STACK}/update/${u!.updateID}/events?continuationToken=bogus`, { token })).status).toBe(400);
  });

  it('fails on demand through the `events` fault endpoint', async () => {
    const [u] = await finishedUpdates(em, token, quickSuccess);
    em.cloud.setFaults([{ endpoint: 'events', calls: [1], status: 503 }]);
    try {
      const res = await call(em.cloud, 'GET', `${STACK}/update/${u!.updateID}/events`, { token });
      expect(res.status).toBe(503);
      expect((await call(em.cloud, 'GET', `${STACK}/update/${u!.updateID}/events`, { token })).status).toBe(200);
    } finally {
      em.cloud.setFaults([]);
    }
  });

  it('a 10,000-resource preview reads in ceil(events / page) requests through the action module', async () => {
    const local = await startEmulators({ timeScale: 20, eventPageSize: 500 });
    try {
      const t = await accessToken(local);
      const updates = await finishedUpdates(local, t, manyResources(10_000), 'preview');
      const source: EventsSource = {
        async getUpdateEvents(_stack, kind, id, next) {
          const res = await call(local.cloud, 'GET', `${STACK}/${kind}/${id}/events${next ? `?continuationToken=${encodeURIComponent(next)}` : ''}`, { token: t });
          return res.body;
        },
      };
      const report = await readEngineEvents(source, { organization: 'acme', project: 'app', stack: 'dev' }, updates as never);
      if (!report.ok) throw new Error(report.warning);
      expect(report.events).toBe(20_002); // the root stack, 10,000 resources each with its outputs event, the summary
      expect(report.requests).toBe(Math.ceil(20_002 / 500));
      expect(report.updates[0]!.changes).toEqual({ create: 10_000, same: 1 });
      expect(report.updates[0]!.resources.length + report.updates[0]!.omittedResources).toBe(10_000);
    } finally {
      await local.close();
    }
  });
});

describe('contract for engine events (must be able to fail)', () => {
  it('maps the four kinds and rejects malformed pages', async () => {
    const { operationIdFor, validateResponse } = await import('../support/openapi-contract.js');
    for (const kind of ['preview', 'update', 'refresh', 'destroy']) expect(operationIdFor('GET', `${STACK}/${kind}/u1/events?continuationToken=x`)).toBe(`GetEngineEvents_${kind}`);
    expect(validateResponse('GetEngineEvents_update', 200, { events: [], continuationToken: null }).errors).toEqual([]);
    expect(validateResponse('GetEngineEvents_update', 200, { events: [{ type: 'x' }], continuationToken: null }).valid).toBe(false);
    expect(validateResponse('GetEngineEvents_update', 200, { events: [], continuationToken: 3 }).valid).toBe(false);
    const pre = {
      type: 'resourcePreEvent',
      timestamp: 1,
      resourcePreEvent: { metadata: { op: 'explode', urn: 'u', type: 't', provider: '', detailedDiff: {}, old: {}, new: {} } },
    };
    expect(validateResponse('GetEngineEvents_update', 200, { events: [pre], continuationToken: null }).valid).toBe(false);
  });
});
