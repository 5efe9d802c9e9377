import { InputError } from './errors.js';

const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

/** YAML 1.2 core schema booleans; empty means "not set". */
export function parseBoolean(input: string, raw: string): boolean | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  if (TRUE.includes(value)) return true;
  if (FALSE.includes(value)) return false;
  throw new InputError(input, `${quote(value)} is not a boolean`, 'Use true or false');
}

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Parses the `XhYmZs` family (`45m`, `2h`, `1h30m`, `90s`) into seconds. */
export function parseDuration(input: string, raw: string, options: { allowBareSeconds?: boolean } = {}): number {
  const value = raw.trim();
  if (options.allowBareSeconds && /^\d+$/.test(value)) return positive(input, value, Number(value));
  const match = DURATION.exec(value);
  if (!value || !match) {
    const accepted = options.allowBareSeconds
      ? 'Use seconds (3600) or a duration such as 45m, 2h, 1h30m'
      : 'Use a duration such as 90s, 45m, 2h or 1h30m';
    throw new InputError(input, `${quote(value)} is not a duration`, accepted);
  }
  const [, h = '0', m = '0', s = '0'] = match;
  return positive(input, value, Number(h) * 3600 + Number(m) * 60 + Number(s));
}

function positive(input: string, value: string, seconds: number): number {
  if (!Number.isSafeInteger(seconds) || seconds <= 0) {
    throw new InputError(input, `${quote(value)} must be longer than zero`, 'Use a duration such as 45m or 2h');
  }
  return seconds;
}

/** Non-empty trimmed lines of a multi-line input. */
export function parseLines(raw: string): string[] {
  return raw
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** Quotes a user value for an error message, cut short and with control characters made visible. */
export function quote(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  // eslint-disable-next-line no-control-regex
  return JSON.stringify(shown.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)).replace(/\\\\u/g, '\\u');
}
