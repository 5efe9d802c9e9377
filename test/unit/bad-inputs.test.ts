import { describe, expect, it } from 'vitest';
import { parseInputs } from '../../src/inputs/parse.js';
import { InputError, InputErrors } from '../../src/domain/input-error.js';
import { BAD_INPUTS } from '../support/bad-inputs.js';

/** The problems parseInputs reports for these inputs ([] when it accepts them). */
function problemsOf(inputs: Record<string, string>): InputError[] {
  try {
    parseInputs((name) => inputs[name] ?? '');
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(InputErrors);
    return [...(error as InputErrors).errors];
  }
}

// The full table runs here; test/e2e runs a few rows (e2e: true) through dist/.
describe('bad inputs: one clear error per problem, naming the input', () => {
  it('has at least 40 cases', () => expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40));

  it.each(BAD_INPUTS)('$name', ({ inputs, error, more = [], input }) => {
    const problems = problemsOf(inputs);
    expect(problems.map((p) => p.message)).toEqual([error, ...more]);
    expect(problems[0]).toBeInstanceOf(InputError);
    expect(problems[0]!.input).toBe(input);
  });
});
