import * as v from 'valibot';

/** Where an answer leaves the API's schema: the field's path and what the API says it holds. */
export interface SchemaMismatch {
  path: string;
  expected: string;
}

/** A validator of one answer: undefined when the body matches. The body itself is used as it came. */
export type AnswerCheck = (body: unknown) => SchemaMismatch | undefined;

/** An int64 count or time as JSON can carry it exactly: a non-negative safe integer. */
export const count = () => v.pipe(v.number(), v.safeInteger(COUNT), v.minValue(0, COUNT));
const COUNT = 'a non-negative safe integer';

/** A Go *string or omitempty field: absent, null or a string. */
export const maybeString = () => v.nullish(v.string());

const isObject = v.custom<Record<string, unknown>>((x) => x !== null && typeof x === 'object' && !Array.isArray(x), 'an object');

/** A JSON object (not an array), keeping fields the API adds later: only the ones named are checked. */
export const object = <const Entries extends v.ObjectEntries>(entries: Entries) => v.pipe(isObject, v.looseObject(entries));

/** A JSON object used as a map (not an array): every value matches `value`. */
export const map = <const Value extends v.GenericSchema>(value: Value) => v.pipe(isObject, v.record(v.string(), value));

const MAX_PATH_CHARS = 200;

/** Turns a schema into an `AnswerCheck` that reports the first mismatch. */
export function checker(schema: v.GenericSchema): AnswerCheck {
  return (body) => {
    const result = v.safeParse(schema, body, { abortEarly: true });
    const issue = result.issues?.[0];
    if (!issue) return undefined;
    const path = (v.getDotPath(issue) ?? 'body').slice(0, MAX_PATH_CHARS);
    if (issue.kind === 'validation' || issue.type === 'custom') return { path, expected: `expected ${issue.message}` };
    if (issue.received === 'undefined' && issue.expected?.startsWith('"')) return { path, expected: 'missing' };
    return { path, expected: `expected ${issue.expected ?? 'another value'}` };
  };
}
