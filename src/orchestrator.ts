// Runs the stacks and hands what happened to the reporters. Knows no sink itself: the flow returns
// data, the reporters say it, in the order reporters.ts lists them.
import { EventEmitter } from 'node:events';
import type { ActionConfig, DeploymentConfig, StacksConfig } from './inputs/parse.js';
import type { DeploymentRequestBody } from './cloud/client.js';
import type { SkipReason, StackOutcome } from './domain/outcome.js';
import { stackLabel } from './domain/vocabulary.js';
import { runDeployment, type DeploymentDeps } from './deployment/flow.js';
import { DEFAULT_POLL_TIMING } from './deployment/logs.js';
import { judgeOutcome } from './report/verdict.js';
import type { Judged } from './report/verdict.js';
import type { Reporter } from './report/reporter.js';
import { sanitizeLine } from './runner-io/untrusted-text.js';
import type { PostStateWriter } from './runner-io/state.js';
import { BufferedLog } from './runner-io/buffered-log.js';

export interface StackRun {
  deployment: DeploymentConfig;
  body: DeploymentRequestBody;
}

type Phase = 'queued' | 'running' | 'done';

/**
 * Every stack, at most `maxParallel` at once, started in the listed order (with 1, each created
 * only after the previous one ended). With `failFast`, a failure starts no more stacks; the
 * running ones finish. `timeout` bounds the whole step: a stack gets what is left of it, and none
 * starts once it has passed; a workflow cancel starts none either (each running flow settles its
 * own cancel). Then every reporter once, with every stack's verdict in the listed order.
 */
export async function deployStacks(
  stacks: StackRun[],
  options: Pick<ActionConfig['report'], 'expectNoChanges' | 'changesIncludeOutputs'> & Pick<StacksConfig, 'maxParallel' | 'failFast'> & { consoleBase?: string },
  deps: Omit<DeploymentDeps, 'onCreated' | 'state'> & { state: PostStateWriter },
  reporters: Reporter[],
): Promise<Judged[]> {
  const startedAt = deps.clock.now();
  const results: Judged[] = new Array<Judged>(stacks.length);
  const phases: Phase[] = stacks.map(() => 'queued');
  const several = stacks.length > 1;
  // Several at once: one stack streams live, each other one's log is held and written whole when it ends.
  const buffered = several && options.maxParallel > 1;
  const labels = stacks.map(({ deployment }) => stackLabel(deployment.stack));
  // Several at once may all wait in the queue: each reads its status half as often there, so a
  // step of N stacks asks the service less than N steps of one would.
  const base = deps.timing ?? DEFAULT_POLL_TIMING;
  const timing = buffered ? { ...base, queuedMaxMs: 2 * (base.queuedMaxMs ?? base.idleMaxMs) } : base;
  let stopping: SkipReason | undefined;
  let liveSlot: number | undefined;
  // One listener per signal on the process, whatever max-parallel is (Node warns past 10); the flows listen here.
  const signals = deps.signals ?? process;
  const relay = new EventEmitter().setMaxListeners(0);
  const onSignal = (signal: NodeJS.Signals) => {
    stopping = 'job-cancelled';
    relay.emit(signal, signal);
  };
  signals.on('SIGINT', onSignal);
  signals.on('SIGTERM', onSignal);

  const judge = ({ deployment }: StackRun, outcome: StackOutcome) =>
    judgeOutcome(outcome, {
      failOnSkipped: deployment.failOnSkipped,
      expectNoChanges: options.expectNoChanges,
      changesIncludeOutputs: options.changesIncludeOutputs,
      timeoutSeconds: deployment.timeoutSeconds,
      operation: deployment.operation,
      consoleBase: options.consoleBase,
    });
  const progress = () => {
    if (!several) return;
    const list = (phase: Phase, word: string, describe: (i: number) => string = (i) => labels[i]!) => {
      const of = phases.flatMap((p, i) => (p === phase ? [describe(i)] : []));
      return of.length ? [`${word} ${of.join(', ')}`] : [];
    };
    const parts = [...list('running', 'running'), ...list('queued', 'queued'), ...list('done', 'done', (i) => `${labels[i]} (${doneWord(results[i]!)})`)];
    deps.log.info(`Stacks: ${parts.join('; ')}.`);
  };

  let next = 0;
  const worker = async () => {
    while (next < stacks.length) {
      const i = next++;
      const stack = stacks[i]!;
      const leftMs = stack.deployment.timeoutSeconds * 1000 - (deps.clock.now() - startedAt);
      const because = stopping ?? (leftMs <= 0 ? 'timeout' : undefined);
      if (because) {
        results[i] = judge(stack, { stack: stack.deployment.stack, end: 'skipped', because });
        phases[i] = 'done';
        continue;
      }
      phases[i] = 'running';
      progress();
      // Several at once: the first to start while none streams live streams live; the others are held.
      const live = buffered && liveSlot === undefined;
      if (live) liveSlot = i;
      const log = buffered ? new BufferedLog(deps.log, labels[i]!, { live }) : deps.log;
      let consoleUrl: string | undefined;
      const outcome = await runDeployment({ ...stack.deployment, timeoutSeconds: leftMs / 1000 }, stack.body, {
        ...deps,
        timing,
        signals: relay,
        log,
        state: deps.state.deployment(),
        onCreated: (run) => {
          consoleUrl = run.consoleUrl;
          reporters.forEach((reporter) => reporter.created?.(run));
        },
      });
      if (log instanceof BufferedLog) await log.flush(consoleUrl);
      if (live) liveSlot = undefined;
      results[i] = judge(stack, outcome);
      phases[i] = 'done';
      if (options.failFast && !results[i].ok) stopping ??= 'fail-fast';
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.maxParallel, stacks.length)) }, worker));
    progress();
  } finally {
    signals.off('SIGINT', onSignal);
    signals.off('SIGTERM', onSignal);
  }

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

/** How a stack ended, in a word or two, for the progress line. */
function doneWord({ outcome, ok }: Judged): string {
  switch (outcome.end) {
    case 'followed':
      return outcome.followed.stop === 'timeout' ? 'timed out' : outcome.followed.status;
    case 'skipped':
      return 'skipped';
    case 'not-waited':
      return 'handed over';
    case 'workflow-cancelled':
      return 'cancelled';
    default:
      return ok ? 'done' : 'failed';
  }
}
