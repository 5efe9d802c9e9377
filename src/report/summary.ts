import * as core from '@actions/core';
import { oneLine } from '../domain/input-error.js';
import { triggeringCommit } from '../runner-io/github-context.js';
import { renderReport, SUMMARY_MAX_CHARS, type ReportData } from './markdown.js';
import { reportData } from './outputs.js';
import { renderStacksTable } from './stacks-table.js';
import type { Reporter, ReporterDeps } from './reporter.js';
import type { Judged } from './verdict.js';

/** The report of a followed deployment, as the job summary and the PR comment show it. */
export function reportDataOf(result: Judged, { settings, secrets, context }: ReporterDeps): ReportData | undefined {
  const { outcome, verdict } = result;
  if (outcome.end !== 'followed' || !verdict) return undefined;
  const base = settings.consoleBase ?? settings.consoleOrigin;
  return {
    ...reportData(outcome.followed, verdict, settings.operation, (text) => secrets.redactForPost(text), base),
    consoleOrigin: settings.consoleOrigin,
    commit: settings.requestedCommit ?? triggeringCommit(context),
  };
}

/** The job summary: with several stacks a table of them first, then the report of each followed deployment. */
export function summaryReporter(deps: ReporterDeps): Reporter {
  return {
    finished: async (results) => {
      if (results.length > 1 && process.env.GITHUB_STEP_SUMMARY) {
        await core.summary
          .addRaw(renderStacksTable(results, deps.settings.operation, deps.settings.consoleOrigin))
          .write()
          .catch((error: unknown) => deps.log.warning(`Could not write the job summary: ${oneLine(error)}`));
      }
      for (const result of results) {
        const data = reportDataOf(result, deps);
        if (!data || !process.env.GITHUB_STEP_SUMMARY) continue;
        await core.summary
          .addRaw(renderReport(data, SUMMARY_MAX_CHARS))
          .write()
          .catch((error: unknown) => deps.log.warning(`Could not write the job summary: ${oneLine(error)}`));
      }
    },
  };
}
