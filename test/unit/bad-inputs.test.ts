import { describe, expect, it } from 'vitest';
import { parseInputs } from '../../src/inputs.js';
import { InputError } from '../../src/errors.js';
import { BAD_INPUTS } from '../support/bad-inputs.js';

// The same table runs end to end through dist/ in test/e2e (exit 1, zero requests).
describe('bad inputs: one clear error naming the input', () => {
  it('has at least 40 cases', () => expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40));

  it.each(BAD_INPUTS)('$name', ({ inputs, error, input }) => {
    let thrown: unknown;
    try {
      parseInputs((name) => inputs[name] ?? '');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).input).toBe(input);
    expect((thrown as Error).message).toBe(error);
  });
});
