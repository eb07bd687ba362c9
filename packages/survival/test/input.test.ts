import { describe, expect, it } from 'vitest';
import { createRng } from '@trialkit/core';
import { codeLabels, orderByTime, sortLabels, splitOrder } from '../src/input.js';

/** Reference: a stable comparator sort of the indices by time. */
function reference(time: Float64Array): Uint32Array {
  return Uint32Array.from({ length: time.length }, (_, i) => i).sort((a, b) => time[a]! - time[b]! || a - b);
}

describe('orderByTime', () => {
  const rng = createRng('survival-order');
  it.each([0, 1, 2, 17, 1000, 50_000])('equals a stable sort for %i whole-number and fractional times', (n) => {
    const whole = Float64Array.from({ length: n }, () => Math.floor(rng.nextDouble() * (n / 5 + 2)));
    const fractional = Float64Array.from({ length: n }, () => Math.round(rng.nextDouble() * 40) / 8);
    expect(orderByTime(whole)).toEqual(reference(whole));
    expect(orderByTime(fractional)).toEqual(reference(fractional));
  });
  it('whole numbers with a wide range (packed-key sort) equal a stable sort', () => {
    const time = Float64Array.from({ length: 5000 }, () => Math.floor(rng.nextDouble() * 50) * 1_000_003);
    expect(orderByTime(time)).toEqual(reference(time));
  });
  it('handles huge whole numbers (falls back beyond 2^53 / n) and zero', () => {
    const time = Float64Array.from([2 ** 52, 0, 3, 2 ** 52, 1e300, 0]);
    expect(Array.from(orderByTime(time))).toEqual([1, 5, 2, 0, 3, 4]);
  });
});

describe('codeLabels and splitOrder', () => {
  it('orders numeric labels numerically and text labels by code point, as factor() would', () => {
    expect(sortLabels(['10', '9', '1'])).toEqual(['1', '9', '10']);
    expect(sortLabels(['whp', 'control', 'Z'])).toEqual(['Z', 'control', 'whp']);
    const coding = codeLabels([2, 1, 2, 10], '--assignment');
    expect(coding.labels).toEqual(['1', '2', '10']);
    expect(Array.from(coding.codes)).toEqual([1, 0, 1, 2]);
  });
  it('splits an ordering by code keeping the order', () => {
    const parts = splitOrder(Uint32Array.from([3, 0, 2, 1]), Int32Array.from([0, 1, 0, 1]), 2);
    expect(parts.map((p) => Array.from(p))).toEqual([[0, 2], [3, 1]]);
  });
});
