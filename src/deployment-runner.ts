import type { DeploymentConfig } from './inputs.js';
import type { DeploymentRequestBody } from './deployment-request.js';
import type { Deployment, DeploymentRef, PulumiCloudClient, UpdateInfo } from './pulumi-client.js';
import { streamDeploymentLogs, DEFAULT_POLL_TIMING, type LogSink, type PollTiming, type StreamResult } from './log-stream.js';
import { oneLine } from './errors.js';
import { sleep, type RetryPolicy } from './retry.js';

export type DeploymentStatus = Deployment['status'];
const TERMINAL: DeploymentStatus[] = ['succeeded', 'failed', 'skipped'];
export const isTerminal = (status: string): boolean => (TERMINAL as string[]).includes(status);

export interface CreatedRun {
  ref: DeploymentRef;
  consoleUrl: string;
  version: number;
}

export interface DeploymentOutcome extends CreatedRun {
  status: DeploymentStatus;
  finished: boolean;
  timedOut: boolean;
  /** Set when this action asked the service to cancel (timeout or workflow cancelled). */
  cancelRequested: boolean;
  failedStep?: string;
  steps: string[];
  tail: string[];
  linesStreamed: number;
  updates: UpdateInfo[];
  durationMs: number;
}

export interface RunnerDeps {
  client: PulumiCloudClient;
  sink: LogSink;
  info: (message: string) => void;
  warning: (message: string) => void;
  timing?: PollTiming;
  now?: () => number;
}

/** Creates one deployment, follows it to its verdict, and cancels it when asked to. */
export class DeploymentRunner {
  private created?: CreatedRun;
  private readonly stop = new AbortController();
  private cancelRequested = false;
  private cancelling?: Promise<boolean>;
  private timedOut = false;
  private abortedByCaller = false;
  private startedAt = 0;

  constructor(
    private readonly config: DeploymentConfig,
    private readonly deps: RunnerDeps,
  ) {}

  get run(): CreatedRun | undefined {
    return this.created;
  }

  /** True once `abort()` was called: the caller (a signal handler) owns the ending. */
  get aborted(): boolean {
    return this.abortedByCaller;
  }

  /** The create request while it is in flight (a signal then waits for it, to cancel what it made). */
  creating?: Promise<CreatedRun>;

  create(body: DeploymentRequestBody): Promise<CreatedRun> {
    this.startedAt = (this.deps.now ?? Date.now)();
    this.creating = this.deps.client.createDeployment(this.config.stack, body).then((response) => {
      this.created = { ref: { ...this.config.stack, id: response.id }, consoleUrl: response.consoleUrl, version: response.version };
      return this.created;
    });
    return this.creating;
  }

  /** Follows the deployment until it ends, the timeout passes, or `abort()` is called. */
  async wait(): Promise<DeploymentOutcome> {
    const run = this.mustHaveRun();
    const timer = setTimeout(() => {
      this.timedOut = true;
      this.stop.abort();
    }, this.config.timeoutSeconds * 1000);
    // Filled in as lines arrive, so what was streamed survives an error or a stop.
    let streamed: Pick<StreamResult, 'lines' | 'steps' | 'tail'> = { lines: 0, steps: [], tail: [] };
    let deployment: Deployment | undefined;
    try {
      if (this.config.streamLogs) {
        await streamDeploymentLogs({
          fetchPage: (ref, token, signal) => this.deps.client.getDeploymentLogs(ref, token, signal),
          ref: run.ref,
          sink: this.deps.sink,
          signal: this.stop.signal,
          timing: this.deps.timing,
          onResult: (result) => (streamed = result),
        });
      }
      deployment = await this.pollUntilTerminal(this.stop.signal);
    } catch (error) {
      // An error while stopping (timeout, cancelled workflow) is not the verdict: the stop is.
      if (!this.stop.signal.aborted) throw error;
    } finally {
      clearTimeout(timer);
    }
    if (this.timedOut) {
      if (this.config.cancelOnTimeout) await this.cancel(`it did not finish within ${formatSeconds(this.config.timeoutSeconds)}`);
      deployment = await this.deps.client.getDeployment(run.ref).catch(() => deployment);
    }
    const status = deployment?.status ?? 'not-started';
    const finished = isTerminal(status);
    const updates = finished ? await this.readUpdates(run.ref) : [];
    return {
      ...run,
      status,
      finished,
      timedOut: this.timedOut,
      cancelRequested: this.cancelRequested,
      failedStep: failedStep(deployment),
      steps: streamed.steps,
      tail: streamed.tail,
      linesStreamed: streamed.lines,
      updates,
      durationMs: (this.deps.now ?? Date.now)() - this.startedAt,
    };
  }

  /** Stops following (the workflow is being cancelled); `wait()` then returns what it has. */
  abort(): void {
    this.abortedByCaller = true;
    this.stop.abort();
  }

  /** Asks the service to cancel; bounded by `policy` so it fits the runner's grace period. */
  cancel(reason: string, policy?: RetryPolicy): Promise<boolean> {
    const run = this.created;
    if (!run) return Promise.resolve(false);
    // One cancel at a time: a timeout and a signal may ask together.
    this.cancelling ??= (async () => {
      try {
        await this.deps.client.cancelDeployment(run.ref, policy);
        this.cancelRequested = true;
        this.deps.info(`Cancellation of deployment ${run.ref.id} requested: ${reason}.`);
        return true;
      } catch (error) {
        this.deps.warning(`Could not cancel deployment ${run.ref.id} (${reason}): ${oneLine(error)}. Cancel it at ${run.consoleUrl}`);
        this.cancelling = undefined;
        return false;
      }
    })();
    return this.cancelling;
  }

  /** Reads the status until terminal, backing off while it does not change. */
  private async pollUntilTerminal(signal: AbortSignal): Promise<Deployment | undefined> {
    const timing = this.deps.timing ?? DEFAULT_POLL_TIMING;
    const run = this.mustHaveRun();
    let waitMs = timing.idleStartMs / 2;
    let deployment: Deployment | undefined;
    while (!signal.aborted) {
      deployment = await this.deps.client.getDeployment(run.ref, signal);
      if (isTerminal(deployment.status)) return deployment;
      await sleep(waitMs, signal);
      waitMs = Math.min(timing.idleMaxMs, waitMs * timing.growth);
    }
    return deployment;
  }

  private async readUpdates(ref: DeploymentRef): Promise<UpdateInfo[]> {
    try {
      return await this.deps.client.getDeploymentUpdates(ref);
    } catch (error) {
      this.deps.warning(`Could not read the deployment's updates: ${oneLine(error)}`);
      return [];
    }
  }

  private mustHaveRun(): CreatedRun {
    if (!this.created) throw new Error('deployment not created yet');
    return this.created;
  }
}

export function failedStep(deployment: Deployment | undefined): string | undefined {
  for (const job of deployment?.jobs ?? []) {
    const step = job.steps?.find((s) => s.status === 'failed');
    if (step) return step.name;
  }
  return undefined;
}

export function formatSeconds(total: number): string {
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = Math.round(total % 60);
  return [h && `${h}h`, m && `${m}m`, (s || (!h && !m)) && `${s}s`].filter(Boolean).join('');
}
