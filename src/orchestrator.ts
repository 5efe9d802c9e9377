// Runs the stacks and hands what happened to the reporters. Knows no sink itself: the flow returns
// data, the reporters say it, in the order reporters.ts lists them.
import type { ActionConfig, DeploymentConfig } from './inputs/parse.js';
import type { DeploymentRequestBody } from './cloud/client.js';
import type { StackOutcome } from './domain/outcome.js';
import { runDeployment, type DeploymentDeps } from './deployment/flow.js';
import { judgeOutcome } from './report/verdict.js';
import type { Judged } from './report/verdict.js';
import type { Reporter } from './report/reporter.js';
import { sanitizeLine } from './runner-io/untrusted-text.js';
import type { PostStateWriter } from './runner-io/state.js';

export interface StackRun {
  deployment: DeploymentConfig;
  body: DeploymentRequestBody;
}

/** Every stack, one after the other, then the verdict on each and every reporter once. */
export async function deployStacks(
  stacks: StackRun[],
  report: Pick<ActionConfig['report'], 'expectNoChanges' | 'changesIncludeOutputs'> & { consoleBase?: string },
  deps: Omit<DeploymentDeps, 'onCreated' | 'state'> & { state: PostStateWriter },
  reporters: Reporter[],
): Promise<Judged[]> {
  const outcomes: Array<{ stack: StackRun; outcome: StackOutcome }> = [];
  for (const stack of stacks) {
    const outcome = await runDeployment(stack.deployment, stack.body, {
      ...deps,
      state: deps.state.deployment(),
      onCreated: (run) => reporters.forEach((reporter) => reporter.created?.(run)),
    });
    outcomes.push({ stack, outcome });
  }
  const results = outcomes.map(({ stack: { deployment }, outcome }) =>
    judgeOutcome(outcome, {
      failOnSkipped: deployment.failOnSkipped,
      expectNoChanges: report.expectNoChanges,
      changesIncludeOutputs: report.changesIncludeOutputs,
      timeoutSeconds: deployment.timeoutSeconds,
      operation: deployment.operation,
      consoleBase: report.consoleBase,
    }),
  );
  for (const { verdict } of results) {
    if (!verdict) continue;
    if (verdict.droppedKinds.length) {
      deps.log.warning(
        `Left out of the resource changes: ${verdict.droppedKinds.length} change kind(s) that are not lower-case words (${sanitizeLine(verdict.droppedKinds.join(', '), 200)}).`,
      );
    }
    for (const contradiction of verdict.contradictions) deps.log.warning(`Contradiction: ${contradiction}.`);
  }
  for (const reporter of reporters) await reporter.finished(results);
  return results;
}
