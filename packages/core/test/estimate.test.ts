import { describe, expect, it } from 'vitest';
import { TrialkitError, canonicalJson, diagnostic, estimateToJSON, internalError, makeEstimate, sha256Hex } from '../src/index.js';

describe('Estimate', () => {
  const base = {
    estimand: 'ITT',
    estimator: 'difference_in_means',
    term: 'z',
    estimate: 0.031,
    stdError: 0.01,
    statistic: 3.1,
    df: Number.NaN,
    pValue: 0.002,
    confLow: 0.011,
    confHigh: 0.051,
    level: 0.95,
    seType: 'HC2',
    nObs: 10000,
    outcome: 'job',
    diagnostics: [diagnostic('W', 'warning', 'careful')],
  } as const;
  it('is frozen, diagnostics included', () => {
    const e = makeEstimate({ ...base, diagnostics: [...base.diagnostics] });
    expect(Object.isFrozen(e)).toBe(true);
    expect(Object.isFrozen(e.diagnostics)).toBe(true);
    expect(() => {
      (e as { estimate: number }).estimate = 1;
    }).toThrow(TypeError);
  });
  it('serialises a non-finite df as null', () => {
    const json = estimateToJSON(makeEstimate({ ...base, diagnostics: [] }));
    expect(json['df']).toBeNull();
    expect(json['estimate']).toBe(0.031);
  });
});

describe('TrialkitError', () => {
  it('composes what, where and what to do, and keeps the fields', () => {
    const error = new TrialkitError({
      code: 'DATA_NOT_NUMERIC',
      what: 'The value "1O" is not a number',
      row: 17,
      column: 'earnings',
      value: '1O',
      hint: 'Correct the cell or mark it missing (empty or NA).',
    });
    expect(error.message).toBe(
      'The value "1O" is not a number (row 17, column "earnings"). Correct the cell or mark it missing (empty or NA).',
    );
    expect(error.kind).toBe('input');
    expect(error.toJSON()).toEqual({
      code: 'DATA_NOT_NUMERIC',
      message: error.message,
      kind: 'input',
      value: '"1O"',
      row: 17,
      column: 'earnings',
    });
  });
  it('marks internal failures as internal', () => {
    expect(internalError('X', 'bad').kind).toBe('internal');
  });
});

describe('hashing', () => {
  it('computes SHA-256 (FIPS 180-2 "abc")', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  it('writes canonical JSON with sorted keys and refuses NaN', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 1, y: 2 } })).toBe(
      '{"a":[true,null,"x"],"b":1,"c":{"y":2,"z":1}}',
    );
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/non-finite/);
  });
});
