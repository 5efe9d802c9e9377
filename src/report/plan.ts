// The resource plan as Markdown, in Pulumi's own notation, for the job summary and the PR
// comment, within a character budget the caller gives. The plan is a fenced `diff` block (GitHub
// colours its + and - lines): inside it nothing is Markdown, and every line we write starts with
// an operation symbol or spaces then one, so no text from an event can close the fence.
import type { ChangedResource, Diagnostic, PolicyFinding, PropertyChange, UpdatePlan } from '../domain/outcome.js';
import { cut, escapeMarkdown as md, safeUrl, stripControls } from '../runner-io/untrusted-text.js';
import { REPLACE_STEPS } from '../domain/vocabulary.js';

/** Pulumi's words: [symbol, future (preview), past (update)], in the order the plan shows them. */
const WORDS: Record<string, [string, string, string]> = {
  replace: ['+-', 'to replace', 'replaced'],
  delete: ['-', 'to delete', 'deleted'],
  create: ['+', 'to create', 'created'],
  update: ['~', 'to update', 'updated'],
  import: ['=', 'to import', 'imported'],
  read: ['>', 'to read', 'read'],
  refresh: ['~', 'to refresh (drift)', 'refreshed (drift)'],
  discard: ['<', 'to discard', 'discarded'],
  'remove-pending-replace': ['-', 'to remove pending replace', 'removed pending replace'],
  'create-replacement': ['++', 'to create replacement', 'created replacement'],
  'delete-replaced': ['--', 'to delete original', 'deleted original'],
};
const ORDER = Object.keys(WORDS);
/** Own entries only: an op named `constructor` from the service must not find Object's. */
const wordsOf = (op: string) => (Object.hasOwn(WORDS, op) ? WORDS[op] : undefined);
/** Kept free for the closing line that says what was left out. */
const FOOTER_RESERVE = 400;
/** Properties shown per resource; the rest are counted. */
export const MAX_PROPS = 10;
const MAX_POLICY_ROWS = 50;
/** Sections longer than this many lines are collapsed. */
const COLLAPSE_LINES = 25;
const MAX_ERROR = 300;

export interface PlanRenderOptions {
  /** Characters the plan may take (the caller keeps room for the rest of the report). */
  budget: number;
  /** The update in the Pulumi console, linked when the plan is cut. */
  consoleUrl?: (plan: UpdatePlan) => string | undefined;
  /** The link is shown only on this origin; without it, only on app.pulumi.com. */
  consoleOrigin?: string;
  /** The counts are in the headline already: a single plan does not repeat them. */
  countsShown?: boolean;
}

const rank = (op: string) => {
  const i = ORDER.indexOf(op);
  return i < 0 ? ORDER.length : i;
};

/** "+2 to create, ~1 to update, +-1 to replace, 4 unchanged" from Pulumi's counts (plain text, not escaped). */
export function describeCounts(changes: Record<string, number>, preview: boolean): string {
  const entries = Object.entries(changes).filter(([op, n]) => n > 0 && op !== 'same' && !(REPLACE_STEPS.has(op) && (changes.replace ?? 0) > 0));
  entries.sort(([a], [b]) => rank(a) - rank(b));
  const parts = entries.map(([op, n]) => {
    const w = wordsOf(op);
    return w ? `${w[0]}${n} ${preview ? w[1] : w[2]}` : `${n} ${preview ? 'to ' : ''}${cut(stripControls(op), 40)}`;
  });
  if (!parts.length) return changes.same ? `no changes, ${changes.same} unchanged` : 'no changes';
  if (changes.same) parts.push(`${changes.same} unchanged`);
  return parts.join(', ');
}

/** Text for a line inside the fenced block: one line, no control characters, bounded. */
export function codeText(value: unknown, max: number): string {
  return cut(stripControls(String(value ?? '')).replace(/[\r\n\u2028\u2029]/g, ' '), max);
}

/** Pulumi's display name of a type: `aws:s3/bucket:Bucket` is shown as `aws:s3:Bucket`. */
export function displayType(type: string): string {
  const m = /^([^:]+):([^:/]+)\/([^:/]+):([^:]+)$/.exec(type);
  return m && m[3] === m[4]!.charAt(0).toLowerCase() + m[4]!.slice(1) ? `${m[1]}:${m[2]}:${m[4]}` : type;
}

/** Pulumi's words for a step that did not finish: "creating failed", "updating (interrupted)". */
const GERUND: Record<string, string> = {
  create: 'creating',
  update: 'updating',
  delete: 'deleting',
  replace: 'replacing',
  import: 'importing',
  read: 'reading',
  refresh: 'refreshing',
};

/** `~ key: old => new`; a value the event did not hold is left out (the key alone says it changes). */
function propertyLine(p: PropertyChange): string {
  const key = codeText(p.key, 120);
  const mark = p.replace ? ' (forces replacement)' : '';
  const value = (v: string | undefined) => (v === undefined ? '' : codeText(v, 100));
  const symbol = p.kind === 'add' ? '+' : p.kind === 'delete' ? '-' : '~';
  const values =
    p.kind === 'add' ? value(p.new) : p.kind === 'delete' ? value(p.old) : p.old === undefined && p.new === undefined ? '' : `${value(p.old) || '?'} => ${value(p.new) || '?'}`;
  return `    ${symbol} ${key}${values ? `: ${values}` : ''}${mark}`;
}

/** A resource as Pulumi's display shows it: `+- type name replace [diff: ~key]`, then its property lines. */
export function resourceLines(r: ChangedResource, preview: boolean): string[] {
  const w = wordsOf(r.op);
  const symbol = (w?.[0] ?? '*').padEnd(2);
  const opText = codeText(r.failed || r.interrupted ? (Object.hasOwn(GERUND, r.op) ? GERUND[r.op]! : r.op) : preview || !w ? r.op : w[2], 40);
  const replaces = new Set(r.replaceKeys);
  const showProps = r.props.length > 0;
  // Pulumi's [diff: ...] is about changes: a create or delete lists none.
  const diffKeys =
    !showProps && r.keys.length && r.op !== 'create' && r.op !== 'delete'
      ? ` [diff: ${r.keys.map((k) => `~${codeText(k, 100)}`).join(', ')}${r.more ? `, ${r.more} more` : ''}]`
      : '';
  const state = r.failed ? ' failed' : r.interrupted ? ' (interrupted)' : '';
  const lines = [`${symbol} ${codeText(displayType(r.type), 150)} ${codeText(r.name, 150)} ${opText}${state}${diffKeys}`];
  if (r.failed && r.error) lines.push(`    error: ${codeText(r.error, MAX_ERROR)}`);
  if (showProps) {
    for (const p of r.props.slice(0, MAX_PROPS)) lines.push(propertyLine({ ...p, replace: p.replace || replaces.has(p.key) }));
    const rest = r.props.length - MAX_PROPS + r.more + Math.max(0, r.keys.length - r.props.length);
    if (rest > 0) lines.push(`    ... ${rest} more`);
  }
  return lines;
}

/** Writes lines while they fit; counts what it had to leave out. */
class Writer {
  text = '';
  constructor(private readonly limit: number) {}
  add(line: string): boolean {
    if (this.text.length + line.length + 1 > this.limit) return false;
    this.text += `${line}\n`;
    return true;
  }
  fits(chars: number): boolean {
    return this.text.length + chars <= this.limit;
  }
}

/** Opens a section, collapsed when it is long. */
const open = (summary: string, lines: number) => (lines > COLLAPSE_LINES ? `<details><summary>${summary}</summary>\n` : `**${summary}**\n`);
const close = (lines: number) => (lines > COLLAPSE_LINES ? '</details>\n' : '');

const diagnosticText = (d: Diagnostic) => `${d.severity === 'error' ? '❌' : '⚠️'} ${md(d.message, 500).trim()}`;

/** Diagnostics grouped under the resource that raised them (those of no resource first). */
function diagnosticLines(diagnostics: Diagnostic[]): string[] {
  const groups = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const key = d.resource ?? '';
    const list = groups.get(key);
    if (list) list.push(d);
    else groups.set(key, [d]);
  }
  const lines: string[] = [];
  for (const [resource, list] of [...groups].sort(([a], [b]) => (a ? 1 : 0) - (b ? 1 : 0))) {
    if (!resource) for (const d of list) lines.push(`- ${diagnosticText(d)}`);
    else {
      // Trimmed: spaces after the list marker would make the item an indented code block.
      lines.push(`- ${md(resource, 300).trim()}`);
      for (const d of list) lines.push(`  - ${diagnosticText(d)}`);
    }
  }
  return lines;
}

const policyRow = (p: PolicyFinding) =>
  `| ${p.severity === 'error' ? '❌' : '⚠️'} ${md(p.level, 40)} | ${md(p.pack, 100)} | ${md(p.policy, 100)} | ${p.resource ? md(p.resource, 200) : 'stack'} | ${md(p.message, 300)} |`;

/** One update's plan within `budget` characters; `consoleUrl` is linked only when safeUrl accepts it for `consoleOrigin`. */
export function renderPlan(plan: UpdatePlan, budget: number, consoleUrl?: string, consoleOrigin = 'https://app.pulumi.com', countsShown = false): string {
  const out = new Writer(Math.max(0, budget - FOOTER_RESERVE));
  let hidden = plan.omittedResources;
  const what = plan.preview ? 'Preview' : `${plan.kind[0]!.toUpperCase()}${plan.kind.slice(1)}`;
  const counts = plan.changes ? describeCounts(plan.changes, plan.preview) : 'Pulumi sent no summary; the list is from the resource events';
  // A single plan's counts are the headline's; several each get a heading with theirs.
  if (!countsShown && !out.add(`#### ${md(what)}: ${md(counts, 2_000)}\n`)) return '';

  const resources = [...plan.resources].sort((a, b) => rank(a.op) - rank(b.op));
  if (resources.length) {
    const lines = resources.flatMap((r) => resourceLines(r, plan.preview));
    const head = lines.length > COLLAPSE_LINES ? `<details><summary>Plan: ${resources.length} changed resources</summary>\n\n` : '';
    // Opened only when the first resource fits too: never an empty block.
    if (out.fits(head.length + 40 + resourceLines(resources[0]!, plan.preview).join('\n').length)) {
      out.text += `${head}\`\`\`diff\n`;
      let shown = 0;
      for (const r of resources) {
        const rl = resourceLines(r, plan.preview);
        if (!out.fits(rl.join('\n').length + 1 + 5 + (head ? 11 : 0))) break;
        for (const l of rl) out.add(l);
        shown++;
      }
      hidden += resources.length - shown;
      out.text += `\`\`\`\n${head ? '</details>\n' : ''}\n`;
    } else hidden += resources.length;
  }

  if (plan.outputChanges.length) {
    const lines = plan.outputChanges.map(propertyLine).map((l) => l.slice(2));
    if (plan.omittedOutputChanges) lines.push(`  ... ${plan.omittedOutputChanges} more`);
    const block = `${open(`Stack outputs (${plan.outputChanges.length + plan.omittedOutputChanges} changed)`, lines.length)}\n\`\`\`diff\n${lines.join('\n')}\n\`\`\`\n${close(lines.length)}`;
    if (out.fits(block.length + 1)) out.text += `${block}\n`;
  }

  if (plan.policies.length) {
    const total = plan.policies.length + plan.omittedPolicies;
    const mandatory = plan.policies.filter((p) => p.severity === 'error').length;
    // Mandatory violations first: they are what fails the run.
    const rows = [...plan.policies].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1)).slice(0, MAX_POLICY_ROWS);
    out.add(open(`Policy violations (${total}${mandatory ? `, ${mandatory} mandatory` : ''})`, rows.length));
    out.add('| Level | Pack | Policy | Resource | Message |');
    out.add('|---|---|---|---|---|');
    let shown = 0;
    for (const p of rows) {
      if (!out.add(policyRow(p))) break;
      shown++;
    }
    out.add(total - shown > 0 ? `\n_${total - shown} more policy violations not shown._\n` : '');
    // Closed whatever fitted (the footer reserve holds it), so no tag is left open.
    out.text += `${close(rows.length)}\n`;
  }

  if (plan.diagnostics.length) {
    const lines = diagnosticLines(plan.diagnostics);
    const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = plan.diagnostics.length - errors;
    const title = `Diagnostics (${[errors && `${errors} error${errors === 1 ? '' : 's'}`, warnings && `${warnings} warning${warnings === 1 ? '' : 's'}`].filter(Boolean).join(', ')})`;
    // Errors are read at once; warnings alone wait in a collapsed block.
    const collapse = lines.length > COLLAPSE_LINES || errors === 0;
    out.add(collapse ? `<details><summary>${title}</summary>\n` : `**${title}**\n`);
    let shown = 0;
    for (const l of lines) {
      if (!out.add(l)) break;
      shown++;
    }
    const rest = lines.length - shown + plan.omittedDiagnostics;
    out.add(rest > 0 ? `\n_${rest} more diagnostic lines not shown._\n` : '');
    out.text += collapse ? '\n</details>\n' : '\n';
  }

  let text = out.text;
  if (hidden > 0) {
    const url = safeUrl(consoleUrl, consoleOrigin);
    // safeUrl percent-encodes ( ) and spaces, which would end the Markdown link.
    const link = url ? `[the full plan in the Pulumi console](${url})` : 'the full plan in the Pulumi console';
    text += `\n_${hidden} more changed resource${hidden === 1 ? '' : 's'} not shown here; see ${link}._\n`;
  }
  // Escaped fragments next to each other could still spell `::` or `#[` (as sanitizeLine breaks them).
  text = text.replace(/:(?=:)/g, ':\u200b').replace(/#\[/g, '#\u200b[');
  // Only a console URL far longer than any real one could get here: cut at a line end.
  return text.length <= budget ? text : text.slice(0, Math.max(0, text.lastIndexOf('\n', budget - 1) + 1));
}

/** Every update's plan (usually one), sharing the budget; a single plan leaves its counts to the headline. */
export function renderPlans(plans: UpdatePlan[], options: PlanRenderOptions): string {
  if (!plans.length || options.budget <= 0) return '';
  const share = Math.floor(options.budget / plans.length);
  return plans
    .map((p) => renderPlan(p, share, options.consoleUrl?.(p), options.consoleOrigin, options.countsShown === true && plans.length === 1))
    .filter(Boolean)
    .join('\n');
}
