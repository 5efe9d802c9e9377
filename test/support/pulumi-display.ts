// Reads pulumi/pulumi's display test data (test/fixtures/pulumi-display, Apache-2.0, see NOTICE):
// the recorded engine events, adapted to the events endpoint's shape, and what Pulumi's own
// display printed for them, reduced to the facts the report must agree on.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/pulumi-display/', import.meta.url));

export const fixtureNames = (): string[] =>
  readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();

/** The concatenated JSON objects of a stream file (one per line, or pretty-printed). */
function splitJson(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) out.push(JSON.parse(text.slice(start, i + 1)));
  }
  return out;
}

/**
 * The adapter: apitype.EngineEvent names its kind by the one `<kind>Event` key; the events
 * endpoint also sends it as `type`. Nothing else is changed.
 */
export function adaptEvent(event: Record<string, unknown>): Record<string, unknown> {
  const kinds = Object.keys(event).filter((k) => k.endsWith('Event'));
  if (kinds.length !== 1) throw new Error(`an event with ${kinds.length} kinds`);
  return { type: kinds[0], ...event };
}

export const fixtureEvents = (name: string) => splitJson(readFileSync(`${FIXTURES}${name}.json`, 'utf8')).map((e) => adaptEvent(e as Record<string, unknown>));

const plain = (text: string) => text.replace(/<\{%[^%]*%\}>/g, '');

export interface PulumiDisplay {
  /** From the "Resources:" block: created, updated, deleted, replaced, unchanged, errored. */
  counts: Record<string, number>;
  /** urn -> the folded operation (create, update, delete, replace) of each resource that is not `same`. */
  ops: Map<string, string>;
  /** urn -> the top-level property keys the diff display marks as changed (update and replace steps). */
  keys: Map<string, Set<string>>;
  /** Resource names whose last progress row says failed / interrupted (only when the progress output is recorded). */
  failed?: Set<string>;
  interrupted?: Set<string>;
  /** Stack output keys the progress display lists under "Outputs:" as changed. */
  outputKeys?: Set<string>;
}

const REPLACE_OPS = new Set(['replace', 'create-replacement', 'delete-replaced', 'discard-replaced']);

export function pulumiDisplay(name: string): PulumiDisplay {
  const diff = plain(readFileSync(`${FIXTURES}${name}.json.stdout.txt`, 'utf8')).split('\n');
  const counts: Record<string, number> = {};
  const ops = new Map<string, string>();
  const keys = new Map<string, Set<string>>();
  let inResources = false;
  for (let i = 0; i < diff.length; i++) {
    const line = diff[i]!;
    if (line.startsWith('Resources:')) inResources = true;
    else if (inResources) {
      const m = /^\s+(?:[+~-]{1,2}\s*)?(\d+) (\w+)$/.exec(line);
      if (m) counts[m[2]!] = Number(m[1]);
      else if (!line.trim()) inResources = false;
    }
    const head = /^(\s*)(?:[-+~<>=]{1,2}\s*)?([\w:/.-]+): \(([\w-]+)\)$/.exec(line);
    if (!head) continue;
    const urnLine = diff.slice(i + 1, i + 4).find((l) => l.trim().startsWith('[urn='));
    if (!urnLine) continue;
    const urn = urnLine.trim().slice('[urn='.length, -1);
    const op = head[3]!;
    if (op === 'same') continue;
    ops.set(urn, REPLACE_OPS.has(op) || ops.get(urn) === 'replace' ? 'replace' : op);
    if (op !== 'update' && !REPLACE_OPS.has(op)) continue;
    if (op === 'delete-replaced') continue; // lists the old state, not changes
    const indent = head[1]!.length + 2;
    const set = keys.get(urn) ?? new Set<string>();
    for (let j = i + 1; j < diff.length; j++) {
      const l = diff[j]!;
      if (/^\s*\[(urn|id|provider)=/.test(l)) continue;
      const lead = /^(\s*)/.exec(l)![1]!.length;
      if (!l.trim() || lead < indent) break;
      const prop = new RegExp(`^ {${indent}}[~+-] ([^\\s:]+)\\s*:`).exec(l);
      if (prop) set.add(prop[1]!);
    }
    keys.set(urn, set);
  }
  const display: PulumiDisplay = { counts, ops, keys };
  const progressFile = `${FIXTURES}${name}.json.non-interactive.stdout.txt`;
  if (existsSync(progressFile)) {
    const rows = plain(readFileSync(progressFile, 'utf8')).split('\n');
    const last = new Map<string, string>();
    const outputKeys = new Set<string>();
    let inOutputs = false;
    for (const row of rows) {
      if (row.startsWith('Outputs:')) inOutputs = true;
      else if (row.startsWith('Resources:')) inOutputs = false;
      else if (inOutputs) {
        const m = /^ {2}[~+-] ([^\s:]+)\s*:/.exec(row);
        if (m) outputKeys.add(m[1]!);
      }
      const m = /^ [-+~<>= ]{2} (\S+) (\S+) ?(.*)$/.exec(row);
      if (m && !inOutputs && m[1]!.includes(':')) last.set(m[2]!, m[3]!);
    }
    display.failed = new Set([...last].filter(([, s]) => /failed/.test(s)).map(([n]) => n));
    display.interrupted = new Set([...last].filter(([, s]) => /\(interrupted\)/.test(s)).map(([n]) => n));
    display.outputKeys = outputKeys;
  }
  return display;
}
