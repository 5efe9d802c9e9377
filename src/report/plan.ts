// The resource plan as Markdown, for the job summary and the PR comment, within a character
// budget the caller gives. Counts come from Pulumi's summaryEvent so they match its own log;
// replacements and deletions come first; every text from an event goes through escapeMarkdown.
import type { ChangedResource, Diagnostic, UpdatePlan } from '../domain/outcome.js';
import { escapeMarkdown as md, safeUrl } from '../runner-io/untrusted-text.js';

/** Pulumi's words: [preview (future), update (past)], in the order the plan shows them. */
const WORDS: Record<string, [string, string, string]> = {
  // op: [symbol, future, past]
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
const STEPS_OF_REPLACE = new Set(['create-replacement', 'delete-replaced', 'discard-replaced', 'import-replacement', 'read-replacement']);
/** Kept free for the closing line that says what was left out. */
const FOOTER_RESERVE = 400;
const MAX_POLICY_ROWS = 50;
const MAX_ERROR_LINES = 10;

export interface PlanRenderOptions {
  /** Characters the plan may take (the caller keeps room for the rest of the report). */
  budget: number;
  /** The update in the Pulumi console, linked when the plan is cut. */
  consoleUrl?: (plan: UpdatePlan) => string | undefined;
  /** The link is shown only on this origin; without it, only on app.pulumi.com. */
  consoleOrigin?: string;
}

const opWord = (op: string, preview: boolean): string => {
  const w = wordsOf(op);
  return w ? (preview ? w[1] : w[2]) : `${preview ? 'to ' : ''}${op}`;
};

/** "+ 2 to create, ~ 1 to update, 4 unchanged" from Pulumi's counts (escaped). */
export function describeCounts(changes: Record<string, number>, preview: boolean): string {
  const entries = Object.entries(changes).filter(([op, n]) => n > 0 && op !== 'same' && !(STEPS_OF_REPLACE.has(op) && (changes.replace ?? 0) > 0));
  entries.sort(([a], [b]) => rank(a) - rank(b));
  const parts = entries.map(([op, n]) => `${wordsOf(op)?.[0] ?? ''} ${n} ${opWord(op, preview)}`.trim());
  if (changes.same) parts.push(`${changes.same} unchanged`);
  return parts.length ? md(parts.join(', '), 2_000) : 'no changes';
}

const rank = (op: string) => {
  const i = ORDER.indexOf(op);
  return i < 0 ? ORDER.length : i;
};

/** Writes lines while they fit; counts what it had to leave out. */
class Writer {
  text = '';
  left = 0;
  constructor(private readonly limit: number) {}
  add(line: string): boolean {
    if (this.text.length + line.length + 1 > this.limit) return false;
    this.text += `${line}\n`;
    return true;
  }
}

function resourceLine(r: ChangedResource): string {
  const replaces = new Set(r.replaceKeys);
  const keys = r.keys.map((k) => (replaces.has(k) ? `${md(k, 100)} (forces replacement)` : md(k, 100)));
  if (r.more) keys.push(`${r.more} more`);
  const steps = r.steps.length ? `; steps: ${r.steps.map((s) => md(s, 100)).join(', ')}` : '';
  return `- **${md(r.type, 150)}** ${md(r.name, 150)}${keys.length ? `: ${keys.join(', ')}` : ''}${steps}`;
}

const diagnosticLine = (d: Diagnostic) => `- ${d.resource ? `**${md(d.resource, 200)}**: ` : ''}${md(d.message, 500)}`;

/** One update's plan within `budget` characters; `consoleUrl` is linked only when safeUrl accepts it for `consoleOrigin`. */
export function renderPlan(plan: UpdatePlan, budget: number, consoleUrl?: string, consoleOrigin = 'https://app.pulumi.com'): string {
  const out = new Writer(Math.max(0, budget - FOOTER_RESERVE));
  let hidden = plan.omittedResources;
  const what = plan.preview ? 'Preview' : plan.kind === 'update' ? 'Update' : `${plan.kind[0]!.toUpperCase()}${plan.kind.slice(1)}`;
  if (!out.add(`#### ${md(what)}: resource plan\n`)) return '';
  out.add(`**${plan.changes ? describeCounts(plan.changes, plan.preview) : 'Pulumi sent no summary; the list below is from the resource events'}**\n`);

  const errors = plan.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    out.add(`**Errors** (${errors.length})\n`);
    for (const d of errors.slice(0, MAX_ERROR_LINES)) out.add(diagnosticLine(d));
    out.add('');
  }

  if (plan.policies.length) {
    out.add(`**Policy findings** (${plan.policies.length + plan.omittedPolicies})\n`);
    out.add('| Pack | Policy | Level | Resource | Message |');
    out.add('|---|---|---|---|---|');
    let shown = 0;
    for (const p of plan.policies.slice(0, MAX_POLICY_ROWS)) {
      const level = p.severity === 'error' ? `❌ ${md(p.level)}` : `⚠️ ${md(p.level)}`;
      if (!out.add(`| ${md(p.pack, 100)} | ${md(p.policy, 100)} | ${level} | ${p.resource ? md(p.resource, 200) : 'stack'} | ${md(p.message, 300)} |`)) break;
      shown++;
    }
    const rest = plan.policies.length + plan.omittedPolicies - shown;
    out.add(rest > 0 ? `\n_${rest} more policy findings not shown._\n` : '');
  }

  const groups = new Map<string, ChangedResource[]>();
  for (const r of plan.resources) {
    const list = groups.get(r.op);
    if (list) list.push(r);
    else groups.set(r.op, [r]);
  }
  let full = true;
  for (const op of [...groups.keys()].sort((a, b) => rank(a) - rank(b))) {
    const list = groups.get(op)!;
    const words = opWord(op, plan.preview);
    const heading = `**${md(`${wordsOf(op) ? `${wordsOf(op)![0]} ` : ''}${words[0]!.toUpperCase()}${words.slice(1)}`)}** (${list.length})\n`;
    if (!full || !out.add(heading)) {
      full = false;
      hidden += list.length;
      continue;
    }
    let i = 0;
    for (; i < list.length && out.add(resourceLine(list[i]!)); i++);
    hidden += list.length - i;
    if (i < list.length) full = false;
    out.add('');
  }
  const unchanged = plan.changes?.same;
  let text = out.text;
  if (unchanged) text += `_${unchanged} unchanged resources are not listed._\n`;
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

/** Every update's plan (usually one), sharing the budget. */
export function renderPlans(plans: UpdatePlan[], options: PlanRenderOptions): string {
  if (!plans.length || options.budget <= 0) return '';
  const share = Math.floor(options.budget / plans.length);
  return plans
    .map((p) => renderPlan(p, share, options.consoleUrl?.(p), options.consoleOrigin))
    .filter(Boolean)
    .join('\n');
}
