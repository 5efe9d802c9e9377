import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { describeChanges, hasChanges, resourceChanges } from '../../src/report/resource-changes.js';
import { update } from './update-fixtures.js';

// Cases the mutation run (`npm run mutation`) showed untested, and the bug it led to: kinds
// named like Object.prototype's members were looked up in a plain object.

const counts = (raw: Record<string, number>) => resourceChanges([update({ version: 1, resourceChanges: raw })]);

describe('resourceChanges: the service kinds are data', () => {
  it('kinds named like Object.prototype members are plain kinds, counted as given', () => {
    fc.assert(
      fc.property(fc.constantFrom('constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', '__defineGetter__'), fc.integer({ min: 1, max: 1_000 }), (kind, n) => {
        const raw = JSON.parse(`{${JSON.stringify(kind)}: ${n}, "create": 1}`) as Record<string, number>;
        const changes = counts(raw)!;
        expect(Object.entries(changes)).toEqual([
          ['create', 1],
          ['update', 0],
          ['delete', 0],
          ['replace', 0],
          ['same', 0],
          [kind, n],
        ]);
        expect(hasChanges(changes)).toBe(true);
        expect(describeChanges(changes)).toBe(`1 to create, ${n} to ${kind}`);
      }),
    );
  });

  it('keeps a kind reported with zero', () => {
    expect(counts({ import: 0, create: 0 })).toEqual({ create: 0, update: 0, delete: 0, replace: 0, same: 0, import: 0 });
  });

  it('an explicit replace count wins over the replacement steps, whatever their numbers', () => {
    expect(counts({ replace: 1, 'create-replacement': 5, 'delete-replaced': 7 })?.replace).toBe(1);
    expect(counts({ 'discard-replaced': 2 })?.replace).toBe(2);
  });

  it('ignores counts that are not non-negative safe integers', () => {
    for (const bad of [1.5, -1, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, '3', null, true]) expect(counts({ create: bad as unknown as number })?.create, String(bad)).toBe(0);
  });
});
