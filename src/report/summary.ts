import * as core from '@actions/core';
import { oneLine } from '../domain/input-error.js';
import { SUMMARY_MAX_CHARS } from './markdown.js';
import { renderStepReport } from './stacks-report.js';
import type { Reporter, ReporterDeps } from './reporter.js';

/** The job summary: the step's report (with several stacks, a table of them first), written once. */
export function summaryReporter(deps: ReporterDeps): Reporter {
  return {
    finished: async (results) => {
      if (!process.env.GITHUB_STEP_SUMMARY) return;
      const report = renderStepReport(results, deps, SUMMARY_MAX_CHARS);
      if (!report) return;
      await core.summary
        .addRaw(report)
        .write()
        .catch((error: unknown) => deps.log.warning(`Could not write the job summary: ${oneLine(error)}`));
    },
  };
}
