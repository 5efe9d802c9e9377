import { describeChanges, type ResourceChanges } from './resource-changes.js';
import { formatSeconds } from '../deployment-runner.js';

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
  failedStep?: string;
  changes?: ResourceChanges;
  /** Last log lines, already redacted. */
  tail: string[];
  /** How many lines the whole log had (the tail is the end of it). */
  totalLines?: number;
}

/** GitHub rejects comments and summaries over 65,536 characters; keep clear of it. */
export const MAX_MARKDOWN_CHARS = 60_000;

// eslint-disable-next-line no-control-regex -- ANSI escape sequences, on purpose
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;
export const stripAnsi = (text: string): string => text.replace(ANSI, '');

const ICON: Record<string, string> = { succeeded: '✅', failed: '❌', skipped: '⏭️' };

/** The report both the job summary and the PR comment show. */
export function renderReport(data: ReportData, maxChars = MAX_MARKDOWN_CHARS): string {
  const icon = data.ok ? (ICON[data.status] ?? '✅') : data.status === 'skipped' ? '⏭️' : '❌';
  const rows: [string, string][] = [
    ['Stack', `\`${data.stack}\``],
    ['Operation', data.operation],
    ['Status', data.status],
  ];
  if (data.durationMs !== undefined) rows.push(['Duration', formatSeconds(Math.round(data.durationMs / 1000))]);
  if (data.deploymentUrl) rows.push(['Deployment', link(data.deploymentVersion !== undefined ? `#${data.deploymentVersion}` : 'open', data.deploymentUrl)]);
  if (data.updateUrl) rows.push([data.operation === 'preview' ? 'Preview' : 'Update', link('open', data.updateUrl)]);
  if (data.failedStep) rows.push(['Failed step', escapeCell(data.failedStep)]);
  if (data.changes) rows.push(['Changes', describeChanges(data.changes)]);

  let head = `### ${icon} Pulumi ${data.operation} of \`${data.stack}\`: ${data.status}\n\n${escapeCell(data.message)}\n\n`;
  head += '| | |\n|---|---|\n' + rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n') + '\n';
  if (data.changes) {
    const kinds = Object.keys(data.changes);
    head += `\n| ${kinds.join(' | ')} |\n|${kinds.map(() => '---:').join('|')}|\n| ${kinds.map((k) => data.changes![k]).join(' | ')} |\n`;
  }
  return head + renderTail(data.tail, maxChars - head.length, data.totalLines);
}

/** The log tail in a collapsed block, cut from the top to fit `budget` characters. */
export function renderTail(tail: string[], budget: number, totalLines = tail.length): string {
  if (!tail.length || budget < 200) return '';
  const lines = tail.map(stripAnsi);
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(lines) + 1));
  const frame = (kept: string[], cut: number) => {
    const hidden = Math.max(cut, totalLines - kept.length);
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
    const fit = (l: string) => (l.length > budget - reserve ? `${l.slice(0, Math.max(0, budget - reserve - 20))}…` : l);
    let size = reserve;
    let start = lines.length;
    while (start > 0 && size + fit(lines[start - 1]!).length + 1 <= budget) size += fit(lines[--start]!).length + 1;
    kept = lines.slice(start).map(fit);
    text = frame(kept, lines.length - kept.length);
  }
  return text;
}

function longestBacktickRun(lines: string[]): number {
  let longest = 0;
  for (const line of lines) for (const run of line.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

// encodeURIComponent leaves ( and ) as they are; a ) would end the Markdown link.
const link = (text: string, url: string) => `[${text}](${url.replace(/[()\s]/g, (c) => (c === '(' ? '%28' : c === ')' ? '%29' : encodeURIComponent(c)))})`;
const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
