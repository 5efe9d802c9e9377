// The report of a whole step, as the job summary and the PR comment show it: one stack's report,
// or with several a table of them first and then each followed stack's report, all within one
// size limit that the stacks share fairly.
import { triggeringCommit } from '../runner-io/github-context.js';
import { renderReport, type ReportData } from './markdown.js';
import { reportData } from './outputs.js';
import { renderStacksTable } from './stacks-table.js';
import type { ReporterDeps } from './reporter.js';
import type { Judged } from './verdict.js';

/** The report of a followed deployment (undefined for a stack that was not followed). */
export function reportDataOf(result: Judged, { settings, secrets, context }: Pick<ReporterDeps, 'settings' | 'secrets' | 'context'>): ReportData | undefined {
  const { outcome, verdict } = result;
  if (outcome.end !== 'followed' || !verdict) return undefined;
  const base = settings.consoleBase ?? settings.consoleOrigin;
  return {
    ...reportData(outcome.followed, verdict, settings.operation, (text) => secrets.redactForPost(text), base),
    consoleOrigin: settings.consoleOrigin,
    commit: settings.requestedCommit ?? triggeringCommit(context),
  };
}

/**
 * The step's report in at most `maxChars` characters; '' when there is nothing to show (one
 * stack that was not followed). With several stacks, the table comes first and whole; each
 * followed stack's report then gets a fair share of the rest (see fairShares).
 */
export function renderStepReport(results: Judged[], deps: Pick<ReporterDeps, 'settings' | 'secrets' | 'context'>, maxChars: number): string {
  const reports = results.map((result) => reportDataOf(result, deps)).filter((data) => data !== undefined);
  if (results.length === 1) return reports[0] ? renderReport(reports[0], maxChars) : '';
  const table = renderStacksTable(results, deps.settings.operation, deps.settings.consoleOrigin);
  // Each report is preceded by a line break.
  const room = maxChars - table.length - reports.length;
  if (room <= 0) return table.slice(0, maxChars);
  const whole = reports.map((data) => renderReport(data, room));
  const shares = fairShares(
    whole.map((text) => text.length),
    room,
  );
  const parts = reports.map((data, i) => (whole[i]!.length <= shares[i]! ? whole[i]! : renderReport(data, shares[i])));
  return [table, ...parts].join('\n');
}

/**
 * Splits `total` between parts that want `wants[i]` each, max-min fairly: a part that wants no
 * more than an equal share of what is left gets all it wants, and the others share the rest
 * equally. So a short report is never cut, and no cut report gets less than any other report.
 */
export function fairShares(wants: number[], total: number): number[] {
  const shares = wants.map(() => 0);
  const open = wants.map((_, i) => i).sort((a, b) => wants[a]! - wants[b]!);
  let left = Math.max(0, Math.floor(total));
  for (let next = 0; next < open.length; next++) {
    const share = Math.floor(left / (open.length - next));
    const i = open[next]!;
    if (wants[i]! > share) {
      for (const j of open.slice(next)) shares[j] = share;
      break;
    }
    shares[i] = wants[i]!;
    left -= wants[i]!;
  }
  return shares;
}
