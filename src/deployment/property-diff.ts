// A changed property's old and new values, as short one-line texts, from a resourcePreEvent's
// `detailedDiff` (property paths) or, without one, from comparing the old and new inputs.
// Secrets become "[secret]"; every text is cut at MAX_VALUE characters while it is built, so a
// 300 kB template costs no more than a short string.
import { PLAIN_SIGS, SECRET, SIG_KEY } from '../domain/stack-outputs.js';
import type { PropertyChange } from '../domain/outcome.js';

/** Characters of a value shown (Pulumi's --diff shows them whole; a review comment cannot). */
export const MAX_VALUE = 80;
const MAX_PATH = 200;
const MAX_DEPTH = 32;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
/** Fail closed, as for the stack outputs: a special value not known to be plain is a secret. */
const isSecret = (v: unknown): boolean => v === SECRET || (isObject(v) && ('ciphertext' in v || (SIG_KEY in v && !PLAIN_SIGS.has(String(v[SIG_KEY])))));
/** The engine's placeholder for a value known only after the update (Pulumi shows `output<string>`). */
const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

/** JSON of `value`, cut at `max` characters (with `…`), secrets as [secret]; never builds more than it shows. */
export function shortValue(value: unknown, max = MAX_VALUE): string {
  let out = '';
  const full = () => out.length > max;
  const write = (text: string) => {
    out += text.length > max + 1 ? text.slice(0, max + 1) : text;
  };
  const walk = (v: unknown, depth: number): void => {
    if (full()) return;
    if (isSecret(v)) return write(SECRET);
    if (v === undefined) return write('undefined');
    if (v === UNKNOWN) return write('[unknown]');
    if (v === null || typeof v !== 'object') return write(typeof v === 'number' && !Number.isFinite(v) ? 'null' : (JSON.stringify(v) ?? 'null'));
    if (depth >= MAX_DEPTH) return write('…');
    if (isObject(v) && SIG_KEY in v) return write('[asset, archive or reference]');
    const array = Array.isArray(v);
    write(array ? '[' : '{');
    let first = true;
    for (const [k, item] of array ? v.entries() : Object.entries(v)) {
      if (full()) return;
      if (!first) write(',');
      first = false;
      if (!array) write(`${JSON.stringify(String(k))}:`);
      walk(item, depth + 1);
    }
    write(array ? ']' : '}');
  };
  walk(value, 0);
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

/** `a.b[0]["c.d"]` -> ['a', 'b', 0, 'c.d']; undefined for a path it cannot read. */
export function parsePath(path: string): (string | number)[] | undefined {
  const parts: (string | number)[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) return undefined;
      const inner = path.slice(i + 1, close);
      if (/^\d+$/.test(inner)) parts.push(Number(inner));
      else if (inner === '*') parts.push('*');
      else {
        try {
          const s: unknown = JSON.parse(inner);
          if (typeof s !== 'string') return undefined;
          parts.push(s);
        } catch {
          return undefined;
        }
      }
      i = close + 1;
      if (path[i] === '.') i++;
    } else {
      let end = i;
      while (end < path.length && path[end] !== '.' && path[end] !== '[') end++;
      parts.push(path.slice(i, end));
      i = path[end] === '.' ? end + 1 : end;
    }
  }
  return parts;
}

/** The value at `path` inside `root`, or undefined; a secret on the way makes the whole value secret. */
function valueAt(root: unknown, path: string): unknown {
  const parts = parsePath(path);
  if (!parts) return undefined;
  let v = root;
  for (const p of parts) {
    if (isSecret(v)) return SECRET;
    if (Array.isArray(v) && typeof p === 'number') v = v[p];
    else if (isObject(v) && typeof p === 'string' && Object.hasOwn(v, p)) v = v[p];
    else return undefined;
  }
  return v;
}

const KINDS: Record<string, PropertyChange['kind']> = {
  add: 'add',
  'add-replace': 'add',
  delete: 'delete',
  'delete-replace': 'delete',
  update: 'update',
  'update-replace': 'update',
};

/**
 * The property changes of one step, at most `max`; `total` counts them all. From `detailedDiff`
 * when it has entries; otherwise the keys of `diffs` (or, without those, every top-level input
 * whose value differs) compared between the old and new inputs.
 */
export function propertyChanges(meta: Record<string, unknown>, replaceKeys: ReadonlySet<string>, max: number): { changes: PropertyChange[]; total: number } {
  const oldState = isObject(meta.old) ? meta.old : undefined;
  const newState = isObject(meta.new) ? meta.new : undefined;
  const oldInputs = oldState?.inputs;
  const newInputs = newState?.inputs;
  const changes: PropertyChange[] = [];
  let total = 0;
  const detailed = isObject(meta.detailedDiff) ? Object.entries(meta.detailedDiff) : [];
  if (detailed.length) {
    for (const [path, diff] of detailed) {
      total++;
      if (changes.length >= max) continue;
      const raw = isObject(diff) && typeof diff.diffKind === 'string' ? diff.diffKind : 'update';
      const kind = Object.hasOwn(KINDS, raw) ? KINDS[raw]! : 'update';
      // inputDiff false: the change is in the outputs (a provider's own diff).
      const fromInputs = !isObject(diff) || diff.inputDiff !== false;
      const oldRoot = fromInputs ? oldInputs : oldState?.outputs;
      const change: PropertyChange = { key: path.slice(0, MAX_PATH), kind, replace: raw.endsWith('-replace') || replaceKeys.has(path) };
      // A path the event's states do not hold has no value to show (never "undefined").
      const before = kind === 'add' ? undefined : valueAt(oldRoot, path);
      const after = kind === 'delete' ? undefined : valueAt(newInputs, path);
      if (before !== undefined) change.old = shortValue(before);
      if (after !== undefined) change.new = shortValue(after);
      changes.push(change);
    }
    return { changes, total };
  }
  if (!isObject(oldInputs) || !isObject(newInputs)) return { changes, total };
  const diffs = Array.isArray(meta.diffs) ? meta.diffs.filter((k): k is string => typeof k === 'string') : [];
  const keys = diffs.length ? diffs : [...new Set([...Object.keys(oldInputs), ...Object.keys(newInputs)])];
  for (const key of keys) {
    const had = Object.hasOwn(oldInputs, key);
    const has = Object.hasOwn(newInputs, key);
    const before = had ? shortValue(oldInputs[key], MAX_VALUE + 1) : undefined;
    const after = has ? shortValue(newInputs[key], MAX_VALUE + 1) : undefined;
    // Without `diffs`, only a visible difference counts (values past MAX_VALUE compare by their start).
    if (!diffs.length && before === after) continue;
    total++;
    if (changes.length >= max) continue;
    const change: PropertyChange = { key: key.slice(0, MAX_PATH), kind: !had ? 'add' : !has ? 'delete' : 'update', replace: replaceKeys.has(key) };
    if (before !== undefined) change.old = shortValue(oldInputs[key]);
    if (after !== undefined) change.new = shortValue(newInputs[key]);
    changes.push(change);
  }
  return { changes, total };
}

/** The stack outputs that differ between before and after (both already free of secrets), at most `max`. */
export function outputChanges(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined, max: number): { changes: PropertyChange[]; total: number } {
  const changes: PropertyChange[] = [];
  let total = 0;
  const b = before ?? {};
  const a = after ?? {};
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    const had = Object.hasOwn(b, key);
    const has = Object.hasOwn(a, key);
    if (had && has && JSON.stringify(b[key]) === JSON.stringify(a[key])) continue;
    total++;
    if (changes.length >= max) continue;
    const change: PropertyChange = { key: key.slice(0, MAX_PATH), kind: !had ? 'add' : !has ? 'delete' : 'update', replace: false };
    if (had) change.old = shortValue(b[key]);
    if (has) change.new = shortValue(a[key]);
    changes.push(change);
  }
  return { changes, total };
}
