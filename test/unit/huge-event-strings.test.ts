// The event reading path against a local server whose pages hold 8 MiB strings: the client cuts
// every string past MAX_EVENT_STRING_CHARS while the page arrives (so no page ever holds one),
// the page still passes its schema, the report still names the resource, and a page whose long
// string holds what JSON forbids still fails as a body that is not JSON.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonHttp } from '../../src/cloud/http.js';
import { MAX_EVENT_STRING_CHARS, PulumiCloudClient, PulumiCloudError } from '../../src/cloud/client.js';
import { cutMark } from '../../src/cloud/long-strings.js';
import { readEngineEvents } from '../../src/deployment/events.js';
import type { UpdateInfo } from '../../src/domain/outcome.js';

const stack = { organization: 'acme', project: 'app', stack: 'dev' };
const UID = '0b7e3f7e-4b1c-4a8e-9a51-1f2d3c4b5a69';
const HUGE = 8 * 1024 * 1024;
const name = `object-1-${'x'.repeat(HUGE)}`;
const urn = `urn:pulumi:dev::app::pulumi:pulumi:Stack$aws:s3:BucketObject::${name}`;
const state = { urn, type: 'aws:s3:BucketObject', custom: true, inputs: {}, outputs: {} };
const page = (events: unknown[], continuationToken: string | null) => JSON.stringify({ events, continuationToken });
const preview = { updateID: UID, version: 1, info: { kind: 'preview', resourceChanges: {}, startTime: 1 } } as unknown as UpdateInfo;
const summary = { type: 'summaryEvent', timestamp: 2, summaryEvent: { resourceChanges: { create: 1 }, result: 'succeeded', isPreview: true, durationSeconds: 1 } };
const pages = [
  page([{ type: 'resourcePreEvent', timestamp: 1, resourcePreEvent: { metadata: { op: 'create', urn, type: 'aws:s3:BucketObject', old: null, new: state } } }], '1'),
  page([{ type: 'diagnosticEvent', timestamp: 1, diagnosticEvent: { severity: 'warning', message: `warning 1: ${'y'.repeat(HUGE)}`, color: 'raw' } }], '2'),
  page([summary], null),
];

const servers: Server[] = [];
const clients: JsonHttp[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.dispose();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A Pulumi Cloud stand-in that serves `bodies` by continuation token, each in 64 KiB writes. */
async function cloud(bodies: string[]): Promise<PulumiCloudClient> {
  const server = createServer((req, res) => {
    const body = Buffer.from(bodies[Number(new URL(req.url!, 'http://x').searchParams.get('continuationToken') ?? 0)]!);
    res.writeHead(200, { 'content-type': 'application/json' });
    for (let at = 0; at < body.length; at += 65_536) res.write(body.subarray(at, at + 65_536));
    res.end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const http = new JsonHttp('test', 20_000);
  clients.push(http);
  const client = new PulumiCloudClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, http, { sleep: async () => {} });
  client.useTokens({ current: async () => 'tok', refresh: async () => 'tok' });
  return client;
}

describe('engine events with huge strings', () => {
  it('reads each page with its long strings cut as they arrive, and the report still names the resource', async () => {
    const client = await cloud(pages);
    const first = await client.getUpdateEvents(stack, 'preview', UID, undefined);
    const metadata = first.events[0]!.resourcePreEvent!.metadata;
    expect(metadata.urn).toBe(urn.slice(0, MAX_EVENT_STRING_CHARS) + cutMark(urn.length - MAX_EVENT_STRING_CHARS));
    expect((metadata.new as { urn: string }).urn).toBe(metadata.urn);

    const report = await readEngineEvents(client, stack, [preview]);
    expect(report.ok).toBe(true);
    const plan = report.ok ? report.updates[0]! : undefined;
    expect(plan?.resources).toHaveLength(1);
    expect(plan?.resources[0]).toMatchObject({ op: 'create', type: 'aws:s3:BucketObject', name: name.slice(0, 300) });
    expect(plan?.diagnostics[0]?.message).toBe(`warning 1: ${'y'.repeat(2_000 - 'warning 1: '.length)}`);
  });

  it('still refuses a page that is not JSON where the cut leaves it out', async () => {
    const message = `${'y'.repeat(1 << 20)}\n${'y'.repeat(1 << 20)}`; // a raw newline, far past the bound: only the cutter sees it
    const client = await cloud([page([{ type: 'diagnosticEvent', timestamp: 1, diagnosticEvent: { severity: 'warning', message, color: 'raw' } }], null).replace('\\n', '\n')]);
    const error = await client.getUpdateEvents(stack, 'preview', UID, undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PulumiCloudError);
    expect((error as Error).message).toMatch(/a body that is not JSON/);
  });
});
