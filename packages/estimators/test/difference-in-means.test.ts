import { describe, expect, it } from 'vitest';
import { isTrialkitError } from '@trialkit/core';
import { differenceInMeans } from '../src/difference-in-means.js';
import { EstimatorsErrorCode } from '../src/errors.js';
import { caseData, estimatrCases } from './cases.js';
import { expectClose } from './fixtures.js';

// Expected values: estimatr::difference_in_means (fixtures/make-fixtures.R §3.1).
const ERROR_CODES: [string, string][] = [
  ['All units within a cluster must have the same treatment condition', EstimatorsErrorCode.treatmentVariesInCluster],
  ['All `clusters` must be contained within `blocks`', EstimatorsErrorCode.clustersNotNested],
  ['All `blocks` must have multiple units', EstimatorsErrorCode.blockTooSmall],
  ['Must have units with both treatment conditions', EstimatorsErrorCode.blockMissingArm],
  ['If design is not pair-matched', EstimatorsErrorCode.tooFewPerArm],
];

describe('difference_in_means against estimatr 1.0.0', () => {
  for (const c of estimatrCases.filter((x) => x.call === 'difference_in_means')) {
    it(c.name, () => {
      const data = caseData(c);
      const run = () =>
        differenceInMeans({
          outcome: data.numeric(c.args.outcome),
          assignment: data.numeric(c.args.assignment),
          ...(c.args.blocks === undefined ? {} : { blocks: data.grouping(c.args.blocks) }),
          ...(c.args.cluster === undefined ? {} : { cluster: data.grouping(c.args.cluster) }),
          term: c.args.assignment,
        });
      if (c.error !== undefined) {
        const code = ERROR_CODES.find(([m]) => c.error!.includes(m))?.[1];
        expect(code, `unmapped estimatr error: ${c.error}`).toBeDefined();
        let thrown: unknown;
        try {
          run();
        } catch (error) {
          thrown = error;
        }
        expect(isTrialkitError(thrown) ? thrown.code : thrown).toBe(code);
        return;
      }
      const result = run();
      const row = c.expected!.terms[0]!;
      expect(result.term).toBe(row.term);
      expectClose(result.estimate, row.estimate, 1e-8, 1e-12, 'estimate');
      expectClose(result.stdError, row.std_error, 1e-8, 1e-12, 'std error');
      expectClose(result.df, row.df, 1e-8, 1e-12, 'df');
      expectClose(result.statistic, row.statistic, 1e-8, 1e-12, 'statistic');
      expectClose(result.pValue, row.p_value, 1e-8, 0, 'p');
      expectClose(result.confLow, row.conf_low, 1e-8, 1e-12, 'conf low');
      expectClose(result.confHigh, row.conf_high, 1e-8, 1e-12, 'conf high');
      expect(result.design).toBe(c.expected!.design);
      expect(result.nObs).toBe(c.expected!.nobs);
      // estimatr reports nclusters = 0 for unclustered blocked designs; trialkit leaves it undefined.
      if (c.expected!.nclusters !== undefined) expect(result.nClusters ?? 0).toBe(c.expected!.nclusters);
      if (c.expected!.nblocks !== undefined) expect(result.nBlocks).toBe(c.expected!.nblocks);
      expect(result.diagnostics.some((d) => d.code === 'EST_MIXED_PAIR_BLOCKS')).toBe(c.warning !== null && c.warning.includes('two units'));
    });
  }
  it('refuses an assignment that is not 0/1, and a level outside (0, 1)', () => {
    const outcome = Float64Array.of(1, 2, 3, 4);
    expect(() => differenceInMeans({ outcome, assignment: Float64Array.of(0, 1, 2, 1) })).toThrow(
      expect.objectContaining({ code: EstimatorsErrorCode.notBinary, row: 3 }),
    );
    expect(() => differenceInMeans({ outcome, assignment: Float64Array.of(0, 1, 0, 1), level: 95 })).toThrow(
      expect.objectContaining({ code: EstimatorsErrorCode.badLevel }),
    );
    expect(() => differenceInMeans({ outcome, assignment: Float64Array.of(1, 1, 1, 1) })).toThrow(
      expect.objectContaining({ code: EstimatorsErrorCode.oneArm }),
    );
  });
});
