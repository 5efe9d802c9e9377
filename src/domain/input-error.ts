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

// Control characters, C1 (NEL), line/paragraph separators and bidi overrides: shown as \uXXXX.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Quotes a user value for an error message: cut short, on one line, and unable to act as a
 * runner command (`##[` is read anywhere in a line, so its bracket is escaped).
 */
export function quote(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  const escaped = shown.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return JSON.stringify(escaped).replace(/\\\\u/g, '\\u').replace(/##\[/g, '##\\u005b');
}

/** The URL with everything before the authority's last `@` shown as `***` (a credential must never be printed). */
export function redactUserinfo(raw: string): string {
  return raw.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)?[^/?#]*@/, (_match, scheme: string | undefined) => `${scheme ?? ''}***@`);
}

/**
 * Turns anything thrown into one readable line (no stack traces in the job log). Messages quote
 * the service's words, so the line is sanitised: no line breaks, no command syntax, cut short.
 */
export function oneLine(error: unknown, maxLen = 1_000): string {
  const text = error instanceof Error ? error.message : String(error);
  return sanitizeLine(text.replace(/\s*\n\s*/g, ' ').trim(), maxLen) || 'unknown error';
}
