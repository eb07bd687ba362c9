import { describe, expect, it } from 'vitest';
import { TrialkitError } from '@trialkit/core';
import { AllocationErrorCode, parseArms } from '../src/index.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof TrialkitError ? error.code : `not a TrialkitError: ${String(error)}`;
  }
  return undefined;
}

describe('parseArms', () => {
  it('reads names and integer ratios in declared order', () => {
    expect(parseArms('control:1,treatment:1')).toEqual([
      { name: 'control', ratio: 1 },
      { name: 'treatment', ratio: 1 },
    ]);
    expect(parseArms(' control:2, ips:1 ,ips_plus:1')).toEqual([
      { name: 'control', ratio: 2 },
      { name: 'ips', ratio: 1 },
      { name: 'ips_plus', ratio: 1 },
    ]);
    expect(parseArms('a,b')).toEqual([
      { name: 'a', ratio: 1 },
      { name: 'b', ratio: 1 },
    ]);
  });

  it('refuses zero, negative, fractional and non-numeric ratios', () => {
    for (const text of ['control:0,treatment:1', 'control:-1,treatment:1', 'control:1.5,treatment:1', 'control:x,t:1']) {
      expect(codeOf(() => parseArms(text))).toBe(AllocationErrorCode.badRatio);
    }
  });

  it('refuses one arm, duplicate names, empty names and empty text', () => {
    expect(codeOf(() => parseArms('control:1'))).toBe(AllocationErrorCode.badArms);
    expect(codeOf(() => parseArms('a:1,a:2'))).toBe(AllocationErrorCode.badArms);
    expect(codeOf(() => parseArms(':1,b:1'))).toBe(AllocationErrorCode.badArms);
    expect(codeOf(() => parseArms(''))).toBe(AllocationErrorCode.badArms);
  });
});
