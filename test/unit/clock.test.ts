// The scaled clock of a loopback cloud-url: every deadline it makes is a valid timer, whatever the
// scale, and a real cloud-url never runs faster.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clockFor, systemClock } from '../../src/runner-io/clock.js';

describe('clockFor', () => {
  it('makes a deadline for any duration at any scale (AbortSignal.timeout takes whole milliseconds only)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 100 }), fc.integer({ min: 0, max: 3_600_000 }), fc.integer({ min: 0, max: 10_000 }), (scale, ms, slack) => {
        const clock = clockFor('http://127.0.0.1:1', String(scale));
        expect(clock.realMs(1_000)).toBeCloseTo(1_000 / scale);
        const signal = clock.deadline(ms, slack);
        expect(signal.aborted).toBe(false);
      }),
    );
  });

  it('is the system clock for a cloud-url that is not loopback', () => {
    expect(clockFor('https://api.pulumi.com', '60')).toBe(systemClock);
  });
});
