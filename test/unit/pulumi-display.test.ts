// The report's aggregation against Pulumi's own display of the same recorded engine events
// (pulumi/pulumi pkg/backend/display/testdata; see test/fixtures/pulumi-display/NOTICE).
import { describe, expect, it } from 'vitest';
import { PlanAggregator } from '../../src/deployment/events.js';
import { fixtureEvents, fixtureNames, pulumiDisplay } from '../support/pulumi-display.js';

const PAST: Record<string, string> = { create: 'created', update: 'updated', delete: 'deleted', replace: 'replaced', same: 'unchanged' };
const topLevel = (key: string) => /^[^.[]+/.exec(key)?.[0] ?? key;

function aggregate(name: string) {
  const aggregator = new PlanAggregator('update', 'u', 1);
  for (const event of fixtureEvents(name)) aggregator.add(event);
  return aggregator.finish();
}

const names = fixtureNames();

/** Whether any pre-event of `urn` names its changed properties. */
const diffsOf = (name: string, urn: string) =>
  fixtureEvents(name).some((e) => {
    const meta = (e.resourcePreEvent as { metadata?: Record<string, unknown> } | undefined)?.metadata;
    return (
      meta?.urn === urn &&
      ((Array.isArray(meta.diffs) && meta.diffs.length > 0) || (meta.detailedDiff !== null && typeof meta.detailedDiff === 'object' && Object.keys(meta.detailedDiff).length > 0))
    );
  });

describe("the report agrees with Pulumi's display", () => {
  it('has a dozen recorded streams', () => expect(names.length).toBeGreaterThanOrEqual(12));

  describe.each(names)('%s', (name) => {
    const plan = aggregate(name);
    const display = pulumiDisplay(name);
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));

    it('the counts', () => {
      const ours: Record<string, number> = {};
      for (const [op, n] of Object.entries(plan.changes ?? {})) if (n > 0 && PAST[op]) ours[PAST[op]] = n;
      const failed = plan.resources.filter((r) => r.failed).length;
      if (failed) ours.errored = failed;
      expect(ours).toEqual(display.counts);
    });

    it('which resources are created, updated, deleted or replaced', () => {
      expect(new Map(plan.resources.map((r) => [r.urn, r.op]))).toEqual(display.ops);
    });

    it('the changed property keys', () => {
      for (const [urn, keys] of display.keys) {
        const r = byUrn.get(urn);
        expect(r, urn).toBeDefined();
        // The stack's own diff is its outputs'.
        if (r!.type === 'pulumi:pulumi:Stack') expect(new Set(plan.outputChanges.map((c) => c.key)), urn).toEqual(keys);
        // A step with neither `diffs` nor `detailedDiff` shows no keys in Pulumi's recorded display;
        // the report compares the old and new inputs then (issue 18), so it may say more, never less.
        else if (!keys.size && !diffsOf(name, urn)) for (const k of keys) expect(r!.keys.map(topLevel)).toContain(k);
        else expect(new Set(r!.keys.map(topLevel)), urn).toEqual(keys);
      }
    });

    it.runIf(display.failed)('which failed, and which were interrupted', () => {
      expect(new Set(plan.resources.filter((r) => r.failed).map((r) => r.name))).toEqual(display.failed);
      expect(new Set(plan.resources.filter((r) => r.interrupted).map((r) => r.name))).toEqual(display.interrupted);
    });

    it.runIf(display.outputKeys)('the changed stack outputs', () => {
      expect(new Set(plan.outputChanges.map((c) => c.key))).toEqual(display.outputKeys);
    });
  });
});
