import { randomUUID } from 'node:crypto';
import type { DeploymentLogsPage, DeploymentRef } from '../cloud/client.js';
import { systemClock, type Clock } from '../runner-io/clock.js';

/** Where streamed lines go: the job log in the action, an array in tests. */
export interface LogSink {
  /** May return a promise: the stream waits for it before asking for more (the job log is slower). */
  write(chunk: string): void | Promise<void>;
}

export interface PollTiming {
  /** Wait after a page that brought lines but was not full. */
  activeMs: number;
  /** First wait once nothing new came; grows by `growth` up to `idleMaxMs`. */
  idleStartMs: number;
  idleMaxMs: number;
  /** Longest wait between status reads while the deployment is queued (default idleMaxMs). */
  queuedMaxMs?: number;
  growth: number;
  /** How often the status is read while logs stream (a stream may never say it ended). */
  statusMs: number;
  /** How long logs are still read after the deployment ended (a backlog; or a stream that never ends). */
  drainMs: number;
}

/** At once while pages come full, once a second while lines trickle, backing off to one request per 5 s while nothing changes. */
export const DEFAULT_POLL_TIMING: PollTiming = { activeMs: 1_000, idleStartMs: 1_000, idleMaxMs: 5_000, growth: 1.5, statusMs: 10_000, drainMs: 60_000 };

/** Pages this large or larger (and as large as any seen) count as full. */
const FULL_PAGE_MIN = 50;

export interface StreamResult {
  lines: number;
  /** The steps seen, in order, from the log headers. */
  steps: string[];
  /** False when stopped (abort) before the service said the logs were complete. */
  complete: boolean;
  /** True when the drain budget after the deployment ended ran out with lines still coming. */
  cutAfterEnd?: boolean;
  /** The last lines, for the PR comment and summary (kept small). */
  tail: string[];
}

export interface StreamOptions {
  fetchPage: (ref: DeploymentRef, token: string | undefined, signal: AbortSignal) => Promise<DeploymentLogsPage>;
  ref: DeploymentRef;
  sink: LogSink;
  signal: AbortSignal;
  timing?: PollTiming;
  tailLines?: number;
  /** Called after each page is printed, with the continuation token reached (for resume). */
  onPage?: (info: { lines: number; nextToken?: string }) => void;
  /** Receives the result object up front, so a caller keeps what was streamed even if this throws. */
  onResult?: (result: StreamResult) => void;
  /** Redacts one line of deployment text (never our own commands). */
  redact?: (line: string) => string;
  /**
   * True once the deployment has ended. Then the stream stops at the first page with no new
   * lines, or when `timing.drainMs` has passed since: a backlog is still printed, but a
   * `nextToken` that never ends cannot hold the verdict.
   */
  finished?: () => boolean;
  /** What the stream waits on and measures the drain by (the system clock unless given). */
  clock?: Pick<Clock, 'now' | 'sleep'>;
  /** Receives the function that closes the open step group, for the action's own lines in between. */
  onGroupCloser?: (close: () => void) => void;
}

/**
 * Streams deployment logs with continuation tokens into the sink: one collapsible group per
 * step, each line once, in order. The token advances only after its page is printed, so a
 * failed request is asked again with the same token and nothing is lost or repeated.
 */
export async function streamDeploymentLogs(options: StreamOptions): Promise<StreamResult> {
  const timing = options.timing ?? DEFAULT_POLL_TIMING;
  const tailSize = options.tailLines ?? 200;
  const result: StreamResult = { lines: 0, steps: [], complete: false, tail: [] };
  options.onResult?.(result);
  const writer = new GroupedWriter(options.sink, options.redact ?? ((line) => line));
  options.onGroupCloser?.(() => writer.interrupt());
  let token: string | undefined;
  let idleMs = timing.idleStartMs;
  let largestPage = 0;
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  let endedAt: number | undefined;
  try {
    while (!options.signal.aborted) {
      if (endedAt === undefined && options.finished?.()) endedAt = now();
      const page = await options.fetchPage(options.ref, token, options.signal);
      const lines = Array.isArray(page?.lines) ? page.lines : [];
      if (lines.length) {
        result.lines += writer.writePage(lines, result);
        keepTail(result.tail, lines, tailSize);
        // Backpressure: a job log that reads slower than the service serves must not fill our memory.
        await writer.drained();
      }
      const nextToken = typeof page?.nextToken === 'string' ? page.nextToken : undefined;
      options.onPage?.({ lines: lines.length, nextToken });
      if (!nextToken) {
        result.complete = true;
        break;
      }
      // Ended before this page was asked for: an empty page means all is printed; past the drain
      // budget, the rest is left to the console.
      if (endedAt !== undefined && (lines.length === 0 || now() - endedAt >= timing.drainMs)) {
        result.cutAfterEnd = lines.length > 0;
        break;
      }
      token = nextToken;
      let waitMs: number;
      if (lines.length) {
        idleMs = timing.idleStartMs;
        // A full page means more is waiting: ask again at once to catch up.
        waitMs = lines.length >= FULL_PAGE_MIN && lines.length >= largestPage ? 0 : timing.activeMs;
        largestPage = Math.max(largestPage, lines.length);
      } else {
        waitMs = idleMs;
        idleMs = Math.min(timing.idleMaxMs, idleMs * timing.growth);
      }
      await clock.sleep(waitMs, options.signal);
    }
  } finally {
    writer.close();
  }
  return result;
}

type Line = NonNullable<DeploymentLogsPage['lines']>[number];

function keepTail(tail: string[], lines: Line[], size: number): void {
  for (const l of lines) {
    if (typeof l.header === 'string') tail.push(`--- ${l.header}`);
    if (typeof l.line === 'string') tail.push(l.line.replace(/\r?\n$/, ''));
  }
  if (tail.length > size) tail.splice(0, tail.length - size);
}

/**
 * What the runner could read as a command: `::` (a command at the start of a line, after any
 * `\r`, which the runner also splits on) or `##[` (the older syntax, anywhere in a line).
 */
const COULD_BE_COMMAND = /::|##\[/;

/**
 * Writes a page as one chunk. Deployment text never acts as a workflow command: a run of lines
 * that could is printed inside `::stop-commands::` with a random token, opened before the first
 * such line and closed before any command of ours (a group header, the end of the page).
 */
class GroupedWriter {
  private open = false;
  /** The step whose group a line of ours closed: its next lines reopen it. */
  private interrupted?: string;
  private title = '';
  private pending?: Promise<void>;
  constructor(
    private readonly sink: LogSink,
    private readonly redact: (line: string) => string,
  ) {}

  /** Returns how many log lines (not headers) it wrote. */
  writePage(lines: Line[], result: StreamResult): number {
    let out = '';
    let count = 0;
    let guard: string | undefined;
    if (this.interrupted !== undefined && typeof lines[0]?.header !== 'string') {
      out += `::group::${this.interrupted} (continued)\n`;
      this.open = true;
    }
    this.interrupted = undefined;
    for (const l of lines) {
      if (typeof l.header === 'string') {
        if (guard) out += `::${guard}::\n`;
        guard = undefined;
        if (this.open) out += '::endgroup::\n';
        this.title = groupTitle(this.redact(l.header));
        out += `::group::${this.title}\n`;
        this.open = true;
        result.steps.push(l.header);
      }
      if (typeof l.line !== 'string') continue;
      count++;
      const text = this.redact(l.line.replace(/\r?\n$/, ''));
      if (!guard && COULD_BE_COMMAND.test(text)) {
        guard = `pulumi-log-${randomUUID()}`;
        out += `::stop-commands::${guard}\n`;
      }
      out += text + '\n';
    }
    if (guard) out += `::${guard}::\n`;
    if (out) this.pending = this.sink.write(out) ?? undefined;
    return count;
  }

  /** Resolves once the sink took the last page (at once for a sink that never pushes back). */
  async drained(): Promise<void> {
    const pending = this.pending;
    this.pending = undefined;
    await pending;
  }

  /** Closes the open group before a line of the action's own; the step's next lines reopen it. */
  interrupt(): void {
    if (!this.open) return;
    // One short line: the next page waits for the sink anyway.
    void this.sink.write('::endgroup::\n');
    this.open = false;
    this.interrupted = this.title;
  }

  close(): void {
    if (this.open) void this.sink.write('::endgroup::\n');
    this.open = false;
    this.interrupted = undefined;
  }
}

/** A step name as a group title: one line, and nothing the runner could read as a command. */
function groupTitle(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029\u0085]+/g, ' ')
    .replace(/::/g, ': :')
    .replace(/##\[/g, '# #[')
    .trim()
    .slice(0, 200);
}
