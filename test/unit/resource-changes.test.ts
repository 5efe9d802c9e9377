import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { describeChanges, hasChanges, latestUpdate, resourceChanges, updateUrl } from '../../src/report/resource-changes.js';
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

  it('counts kinds named like Object.prototype members as plain kinds', () => {
    const raw = JSON.parse('{"__proto__": 2, "constructor": 3, "toString": 1, "hasOwnProperty": 4, "same": 1}') as Record<string, number>;
    const changes = resourceChanges([update({ version: 1, resourceChanges: raw })])!;
    expect(Object.entries(changes)).toEqual([
      ['create', 0],
      ['update', 0],
      ['delete', 0],
      ['replace', 0],
      ['same', 1],
      ['__proto__', 2],
      ['constructor', 3],
      ['toString', 1],
      ['hasOwnProperty', 4],
    ]);
    expect(hasChanges(changes)).toBe(true);
    expect(JSON.parse(JSON.stringify(changes))).toEqual(
      JSON.parse('{"create":0,"update":0,"delete":0,"replace":0,"same":1,"__proto__":2,"constructor":3,"toString":1,"hasOwnProperty":4}'),
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

describe('describeChanges', () => {
  it('names each non-zero kind except same, in order', () => {
    expect(describeChanges({ create: 1, update: 2, delete: 0, replace: 3, same: 10 })).toBe('1 to create, 2 to update, 3 to replace');
    expect(describeChanges({ create: 0, update: 0, delete: 4, replace: 0, same: 0, import: 5 })).toBe('4 to delete, 5 to import');
  });
  it('says "no changes" when nothing changes', () => {
    expect(describeChanges({ create: 0, update: 0, delete: 0, replace: 0, same: 10 })).toBe('no changes');
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
  const consoleUrl = 'https://app.pulumi.com/acme/app/dev/deployments/42';

  it('links an update by version', () => {
    expect(updateUrl(consoleUrl, stack, update({ version: 17 }))).toBe('https://app.pulumi.com/acme/app/dev/updates/17');
  });
  it('links a preview by update id', () => {
    expect(updateUrl(consoleUrl, stack, update({ version: 17, kind: 'preview', updateID: 'abc-123' }))).toBe('https://app.pulumi.com/acme/app/dev/previews/abc-123');
  });
  it('keeps a console base path', () => {
    expect(updateUrl('https://pulumi.example.com/console/acme/app/dev/deployments/1', stack, update({ version: 3 }))).toBe(
      'https://pulumi.example.com/console/acme/app/dev/updates/3',
    );
  });
  it('is undefined without an update or when the console URL is not under the stack', () => {
    expect(updateUrl(consoleUrl, stack, undefined)).toBeUndefined();
    expect(updateUrl('https://app.pulumi.com/acme/app/prod/deployments/42', stack, update({ version: 1 }))).toBeUndefined();
    // "dev" must be the whole stack segment, not a prefix of "devel".
    expect(updateUrl('https://app.pulumi.com/acme/app/devel/deployments/42', stack, update({ version: 1 }))).toBeUndefined();
  });
});
