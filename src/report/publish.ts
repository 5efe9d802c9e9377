import * as core from '@actions/core';
import type { DeploymentOutcome } from './outcome.js';
import type { CreatedRun } from '../state.js';
import type { Verdict } from './verdict.js';
import { renderReport, type ReportData } from './markdown.js';

/** Outputs known as soon as the deployment exists, so they survive a later failure. */
export function publishCreated(run: CreatedRun): void {
  core.setOutput('deployment-id', run.ref.id);
  core.setOutput('deployment-url', run.consoleUrl);
  core.setOutput('deployment-version', String(run.version));
}

export function publishOutcome(outcome: DeploymentOutcome, verdict: Verdict): void {
  core.setOutput('deployment-status', outcome.status);
  core.setOutput('update-url', verdict.updateUrl ?? '');
  core.setOutput('has-changes', String(verdict.hasChanges));
  // Unknown is said, never left as `{}`: a gate reading the counts must not see "no changes".
  core.setOutput('resource-changes', JSON.stringify(verdict.hasChanges === 'unknown' ? { unknown: true } : (verdict.changes ?? {})));
}

export function reportData(outcome: DeploymentOutcome, verdict: Verdict, operation: string, redact: (text: string) => string): ReportData {
  return {
    stack: `${outcome.ref.organization}/${outcome.ref.project}/${outcome.ref.stack}`,
    operation,
    status: outcome.timedOut ? `${outcome.status} (timed out)` : outcome.status,
    ok: verdict.ok,
    message: redact(verdict.message),
    durationMs: outcome.durationMs,
    deploymentUrl: outcome.consoleUrl,
    deploymentVersion: outcome.version,
    updateUrl: verdict.updateUrl,
    failedStep: outcome.failedStep,
    changes: verdict.changes,
    tail: outcome.tail.map(redact),
    totalLines: outcome.linesStreamed + outcome.steps.length,
  };
}

export async function writeJobSummary(data: ReportData): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(renderReport(data)).write();
}
