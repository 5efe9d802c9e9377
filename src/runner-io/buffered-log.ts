import type { AnnotationProperties, Log } from './log.js';

/** How much of one stack's deployment log is held while other stacks run; the rest is counted and cut. */
export const BUFFER_MAX_LINES = 5_000;
export const BUFFER_MAX_CHARS = 4_000_000;

const GUARD_START = /^::stop-commands::(.+)$/;

/**
 * One stack's log while several run at once. One stack streams `live`; the others are held whole
 * and written as one block when they end, so step groups never interleave (the runner cannot nest
 * them): the block's first line is an own line of the job log, which closes the live stack's open
 * group (it reopens with its next page). Every line is traced to its stack: the action's lines and
 * group titles carry its label, a held block opens and closes with it. Annotations go out at once, labelled.
 */
export class BufferedLog implements Log {
  private chunks: string[] = [];
  private lines = 0;
  private chars = 0;
  private cutLines = 0;
  private closer?: () => void;

  constructor(
    private readonly target: Log,
    private readonly label: string,
    private readonly options: { live?: boolean; lines?: number; chars?: number } = {},
  ) {}

  private get limits() {
    return { lines: this.options.lines ?? BUFFER_MAX_LINES, chars: this.options.chars ?? BUFFER_MAX_CHARS };
  }

  info(message: string): void {
    if (this.options.live) this.target.info(`[${this.label}] ${message}`);
    else this.own(`[${this.label}] ${message}`);
  }
  warning(message: string, properties?: AnnotationProperties): void {
    this.target.warning(`${this.label}: ${message}`, properties);
  }
  error(message: string, properties?: AnnotationProperties): void {
    this.target.error(`${this.label}: ${message}`, properties);
  }
  group(title: string, lines: string[]): void {
    if (this.options.live) return this.target.group(`[${this.label}] ${title}`, lines);
    this.closer?.();
    this.chunks.push(`::group::[${this.label}] ${title}\n${lines.map((line) => `${line}\n`).join('')}::endgroup::\n`);
  }

  /**
   * A page of the deployment's log (guard-balanced: see deployment/logs.ts). Past the limits only a
   * bare group end is kept, so the block still closes what it opened; the rest is counted.
   */
  write(chunk: string): void | Promise<void> {
    if (this.options.live) return this.target.write(this.labelGroups(chunk));
    const count = chunk.split('\n').length - 1;
    if (this.cutLines || this.lines + count > this.limits.lines || this.chars + chunk.length > this.limits.chars) {
      if (chunk === '::endgroup::\n') this.chunks.push(chunk);
      else this.cutLines += count;
      return;
    }
    this.lines += count;
    this.chars += chunk.length;
    this.chunks.push(this.labelGroups(chunk));
  }

  closeGroupWith(close: (() => void) | undefined): void {
    if (this.options.live) this.target.closeGroupWith(close);
    else this.closer = close;
  }

  /** Writes the whole block to the job log in one write; `consoleUrl` is where the cut part can be read. */
  async flush(consoleUrl?: string): Promise<void> {
    if (this.options.live) return;
    const cut = this.cutLines
      ? `[${this.label}] ${this.cutLines} lines of this log were cut (at most ${this.limits.lines} are held while stacks run at once)${consoleUrl ? `; the full log: ${consoleUrl}` : ''}\n`
      : '';
    const block = `${this.chunks.join('')}${cut}[${this.label}] ---- end of ${this.label} ----\n`;
    this.chunks = [];
    // An own line first: it closes the live stack's open group, and nothing runs before the block follows.
    this.target.info(`[${this.label}] ---- log of ${this.label} ----`);
    await this.target.write(block);
  }

  private own(line: string): void {
    this.closer?.();
    this.chunks.push(`${line}\n`);
  }

  /** Group titles of ours (outside a stop-commands guard, where deployment text never is) get the stack's label. */
  private labelGroups(chunk: string): string {
    let guard: string | undefined;
    return chunk
      .split('\n')
      .map((line) => {
        if (guard) {
          if (line === `::${guard}::`) guard = undefined;
          return line;
        }
        const start = GUARD_START.exec(line);
        if (start) guard = start[1];
        else if (line.startsWith('::group::')) return `::group::[${this.label}] ${line.slice('::group::'.length)}`;
        return line;
      })
      .join('\n');
  }
}
