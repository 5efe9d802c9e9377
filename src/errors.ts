/** A bad input: names the input, what was wrong and what is accepted. Raised before any network call. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    problem: string,
    accepted?: string,
  ) {
    super(`Input '${input}': ${problem}${accepted ? `. ${accepted}` : ''}`);
    this.name = 'InputError';
  }
}

/** Turns anything thrown into one readable line (no stack traces in the job log). */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, ' ').trim() || 'unknown error';
}
