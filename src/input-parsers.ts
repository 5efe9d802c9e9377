import { InputError } from './errors.js';

const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

/** YAML 1.2 core schema booleans. */
export function parseBoolean(input: string, raw: string): boolean {
  const value = raw.trim();
  if (TRUE.includes(value)) return true;
  if (FALSE.includes(value)) return false;
  throw new InputError(input, `${quote(value)} is not a boolean`, 'Use true or false');
}

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
export const DURATION_FORMS = 'Use seconds (3600) or a duration such as 90s, 45m, 2h or 1h30m';

/** Every duration input takes plain seconds (`3600`) or the `XhYmZs` family (`45m`, `2h`, `1h30m`, `90s`). */
export function parseDuration(input: string, raw: string): number {
  const value = raw.trim();
  // Stryker disable next-line StringLiteral: an empty hour or minute part is Number('') = 0, as '0' is.
  const match = /^\d+$/.test(value) ? [value, '0', '0', value] : DURATION.exec(value);
  if (!value || !match) throw new InputError(input, `${quote(value)} is not a duration`, DURATION_FORMS);
  // Stryker disable next-line StringLiteral: as above, '' and '0' both count 0.
  const [, h = '0', m = '0', s = '0'] = match;
  const seconds = Number(h) * 3600 + Number(m) * 60 + Number(s);
  if (!Number.isSafeInteger(seconds) || seconds <= 0) {
    throw new InputError(input, `${quote(value)} must be longer than zero`, 'Use a duration such as 45m or 2h');
  }
  return seconds;
}

/** A duration the service takes as text (Go syntax): `XhYmZs` is kept as written, plain seconds get an `s`. */
export function parseDurationText(input: string, raw: string): string {
  const value = raw.trim();
  const seconds = parseDuration(input, value);
  return /^\d+$/.test(value) ? `${seconds}s` : value;
}

/** Non-empty trimmed lines of a multi-line input. */
export function parseLines(raw: string): string[] {
  return raw
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
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
