import { InputError, quote } from '../domain/input-error.js';

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
