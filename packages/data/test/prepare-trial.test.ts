import { describe, expect, it } from 'vitest';
import { isTrialkitError, type Column, type Dataset, type TrialkitError } from '@trialkit/core';
import { closestName, editDistance, parseNumberStrict, prepareTrial } from '@trialkit/data';

const NA = Number.NaN;

function num(name: string, values: number[]): Column {
  return { kind: 'number', name, values: Float64Array.from(values) };
}

function text(name: string, values: (string | null)[]): Column {
  return { kind: 'text', name, values };
}

function dataset(...columns: Column[]): Dataset {
  return { nRows: columns[0]?.values.length ?? 0, columns };
}

function failure(run: () => unknown): TrialkitError {
  try {
    run();
  } catch (error) {
    if (isTrialkitError(error)) return error;
    throw error;
  }
  throw new Error('expected a TrialkitError');
}

describe('column roles', () => {
  const data = dataset(num('outcome_job', [1, 0]), num('arm', [0, 1]), num('age', [30, 40]));

  it('names a missing column, lists the columns that exist and suggests the closest', () => {
    const error = failure(() => prepareTrial(data, { outcome: 'outcome_jb', assignment: 'arm' }));
    expect(error).toMatchObject({ code: 'DATA_MISSING_COLUMN', column: 'outcome_jb', argument: '--outcome' });
    expect(error.message).toContain('"outcome_job", "arm", "age"');
    expect(error.message).toContain('Did you mean "outcome_job"?');
  });

  it('makes no suggestion when nothing is close', () => {
    const error = failure(() => prepareTrial(data, { outcome: 'earnings', assignment: 'arm' }));
    expect(error.message).not.toContain('Did you mean');
  });

  it('refuses a column given two roles', () => {
    expect(failure(() => prepareTrial(data, { outcome: 'arm', assignment: 'arm' })).code).toBe('DATA_ROLE_CONFLICT');
    expect(failure(() => prepareTrial(data, { outcome: 'outcome_job', assignment: 'arm', covariates: ['arm'] })).code).toBe(
      'DATA_ROLE_CONFLICT',
    );
  });

  it('edit distance is Levenshtein’s plus adjacent transpositions (kitten → sitting = 3, ca → ac = 1)', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('ca', 'ac')).toBe(1);
    // Optimal string alignment, not full Damerau–Levenshtein: "ca" → "abc" is 3 (the classic example).
    expect(editDistance('ca', 'abc')).toBe(3);
    expect(closestName('AGE', ['id', 'age'])).toBe('age');
    // Swapped digits are the commonest typo: re87 is one edit from re78, two from re74.
    expect(closestName('re87', ['re74', 're75', 're78'])).toBe('re78');
  });
});

describe('numbers', () => {
  it('reports the row, column and value of a non-numeric outcome stored as text', () => {
    const data = dataset(text('y', ['1', '2', NA_TEXT, 'two', '3']), num('z', [0, 1, 0, 1, 0]));
    const error = failure(() => prepareTrial(data, { outcome: 'y', assignment: 'z' }));
    expect(error).toMatchObject({ code: 'DATA_NOT_NUMERIC', row: 4, column: 'y', value: 'two', argument: '--outcome' });
    expect(error.message).toContain('row 4');
    expect(error.message).toContain('column "y"');
  });

  it('reports an infinite value with DATA_NOT_FINITE', () => {
    const data = dataset(num('y', [1, Number.POSITIVE_INFINITY]), num('z', [0, 1]));
    expect(failure(() => prepareTrial(data, { outcome: 'y', assignment: 'z' }))).toMatchObject({
      code: 'DATA_NOT_FINITE',
      row: 2,
      column: 'y',
    });
  });

  it('parses text numbers strictly', () => {
    expect(parseNumberStrict(' 1.5 ')).toBe(1.5);
    expect(parseNumberStrict('-2e3')).toBe(-2000);
    expect(parseNumberStrict('+.5')).toBe(0.5);
    expect(parseNumberStrict('007')).toBe(7);
    expect(parseNumberStrict('1,5', ',')).toBe(1.5);
    expect(parseNumberStrict('-Inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(parseNumberStrict('NaN')).toBeNaN();
    for (const bad of ['1,5', '1,000', '12a', '0x10', '1_000', '$5', '5%', 'TRUE', '', '.', '-', '1e', '1.2.3']) {
      expect(parseNumberStrict(bad)).toBeUndefined();
    }
  });
});

const NA_TEXT = null;

describe('arms', () => {
  it('uses the two values in numeric order when arms are omitted (9 before 10, as estimatr sorts)', () => {
    const data = dataset(num('y', [1, 2, 3, 4]), num('z', [10, 9, 10, 9]));
    const trial = prepareTrial(data, { outcome: 'y', assignment: 'z' });
    expect(trial.arms).toEqual({ control: '9', treatment: '10' });
    expect(Array.from(trial.assignment.values)).toEqual([1, 0, 1, 0]);
  });

  it('sorts text arms by code units when omitted', () => {
    const data = dataset(num('y', [1, 2]), text('arm', ['whp', 'control']));
    expect(prepareTrial(data, { outcome: 'y', assignment: 'arm' }).arms).toEqual({ control: 'control', treatment: 'whp' });
  });

  it('uses declared arms, matching numbers numerically ("1.0" is 1)', () => {
    const data = dataset(num('y', [1, 2, 3]), num('z', [1, 0, 1]));
    const trial = prepareTrial(data, { outcome: 'y', assignment: 'z' }, { control: '1.0', treatment: '0' });
    expect(trial.arms).toEqual({ control: '1', treatment: '0' });
    expect(Array.from(trial.assignment.values)).toEqual([0, 1, 0]);
  });

  it('lists values that are not the declared arms, with their rows', () => {
    const data = dataset(num('y', [1, 2, 3, 4, 5]), text('arm', ['control', 'whp', 'WHP', 'control', 'WHP']));
    const error = failure(() => prepareTrial(data, { outcome: 'y', assignment: 'arm' }, { control: 'control', treatment: 'whp' }));
    expect(error).toMatchObject({ code: 'DATA_UNKNOWN_ARM', row: 3, column: 'arm', value: 'WHP' });
    expect(error.message).toContain('"WHP" (2 rows, first 3, 5)');
  });

  it('asks for declared arms when there are more than two values', () => {
    const data = dataset(num('y', [1, 2, 3]), text('arm', ['a', 'b', 'c']));
    const error = failure(() => prepareTrial(data, { outcome: 'y', assignment: 'arm' }));
    expect(error.code).toBe('DATA_TOO_MANY_ARMS');
    expect(error.message).toContain('Declare which two values');
  });

  it('refuses a single arm (DATA_ONE_ARM), also when na.omit leaves only one', () => {
    expect(failure(() => prepareTrial(dataset(num('y', [1, 2]), num('z', [1, 1])), { outcome: 'y', assignment: 'z' })).code).toBe(
      'DATA_ONE_ARM',
    );
    const afterOmit = dataset(num('y', [1, NA, 3]), num('z', [0, 1, 0]));
    expect(failure(() => prepareTrial(afterOmit, { outcome: 'y', assignment: 'z' })).code).toBe('DATA_ONE_ARM');
  });

  it('refuses a declared arm that is not in the data', () => {
    const data = dataset(num('y', [1, 2]), num('z', [0, 1]));
    expect(failure(() => prepareTrial(data, { outcome: 'y', assignment: 'z' }, { control: '0', treatment: '2' })).code).toBe(
      'DATA_ONE_ARM',
    );
  });
});

describe('received', () => {
  it('accepts 0/1', () => {
    const data = dataset(num('y', [1, 2, 3]), num('z', [0, 1, 1]), num('d', [0, 1, 0]));
    expect(Array.from(prepareTrial(data, { outcome: 'y', assignment: 'z', received: 'd' }).received?.values ?? [])).toEqual([0, 1, 0]);
  });

  it('accepts the arm labels (control → 0, treatment → 1)', () => {
    const data = dataset(num('y', [1, 2, 3]), text('arm', ['control', 'whp', 'whp']), text('got', ['control', 'whp', 'control']));
    const trial = prepareTrial(data, { outcome: 'y', assignment: 'arm', received: 'got' });
    expect(Array.from(trial.received?.values ?? [])).toEqual([0, 1, 0]);
  });

  it('points at the value that breaks the arm-label coding, not at the first arm label', () => {
    const data = dataset(num('y', [1, 2, 3]), text('arm', ['control', 'whp', 'whp']), text('got', ['control', 'whp', 'yes']));
    expect(failure(() => prepareTrial(data, { outcome: 'y', assignment: 'arm', received: 'got' }))).toMatchObject({
      code: 'DATA_RECEIVED_NOT_BINARY',
      row: 3,
      value: 'yes',
    });
  });

  it('refuses other values with the row (DATA_RECEIVED_NOT_BINARY)', () => {
    const data = dataset(num('y', [1, 2, 3]), num('z', [0, 1, 1]), num('d', [0, 1, 2]));
    expect(failure(() => prepareTrial(data, { outcome: 'y', assignment: 'z', received: 'd' }))).toMatchObject({
      code: 'DATA_RECEIVED_NOT_BINARY',
      row: 3,
      column: 'd',
    });
  });
});

describe('na.omit', () => {
  // Rows: 1 ok; 2 y missing (control); 3 x missing (treatment); 4 arm missing; 5 ok; 6 y and x missing (treatment).
  const data = dataset(
    num('y', [1, NA, 3, 4, 5, NA]),
    text('arm', ['c', 'c', 't', null, 't', 't']),
    num('x', [1, 2, NA, 4, 5, NA]),
    num('unused', [NA, NA, NA, NA, NA, NA]),
  );

  it('drops rows with a missing value in a used column only, and counts them by arm', () => {
    const trial = prepareTrial(data, { outcome: 'y', assignment: 'arm', covariates: ['x'] });
    expect(trial.n).toBe(2);
    expect(Array.from(trial.sourceRows)).toEqual([1, 5]);
    expect(trial.missing).toEqual({ total: 4, control: 1, treatment: 2, unknownArm: 1, byColumn: { y: 2, arm: 1, x: 2 } });
    expect(trial.diagnostics[0]).toMatchObject({ code: 'DATA_ROWS_DROPPED', severity: 'warning' });
    expect(trial.diagnostics[0]?.message).toContain('4 of 6 rows');
    expect(trial.diagnostics[0]?.message).toContain('control 1, treatment 2, arm missing 1');
  });

  it('reports nothing when nothing is dropped', () => {
    const trial = prepareTrial(data, { outcome: 'x', assignment: 'arm' }, undefined);
    // x is missing in rows 3 and 6 and arm in row 4: three rows dropped.
    expect(trial.missing.total).toBe(3);
    const complete = prepareTrial(dataset(num('y', [1, 2]), num('z', [0, 1])), { outcome: 'y', assignment: 'z' });
    expect(complete.missing.total).toBe(0);
    expect(complete.diagnostics).toEqual([]);
  });

  it('refuses data where every row is dropped (DATA_EMPTY)', () => {
    expect(failure(() => prepareTrial(data, { outcome: 'unused', assignment: 'arm' })).code).toBe('DATA_EMPTY');
  });
});

describe('factor covariates', () => {
  it('expands text into 0/1 dummies with the first sorted level dropped, named col_level (as model.matrix)', () => {
    // R: model.matrix(~ region, data.frame(region = c("north", "south", "east", "north")))
    //    gives columns regionnorth, regionsouth (east is the baseline); we name them region_north, region_south.
    const data = dataset(num('y', [1, 2, 3, 4]), num('z', [0, 1, 0, 1]), text('region', ['north', 'south', 'east', 'north']));
    const trial = prepareTrial(data, { outcome: 'y', assignment: 'z', covariates: ['region'] });
    expect(trial.covariates.map((c) => c.name)).toEqual(['region_north', 'region_south']);
    expect(Array.from(trial.covariates[0]!.values)).toEqual([1, 0, 0, 1]);
    expect(Array.from(trial.covariates[1]!.values)).toEqual([0, 1, 0, 0]);
  });

  it('takes levels from the rows kept after na.omit (drop.unused.levels)', () => {
    const data = dataset(num('y', [1, NA, 3, 4]), num('z', [0, 1, 0, 1]), text('sex', ['f', 'x', 'm', 'f']));
    const trial = prepareTrial(data, { outcome: 'y', assignment: 'z', covariates: ['sex'] });
    expect(trial.covariates.map((c) => c.name)).toEqual(['sex_m']);
  });

  it('treats a mostly-numeric text covariate as a number with a typo, unless declared a factor', () => {
    const data = dataset(num('y', [1, 2, 3, 4]), num('z', [0, 1, 0, 1]), text('age', ['31', '45', '5O', '60']));
    expect(failure(() => prepareTrial(data, { outcome: 'y', assignment: 'z', covariates: ['age'] }))).toMatchObject({
      code: 'DATA_NOT_NUMERIC',
      row: 3,
      column: 'age',
    });
    const asFactor = prepareTrial(data, { outcome: 'y', assignment: 'z', covariates: ['age'] }, undefined, { factors: ['age'] });
    expect(asFactor.covariates.map((c) => c.name)).toEqual(['age_45', 'age_5O', 'age_60']);
  });
});

describe('groupings and ids', () => {
  it('codes cluster, blocks and by over sorted labels (numeric order for numbers)', () => {
    const data = dataset(
      num('y', [1, 2, 3, 4]),
      num('z', [0, 1, 0, 1]),
      num('office', [10, 9, 10, 2]),
      text('block', ['b', 'a', 'b', 'a']),
      text('id', ['p1', 'p2', null, 'p4']),
    );
    const trial = prepareTrial(data, { outcome: 'y', assignment: 'z', cluster: 'office', blocks: 'block', by: 'block', id: 'id' });
    expect(trial.cluster?.labels).toEqual(['2', '9', '10']);
    expect(Array.from(trial.cluster?.codes ?? [])).toEqual([2, 1, 2, 0]);
    expect(trial.blocks?.labels).toEqual(['a', 'b']);
    expect(Array.from(trial.blocks?.codes ?? [])).toEqual([1, 0, 1, 0]);
    expect(trial.by?.name).toBe('block');
    // A missing id does not drop the row (the id is not used by the analysis).
    expect(trial.id).toEqual(['p1', 'p2', '', 'p4']);
  });

  it('warns about repeated ids with the rows of the first repeat', () => {
    const data = dataset(num('y', [1, 2, 3, 4]), num('z', [0, 1, 0, 1]), text('id', ['a', 'b', 'a', 'c']));
    const trial = prepareTrial(data, { outcome: 'y', assignment: 'z', id: 'id' });
    expect(trial.diagnostics).toEqual([
      expect.objectContaining({ code: 'DATA_DUPLICATE_ID', severity: 'warning', message: expect.stringContaining('"a" (rows 1 and 3)') }),
    ]);
  });

  it('drops rows whose cluster is missing', () => {
    const data = dataset(num('y', [1, 2, 3, 4]), num('z', [0, 1, 0, 1]), text('office', ['a', null, 'b', 'b']));
    const trial = prepareTrial(data, { outcome: 'y', assignment: 'z', cluster: 'office' });
    expect(trial.missing).toMatchObject({ total: 1, treatment: 1, byColumn: { office: 1 } });
  });
});
