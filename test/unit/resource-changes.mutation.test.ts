import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hasChanges, resourceChanges } from '../../src/report/resource-changes.js';
import { describeCounts } from '../../src/report/plan.js';
import { update } from './update-fixtures.js';

// Cases the mutation run (`npm run mutation`) showed untested, and the bug it led to: kinds
// named like Object.prototype's members were looked up in a plain object.

const counts = (raw: Record<string, number>) => resourceChanges([update({ version: 1, resourceChanges: raw })]);

describe('resourceChanges: the service kinds are data', () => {
  it('a change kind named like an Object.prototype member is a plain kind, counted as given', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), (n) => {
        const changes = counts(JSON.parse(`{"constructor": ${n}, "create": 1}`) as Record<string, number>)!;
        expect(Object.entries(changes)).toEqual([
          ['create', 1],
          ['update', 0],
          ['delete', 0],
          ['replace', 0],
          ['same', 0],
          ['constructor', n],
        ]);
        expect(hasChanges(changes)).toBe(true);
        expect(describeCounts(changes, true)).toBe(`+1 to create, ${n} to constructor`);
      }),
    );
  });

  it('other Object.prototype names are not change kinds: dropped, the counts untouched', () => {
    fc.assert(
      fc.property(fc.constantFrom('toString', '__proto__', 'hasOwnProperty', 'valueOf', '__defineGetter__'), fc.integer({ min: 1, max: 1_000 }), (kind, n) => {
        const dropped: string[][] = [];
        const raw = JSON.parse(`{${JSON.stringify(kind)}: ${n}, "create": 1}`) as Record<string, number>;
        expect(resourceChanges([update({ version: 1, resourceChanges: raw })], (kinds) => dropped.push(kinds))).toEqual({ create: 1, update: 0, delete: 0, replace: 0, same: 0 });
        expect(dropped).toEqual([[kind]]);
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

  it('makes the counts unknown when one is not a non-negative safe integer', () => {
    for (const bad of [1.5, -1, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, '3', null, true]) expect(counts({ create: bad as unknown as number }), String(bad)).toBeUndefined();
  });
});
