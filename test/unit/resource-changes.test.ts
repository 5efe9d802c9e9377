import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasChanges, latestUpdate, resourceChanges, updateUrl } from '../../src/report/resource-changes.js';
import { update } from './update-fixtures.js';

const stack = { organization: 'acme', project: 'app', stack: 'dev' };

describe('resourceChanges', () => {
  it('is undefined without updates or without counts', () => {
    expect(resourceChanges([])).toBeUndefined();
    expect(resourceChanges([update({ version: 3 })])).toBeUndefined();
  });

  it('gives the five counts, zero when absent', () => {
    expect(resourceChanges([update({ version: 1, resourceChanges: { create: 2, same: 5 } })])).toEqual({ create: 2, update: 0, delete: 0, replace: 0, same: 5 });
    expect(resourceChanges([update({ version: 1, resourceChanges: {} })])).toEqual({ create: 0, update: 0, delete: 0, replace: 0, same: 0 });
  });

  it('reads the latest update by version, whatever the order given', () => {
    const updates = [
      update({ version: 7, resourceChanges: { update: 7 } }),
      update({ version: 9, resourceChanges: { delete: 9 } }),
      update({ version: 8, resourceChanges: { create: 8 } }),
    ];
    expect(resourceChanges(updates)).toEqual({ create: 0, update: 0, delete: 9, replace: 0, same: 0 });
  });

  it('counts a replacement once from create-replacement / delete-replaced', () => {
    expect(resourceChanges([update({ version: 1, resourceChanges: { 'create-replacement': 2, 'delete-replaced': 2, same: 1 } })])).toEqual({
      create: 0,
      update: 0,
      delete: 0,
      replace: 2,
      same: 1,
    });
    expect(resourceChanges([update({ version: 1, resourceChanges: { 'create-replacement': 1, 'delete-replaced': 3, 'discard-replaced': 2 } })])?.replace).toBe(3);
  });

  it('prefers an explicit replace count over the replacement steps', () => {
    expect(resourceChanges([update({ version: 1, resourceChanges: { replace: 4, 'create-replacement': 4, 'delete-replaced': 4 } })])).toEqual({
      create: 0,
      update: 0,
      delete: 0,
      replace: 4,
      same: 0,
    });
  });

  it('keeps other kinds as given', () => {
    const raw = { import: 2, read: 1, create: 1 };
    expect(resourceChanges([update({ version: 1, resourceChanges: raw })])).toEqual({ create: 1, update: 0, delete: 0, replace: 0, same: 0, import: 2, read: 1 });
  });

  it('makes every count unknown when one is not a count (never read as "no changes")', () => {
    for (const bad of [-3, 'x', 1.5, 2 ** 53, null, Number.NaN]) {
      expect(resourceChanges([update({ version: 1, resourceChanges: { create: 1, update: bad as number } })])).toBeUndefined();
    }
  });

  it('drops kinds that are not change kinds, and says which', () => {
    const dropped: string[][] = [];
    const raw = { create: 1, '$(touch /tmp/x)': 2, 'a`b`': 1, Create: 1, ['x'.repeat(41)]: 1, constructor: 2, __proto__: 4 };
    const counts = resourceChanges([update({ version: 1, resourceChanges: JSON.parse(JSON.stringify(raw)) as Record<string, number> })], (kinds) => dropped.push(kinds));
    expect(counts).toEqual({ create: 1, update: 0, delete: 0, replace: 0, same: 0, constructor: 2 });
    expect(dropped).toEqual([['$(touch /tmp/x)', 'a`b`', 'Create', 'x'.repeat(41)]]);
  });

  it('passes only change kinds and counts, whatever the service sends', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('constructor', 'toString', '__proto__', 'create', 'hasOwnProperty')), fc.nat()), (raw) => {
        const counts = resourceChanges([update({ version: 1, resourceChanges: raw })]);
        for (const [kind, count] of Object.entries(counts ?? {})) {
          expect(kind).toMatch(/^[a-z][a-z-]{0,39}$/);
          expect(Number.isSafeInteger(count)).toBe(true);
        }
      }),
    );
  });

  it('makes every count unknown when any one cannot be read, so has-changes is never a false "no changes"', () => {
    const badCount = fc.oneof(
      fc.integer({ max: -1 }),
      fc.double({ noInteger: true }),
      fc.constantFrom(2 ** 53, 2 ** 60, Number.MAX_VALUE, Infinity, NaN),
      fc.string().map((s) => s as unknown),
      fc.constantFrom(null, true, {}, [], '1'),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.nat()), fc.string(), badCount, (good, kind, bad) => {
        const raw = { ...good };
        Object.defineProperty(raw, kind, { value: bad, enumerable: true, writable: true, configurable: true });
        expect(resourceChanges([update({ version: 1, resourceChanges: raw })])).toBeUndefined();
      }),
    );
  });
});

describe('hasChanges', () => {
  it('is false for undefined, all zero, or only same/read/refresh', () => {
    expect(hasChanges(undefined)).toBe(false);
    expect(hasChanges({ create: 0, update: 0, delete: 0, replace: 0, same: 0 })).toBe(false);
    expect(hasChanges({ create: 0, update: 0, delete: 0, replace: 0, same: 12, read: 3, refresh: 2 })).toBe(false);
  });

  it.each(['create', 'update', 'delete', 'replace', 'import'])('is true with one %s', (kind) => {
    expect(hasChanges({ create: 0, update: 0, delete: 0, replace: 0, same: 4, [kind]: 1 })).toBe(true);
  });
});

describe('latestUpdate', () => {
  it('is undefined for no updates', () => {
    expect(latestUpdate([])).toBeUndefined();
  });
  it('is the highest version, then the latest start', () => {
    const a = update({ version: 2, startTime: 100, updateID: 'a' });
    const b = update({ version: 2, startTime: 200, updateID: 'b' });
    const c = update({ version: 1, startTime: 300, updateID: 'c' });
    expect(latestUpdate([b, a, c])?.updateID).toBe('b');
    expect(latestUpdate([c, b, a])?.updateID).toBe('b');
  });
  it('does not reorder the array it is given', () => {
    const list = [update({ version: 2 }), update({ version: 1 }), update({ version: 3 })];
    latestUpdate(list);
    expect(list.map((u) => u.version)).toEqual([2, 1, 3]);
  });
});

describe('updateUrl', () => {
  const console = 'https://app.pulumi.com';

  it('links an update by version', () => {
    expect(updateUrl(console, stack, update({ version: 17 }))).toBe('https://app.pulumi.com/acme/app/dev/updates/17');
  });
  it('links a preview by update id', () => {
    expect(updateUrl(console, stack, update({ version: 17, kind: 'preview', updateID: 'abc-123' }))).toBe('https://app.pulumi.com/acme/app/dev/previews/abc-123');
  });
  it('keeps a console base path', () => {
    expect(updateUrl('https://pulumi.example.com/console/', stack, update({ version: 3 }))).toBe('https://pulumi.example.com/console/acme/app/dev/updates/3');
  });
  it('is undefined without an update or a console', () => {
    expect(updateUrl(console, stack, undefined)).toBeUndefined();
    expect(updateUrl(undefined, stack, update({ version: 1 }))).toBeUndefined();
  });
  it('never takes a path, query or command from the service: the id and version must be ones', () => {
    fc.assert(
      fc.property(fc.string(), fc.oneof(fc.double(), fc.integer()), fc.boolean(), (updateID, version, preview) => {
        const url = updateUrl(console, stack, update({ version, updateID, kind: preview ? 'preview' : 'update' }));
        if (url === undefined) return;
        expect(url).toMatch(/^https:\/\/app\.pulumi\.com\/acme\/app\/dev\/(previews\/[A-Za-z0-9][A-Za-z0-9_-]*|updates\/\d+)$/);
      }),
    );
  });
  it('encodes stack names into one path segment each', () => {
    expect(updateUrl(console, { organization: 'a.b', project: '..x', stack: 'dev' }, update({ version: 2 }))).toBe('https://app.pulumi.com/a.b/..x/dev/updates/2');
  });
});
