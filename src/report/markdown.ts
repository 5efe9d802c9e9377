import type { ResourceChanges } from './resource-changes.js';
import { formatSeconds } from '../domain/outcome.js';
import { describeCounts, renderPlans } from './plan.js';
import type { UpdatePlan } from '../domain/outcome.js';
import { codeSpan, cut, escapeMarkdown, safeUrl, stripControls } from '../runner-io/untrusted-text.js';

export interface ReportData {
  stack: string;
  operation: string;
  status: string;
  ok: boolean;
  message: string;
  durationMs?: number;
  deploymentUrl?: string;
  deploymentVersion?: number;
  updateUrl?: string;
  /** Links are shown only on this origin (see `consoleOrigin`); without it, only on app.pulumi.com. */
  consoleOrigin?: string;
  failedStep?: string;
  changes?: ResourceChanges;
  /** The engine events' own counts (folded as `changes`): the headline's, when they were read. */
  engineChanges?: ResourceChanges;
  /** Where the service's answers disagree, one line each (shown as warnings). */
  contradictions?: string[];
  /** The commit the report is about (a hex SHA). */
  commit?: string;
  /** Last log lines, already redacted. */
  tail: string[];
  /** What each update did, from the engine events (already redacted), with its console link. */
  plans?: { plan: UpdatePlan; url?: string }[];
  /** How many lines the whole log had (the tail is the end of it). */
  totalLines?: number;
}

/**
 * GitHub rejects comments over 65,536 characters (then no report is posted) and hides summaries
 * over 1 MiB; 60,000 UTF-16 units is at most 180 kB of UTF-8, clear of both.
 */
export const MAX_MARKDOWN_CHARS = 60_000;
/** The job summary may hold a longer plan: 300,000 UTF-16 units are at most ~900 kB of UTF-8, under 1 MiB. */
export const SUMMARY_MAX_CHARS = 300_000;
/** Longest fence the tail uses; lines that could still close it get a zero-width space in front. */
export const MAX_FENCE = 10;
/** Lines longer than this are cut in the tail (a minified bundle in the log says nothing more past it). */
const MAX_TAIL_LINE = 2_000;

/** Kept for callers: the same removal the redaction sees through (ANSI codes and invisible characters). */
export const stripAnsi = stripControls;

/** The console's origin for a `cloud-url`: api.<domain> serves the console at app.<domain>. */
export function consoleOrigin(cloudUrl: string): string | undefined {
  try {
    const url = new URL(cloudUrl);
    if (url.hostname.startsWith('api.')) url.hostname = `app.${url.hostname.slice(4)}`;
    return url.origin;
  } catch {
    return undefined;
  }
}

/**
 * The icon of the headline: ❌ for a failed run, ⚠️ for a success with mandatory policy
 * violations or contradictions, ⏭️ for a skipped one, ✅ only when all is clean.
 */
export function headlineIcon(data: ReportData): string {
  if (data.status === 'skipped') return '⏭️';
  const mandatory = (data.plans ?? []).some(({ plan }) => plan.policies.some((p) => p.severity === 'error'));
  if (data.status === 'succeeded' && (mandatory || (data.contradictions?.length ?? 0) > 0)) return '⚠️';
  return data.ok ? '✅' : '❌';
}

/** The report both the job summary and the PR comment show; at most `maxChars` long. */
export function renderReport(data: ReportData, maxChars = MAX_MARKDOWN_CHARS): string {
  let head = renderHead(data, 2_000);
  if (head.length > maxChars - 200) head = renderHead(data, 200);
  if (head.length > maxChars) return cut(head, maxChars); // only for a maxChars far below any real use
  // The plan first (it is what a reviewer reads), then the log tail in what is left.
  const plans = data.plans ?? [];
  const urls = new Map(plans.map(({ plan, url }) => [plan, url ? safeUrl(url, data.consoleOrigin ?? 'https://app.pulumi.com') : undefined]));
  const plan = plans.length
    ? `\n${renderPlans(
        plans.map((p) => p.plan),
        { budget: Math.floor((maxChars - head.length) * 0.8), consoleUrl: (p) => urls.get(p), consoleOrigin: data.consoleOrigin, countsShown: true },
      )}`
    : '';
  return head + plan + renderTail(data.tail, maxChars - head.length - plan.length, data.totalLines);
}

/**
 * The counts in Pulumi's words: the engine's summary of the last update, else the `/updates`
 * counts (both folded, with kinds that are not change kinds left out, by the verdict).
 */
function headlineCounts(data: ReportData): string | undefined {
  const counts = data.engineChanges ?? data.changes;
  return counts ? describeCounts(counts, data.plans?.at(-1)?.plan.preview ?? data.operation === 'preview') : undefined;
}

function renderHead(data: ReportData, messageChars: number): string {
  const origin = data.consoleOrigin ?? 'https://app.pulumi.com';
  const counts = headlineCounts(data);
  const verdict = data.status === 'succeeded' && !data.ok ? 'succeeded, but the step failed' : data.status;
  let head = `### ${headlineIcon(data)} Pulumi ${escapeMarkdown(data.operation, 50)} of ${codeSpan(data.stack)} ${escapeMarkdown(verdict, 100)}`;
  // Escaped with its ': ' so a leading + stays a plus (no list marker mid-line to escape).
  head += counts ? `${escapeMarkdown(`: ${counts}`, 1_000)}\n\n` : '\n\n';
  const facts: string[] = [];
  if (data.commit && /^[0-9a-f]{7,64}$/i.test(data.commit)) facts.push(`commit ${codeSpan(data.commit.slice(0, 7))}`);
  if (data.durationMs !== undefined && Number.isFinite(data.durationMs)) facts.push(formatSeconds(Math.round(data.durationMs / 1000)));
  const updateUrl = safeUrl(data.updateUrl, origin);
  if (updateUrl) facts.push(link(data.operation === 'preview' ? 'preview in Pulumi Cloud' : 'update in Pulumi Cloud', updateUrl));
  const deploymentUrl = safeUrl(data.deploymentUrl, origin);
  const version = Number.isSafeInteger(data.deploymentVersion) ? ` #${data.deploymentVersion}` : '';
  if (deploymentUrl) facts.push(link(`deployment${version}`, deploymentUrl));
  if (data.failedStep) facts.push(`failed step: ${escapeMarkdown(data.failedStep, 200)}`);
  if (facts.length) head += `${facts.join(' · ')}\n\n`;
  // Why it failed, in the verdict's words, without the console URL it ends with (linked above).
  // Trimmed: text that starts a line must not start with spaces or a tab (an indented code block).
  if (!data.ok || data.status !== 'succeeded') head += `${escapeMarkdown(withoutUrl(data), messageChars).trim()}\n\n`;
  for (const line of data.contradictions ?? []) head += `> [!WARNING]\n> ${escapeMarkdown(line, 500).trim()}\n\n`;
  return head;
}

/** The verdict's message ends with `: <console URL>` that the headline links; text, it would not link. */
function withoutUrl(data: ReportData): string {
  let message = data.message;
  for (const url of [data.deploymentUrl, data.updateUrl]) if (url && message.endsWith(`: ${url}`)) message = message.slice(0, -url.length - 2);
  return message;
}

/**
 * The log tail in a collapsed block, cut from the top to fit `budget` characters. Inside a fenced
 * code block nothing is Markdown (no mention, HTML or link), so only a line that could close the
 * fence matters: the fence is one longer than the longest such line, up to MAX_FENCE, and a
 * line that could still close it gets a zero-width space in front. So the fence (and the size)
 * stays small whatever runs of backticks the log holds.
 */
export function renderTail(tail: string[], budget: number, totalLines = tail.length): string {
  if (!tail.length || budget < 200) return '';
  const lines = tail.map(tailLine);
  let longest = 0;
  for (const l of lines) longest = Math.max(longest, CLOSER.exec(l)?.[1]!.length ?? 0);
  const fence = '`'.repeat(Math.min(MAX_FENCE, Math.max(3, longest + 1)));
  for (let i = 0; i < lines.length; i++) {
    const run = CLOSER.exec(lines[i]!)?.[1];
    if (run && run.length >= fence.length) lines[i] = `\u200b${lines[i]}`;
  }
  const frame = (kept: string[], cutCount: number) => {
    const hidden = Math.max(cutCount, totalLines - kept.length);
    return (
      `\n<details><summary>Last ${kept.length} log lines</summary>\n\n` +
      (hidden > 0 ? `_${hidden} earlier lines not shown; the full log is in the deployment and the job log._\n\n` : '') +
      `${fence}\n${kept.join('\n')}\n${fence}\n</details>\n`
    );
  };
  let kept = lines;
  let text = frame(kept, 0);
  if (text.length > budget) {
    // Keep the newest lines that fit (the frame and both fences included); cut a line too long on its own.
    const reserve = 300 + 2 * fence.length;
    const fit = (l: string) => (l.length > budget - reserve ? cut(l, Math.max(1, budget - reserve - 20)) : l);
    let size = reserve;
    let start = lines.length;
    while (start > 0 && size + fit(lines[start - 1]!).length + 1 <= budget) size += fit(lines[--start]!).length + 1;
    kept = lines.slice(start).map(fit);
    text = frame(kept, lines.length - kept.length);
  }
  return text;
}

/** A line that closes a backtick fence: up to 3 spaces, a run of backticks, then only spaces or tabs. */
const CLOSER = /^ {0,3}(`{3,})[ \t]*$/;

/** One line as the block shows it: no control characters, no line break of any kind, bounded. */
function tailLine(line: string): string {
  return cut(stripControls(String(line)).replace(/[\n\u2028\u2029]/g, ' '), MAX_TAIL_LINE);
}

// safeUrl percent-encodes ( ) and spaces, which would end the Markdown link.
const link = (text: string, url: string) => `[${text}](${url})`;
