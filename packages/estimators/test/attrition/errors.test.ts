/** Every bad input of the attrition analysis is a TrialkitError with a stable code and, for data, row and column. */
import { describe, expect, it } from 'vitest';
import { TrialkitError } from '@trialkit/core';
import { AttritionErrorCode, attritionAnalysis, leeBounds } from '../../src/attrition/index.js';
import { dataset, numberColumn, textColumn } from './helpers.js';

function thrown(fn: () => unknown): TrialkitError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TrialkitError);
    return error as TrialkitError;
  }
  throw new Error('expected a TrialkitError');
}

const z = [0, 0, 0, 0, 1, 1, 1, 1];
const y = [1, 2, null, 4, 5, null, 7, 8];
const responded = [1, 1, 0, 1, 1, 0, 1, 1];
const base = () => dataset(numberColumn('y', y), numberColumn('z', z), numberColumn('r', responded));
const spec = { outcome: 'y', assignment: 'z', responded: 'r' };

describe('attritionAnalysis refuses bad input', () => {
  it('a response indicator that is not 0/1 (row, column)', () => {
    const data = dataset(numberColumn('y', y), numberColumn('z', z), numberColumn('r', [1, 1, 0, 1, 2, 0, 1, 1]));
    const error = thrown(() => attritionAnalysis(data, spec));
    expect(error.code).toBe(AttritionErrorCode.respondedNotBinary);
    expect(error.row).toBe(5);
    expect(error.column).toBe('r');
    expect(error.value).toBe(2);
    expect(error.message).toMatch(/0 \(did not respond\) or 1/);
  });

  it('a text response indicator with words', () => {
    const data = dataset(numberColumn('y', y), numberColumn('z', z), textColumn('r', ['1', '1', 'no', '1', '1', '0', '1', '1']));
    const error = thrown(() => attritionAnalysis(data, spec));
    expect(error.code).toBe(AttritionErrorCode.respondedNotBinary);
    expect(error.row).toBe(3);
    expect(error.value).toBe('no');
  });

  it('a missing response indicator', () => {
    const data = dataset(numberColumn('y', y), numberColumn('z', z), numberColumn('r', [1, 1, null, 1, 1, 0, 1, 1]));
    const error = thrown(() => attritionAnalysis(data, spec));
    expect(error.code).toBe(AttritionErrorCode.respondedMissing);
    expect(error.row).toBe(3);
  });

  it('an outcome present for a non-responder (row)', () => {
    const data = dataset(numberColumn('y', [1, 2, 3, 4, 5, null, 7, 8]), numberColumn('z', z), numberColumn('r', responded));
    const error = thrown(() => attritionAnalysis(data, spec));
    expect(error.code).toBe(AttritionErrorCode.outcomeForNonResponder);
    expect(error.row).toBe(3);
    expect(error.column).toBe('y');
  });

  it('an outcome missing for a responder (row)', () => {
    const data = dataset(numberColumn('y', [1, 2, null, 4, 5, null, null, 8]), numberColumn('z', z), numberColumn('r', responded));
    const error = thrown(() => attritionAnalysis(data, spec));
    expect(error.code).toBe(AttritionErrorCode.missingOutcomeForResponder);
    expect(error.row).toBe(7);
  });

  it('an arm with no responders, naming the arm', () => {
    const data = dataset(numberColumn('y', [1, 2, 3, 4, null, null, null, null]), textColumn('arm', ['c', 'c', 'c', 'c', 't', 't', 't', 't']));
    const error = thrown(() => attritionAnalysis(data, { outcome: 'y', assignment: 'arm' }));
    expect(error.code).toBe(AttritionErrorCode.noResponders);
    expect(error.value).toBe('t');
    expect(error.message).toMatch(/treatment arm/);
  });

  it('an arm with a single responder', () => {
    const data = dataset(numberColumn('y', [1, null, null, null, 5, 6, 7, 8]), numberColumn('z', z));
    const error = thrown(() => attritionAnalysis(data, { outcome: 'y', assignment: 'z' }));
    expect(error.code).toBe(AttritionErrorCode.tooFewResponders);
    expect(error.value).toBe('0');
  });

  it('the outcome named as the response indicator', () => {
    expect(thrown(() => attritionAnalysis(base(), { ...spec, responded: 'y' })).code).toBe(AttritionErrorCode.respondedIsOutcome);
  });

  it('the assignment named as the response indicator (a 0/1 assignment would otherwise pass as a response)', () => {
    const error = thrown(() => attritionAnalysis(base(), { ...spec, responded: 'z' }));
    expect(error.code).toBe('DATA_ROLE_CONFLICT');
    expect(error.column).toBe('z');
  });

  it('a response column that does not exist (with the closest name)', () => {
    const error = thrown(() => attritionAnalysis(base(), { ...spec, responded: 'R' }));
    expect(error.code).toBe('DATA_MISSING_COLUMN');
    expect(error.message).toMatch(/Did you mean "r"/);
  });

  it('an outcome that is not a number for a responder (row, column, from @trialkit/data)', () => {
    const data = dataset(textColumn('y', ['1', '2', null, 'refused', '5', null, '7', '8']), numberColumn('z', z));
    const error = thrown(() => attritionAnalysis(data, { outcome: 'y', assignment: 'z' }));
    expect(error.code).toBe('DATA_NOT_NUMERIC');
    expect(error.row).toBe(4);
    expect(error.column).toBe('y');
  });

  it('a level or threshold outside (0, 1)', () => {
    expect(thrown(() => attritionAnalysis(base(), { ...spec, level: 95 })).code).toBe('EST_BAD_LEVEL');
    expect(thrown(() => attritionAnalysis(base(), { ...spec, differentialThreshold: 5 })).code).toBe(AttritionErrorCode.badThreshold);
    expect(thrown(() => attritionAnalysis(base(), { ...spec, lowResponseThreshold: 0 })).code).toBe(AttritionErrorCode.badThreshold);
  });
});

describe('leeBounds refuses bad input', () => {
  it('a non-finite responder outcome', () => {
    const error = thrown(() => leeBounds({ treatedOutcomes: [1, NaN, 3], controlOutcomes: [1, 2], nAssignedTreated: 4, nAssignedControl: 4 }));
    expect(error.code).toBe(AttritionErrorCode.nonFiniteOutcome);
    expect(error.row).toBe(2);
  });

  it('fewer assigned than responders, or a fractional count', () => {
    const args = { treatedOutcomes: [1, 2, 3], controlOutcomes: [1, 2], nAssignedControl: 4 };
    expect(thrown(() => leeBounds({ ...args, nAssignedTreated: 2 })).code).toBe(AttritionErrorCode.badAssignedCount);
    expect(thrown(() => leeBounds({ ...args, nAssignedTreated: 3.5 })).code).toBe(AttritionErrorCode.badAssignedCount);
  });

  it('an arm without responders', () => {
    expect(thrown(() => leeBounds({ treatedOutcomes: [], controlOutcomes: [1, 2], nAssignedTreated: 4, nAssignedControl: 4 })).code).toBe(
      AttritionErrorCode.noResponders,
    );
  });
});
