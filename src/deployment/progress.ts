// Status lines while a deployment waits in the queue or prints nothing: at growing intervals,
// never more than one per 30 s. Pure: the caller passes the time and prints the line (outside
// any deployment step's group).
import { sanitizeLine } from '../runner-io/untrusted-text.js';

export interface ProgressOptions {
  /** When the action started waiting (ms, same clock as every `at`). */
  startedAt: number;
  consoleUrl: string;
  /** Silence before the first line. */
  firstAfterMs?: number;
  /** Never two lines closer than this. */
  minGapMs?: number;
  growth?: number;
  maxGapMs?: number;
}

const STATUS_WORDS: Record<string, string> = {
  'not-started': 'queued',
  accepted: 'accepted, waiting for a deployment runner',
  running: 'running',
};

export function formatWaited(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h ? `${h}h ${m}m ${s}s` : m ? `${m}m ${s}s` : `${s}s`;
}

export class ProgressScheduler {
  private lastOutputAt: number;
  private lastLineAt = Number.NEGATIVE_INFINITY;
  private gap: number;
  private readonly first: number;
  private readonly minGap: number;
  private readonly growth: number;
  private readonly maxGap: number;

  constructor(private readonly options: ProgressOptions) {
    this.minGap = Math.max(30_000, options.minGapMs ?? 30_000);
    this.first = Math.max(this.minGap, options.firstAfterMs ?? 30_000);
    this.growth = Math.max(1, options.growth ?? 2);
    this.maxGap = Math.max(this.first, options.maxGapMs ?? 300_000);
    this.gap = this.first;
    this.lastOutputAt = options.startedAt;
  }

  /** Something reached the job log (a deployment line): the silence starts again, intervals reset. */
  printed(at: number): void {
    this.lastOutputAt = Math.max(this.lastOutputAt, at);
    this.gap = this.first;
  }

  /** Whether a line is due at `at` (so the caller may first find out why the deployment waits). */
  isDue(at: number): boolean {
    const quietSince = Math.max(this.lastOutputAt, this.lastLineAt);
    return at - quietSince >= this.gap && at - this.lastLineAt >= this.minGap;
  }

  /** The line to print now, or undefined. Call it on every poll with the deployment's status, and why it waits when known. */
  due(status: string, at: number, why?: string): string | undefined {
    if (!this.isDue(at)) return undefined;
    this.lastLineAt = at;
    this.gap = Math.min(this.maxGap, this.gap * this.growth);
    const words = (Object.hasOwn(STATUS_WORDS, status) && STATUS_WORDS[status]) || status;
    const reason = why ? `; ${why}` : '';
    return sanitizeLine(`Deployment ${words}; waited ${formatWaited(at - this.options.startedAt)}${reason}: ${this.options.consoleUrl}`, 600);
  }
}
