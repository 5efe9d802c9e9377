// Workflow command parsing, reimplemented from actions/runner src/Runner.Common/ActionCommand.cs:
// TryParseV2 (`::name k=v,k=v::data` at the start of the line after leading white space) and
// TryParse (legacy `##[name k=v;k=v]data`, found anywhere in the line). Command names match
// case-insensitively (ActionCommandManager's registered set is OrdinalIgnoreCase), as do
// property names; %-unescaping is ordinal, so `%0a` stays as written.
import { DOTNET_SPACE } from './secret-masker.mjs';

/** The commands ActionCommandManager registers (its extensions plus stop-commands). */
export const REGISTERED_COMMANDS = Object.freeze([
  'stop-commands',
  'set-env',
  'set-output',
  'save-state',
  'add-mask',
  'add-path',
  'add-matcher',
  'remove-matcher',
  'debug',
  'warning',
  'error',
  'notice',
  'group',
  'endgroup',
  'echo',
]);

// Applied in this order with ordinal String.Replace, as the runner does.
const DATA_UNESCAPES = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%25', '%'],
];
const PROPERTY_UNESCAPES = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%3A', ':'],
  ['%2C', ','],
  ['%25', '%'],
];
const LEGACY_UNESCAPES = [
  ['%3B', ';'],
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%5D', ']'],
  ['%25', '%'],
];

function unescape(s, mappings) {
  let out = s;
  for (const [from, to] of mappings) out = out.replaceAll(from, to);
  return out;
}

// String.Split(sep, RemoveEmptyEntries) and Split('=', count: 2, RemoveEmptyEntries).
function splitNonEmpty(s, sep) {
  return s.split(sep).filter((p) => p !== '');
}
function splitPair(s) {
  const trimmed = s.replace(/^=+/, '');
  const eq = trimmed.indexOf('=');
  if (eq < 0) return [trimmed];
  const rest = trimmed.slice(eq + 1);
  return rest === '' ? [trimmed.slice(0, eq)] : [trimmed.slice(0, eq), rest];
}

function properties(text, sep, mappings) {
  // A Dictionary with OrdinalIgnoreCase keys: later duplicates win, first spelling is kept.
  const props = {};
  const keyOf = new Map();
  for (const item of splitNonEmpty(text, sep)) {
    const pair = splitPair(item);
    if (pair.length !== 2) continue;
    const lower = pair[0].toLowerCase();
    const key = keyOf.get(lower) ?? pair[0];
    keyOf.set(lower, key);
    props[key] = unescape(pair[1], mappings);
  }
  return props;
}

function lookup(name, registered) {
  const lower = name.toLowerCase();
  for (const r of registered) if (r.toLowerCase() === lower) return true;
  return false;
}

const LEADING_SPACE = new RegExp(`^[${DOTNET_SPACE}]+`);
const TRIM = new RegExp(`^[${DOTNET_SPACE}]+|[${DOTNET_SPACE}]+$`, 'g');

/** ActionCommand.TryParseV2. Returns {name, rawName, properties, data, syntax: 'v2'} or null. */
export function parseV2(line, registered = REGISTERED_COMMANDS) {
  if (!line) return null;
  const msg = line.replace(LEADING_SPACE, '');
  if (!msg.startsWith('::')) return null;
  const end = msg.indexOf('::', 2);
  if (end < 0) return null;
  const info = msg.slice(2, end);
  const space = info.indexOf(' ');
  const rawName = space < 0 ? info : info.slice(0, space);
  if (!rawName || !lookup(rawName, registered)) return null;
  const props = space > 0 ? properties(info.slice(space + 1).replace(TRIM, ''), ',', PROPERTY_UNESCAPES) : {};
  return { name: rawName.toLowerCase(), rawName, properties: props, data: unescape(msg.slice(end + 2), DATA_UNESCAPES), syntax: 'v2' };
}

/** ActionCommand.TryParse (legacy): the first `##[` anywhere in the line, up to the next `]`. */
export function parseLegacy(line, registered = REGISTERED_COMMANDS) {
  if (!line) return null;
  const prefix = line.indexOf('##[');
  if (prefix < 0) return null;
  const rb = line.indexOf(']', prefix);
  if (rb < 0) return null;
  const info = line.slice(prefix + 3, rb);
  const space = info.indexOf(' ');
  const rawName = space < 0 ? info : info.slice(0, space);
  if (!rawName || !lookup(rawName, registered)) return null;
  const props = space > 0 ? properties(info.slice(space + 1), ';', LEGACY_UNESCAPES) : {};
  return { name: rawName.toLowerCase(), rawName, properties: props, data: unescape(line.slice(rb + 1), LEGACY_UNESCAPES), syntax: 'legacy' };
}

/** ActionCommandManager.TryProcessCommand's parse step: V2 first, then the legacy syntax. */
export function parseCommand(line, registered = REGISTERED_COMMANDS) {
  return parseV2(line, registered) ?? parseLegacy(line, registered);
}
