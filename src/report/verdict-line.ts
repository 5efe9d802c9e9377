import * as core from '@actions/core';
import type { Reporter, ReporterDeps } from './reporter.js';

/** The verdict line: printed, or the step's failure. Listed before anything that calls GitHub, so a slow GitHub never hides it. */
export function verdictLineReporter({ log, secrets }: ReporterDeps): Reporter {
  return {
    finished: (results) => {
      for (const { outcome, ok, message } of results) {
        if (ok) {
          if (message) log.info(message);
        } else {
          // An error of ours may quote a service answer: redacted like every line we write.
          core.setFailed(outcome.end === 'error' ? secrets.redact(message) : message);
        }
      }
    },
  };
}
