import { sanitizeLine } from '../runner-io/untrusted-text.js';

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

/** Every bad input at once (each is reported as its own annotation); the message is one summary line. */
export class InputErrors extends Error {
  constructor(readonly errors: readonly InputError[]) {
    const names = [...new Set(errors.map((error) => error.input))];
    super(errors.length === 1 ? errors[0]!.message : `${errors.length} problems with the inputs (${names.join(', ')}); each is reported above`);
    this.name = 'InputErrors';
  }
}

/**
 * Turns anything thrown into one readable line (no stack traces in the job log). Messages quote
 * the service's words, so the line is sanitised: no line breaks, no command syntax, cut short.
 */
export function oneLine(error: unknown, maxLen = 1_000): string {
  const text = error instanceof Error ? error.message : String(error);
  return sanitizeLine(text.replace(/\s*\n\s*/g, ' ').trim(), maxLen) || 'unknown error';
}
