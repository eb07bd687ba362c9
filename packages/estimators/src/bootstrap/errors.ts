/**
 * Error codes and messages of the bootstrap (src/bootstrap), in one place. Each says what cannot be resampled or
 * summarised and what to do instead. Statistical trouble that still yields an answer (extreme order statistics, a
 * ratio whose denominator crosses zero) is a Diagnostic on the result, not an error.
 */
import { TrialkitError, formatValue } from '@trialkit/core';

export const BootstrapErrorCode = {
  badReps: 'BOOT_BAD_REPS',
  tooFewRepsForLevel: 'BOOT_TOO_FEW_REPS_FOR_LEVEL',
  badRows: 'BOOT_BAD_ROWS',
  badGrouping: 'BOOT_BAD_GROUPING',
  clusterSpansStrata: 'BOOT_CLUSTER_SPANS_STRATA',
  stratumOneUnit: 'BOOT_STRATUM_ONE_UNIT',
  nonFiniteStatistic: 'BOOT_NON_FINITE_STATISTIC',
  statisticLength: 'BOOT_STATISTIC_LENGTH',
  badIndex: 'BOOT_BAD_INDEX',
  badInterval: 'BOOT_BAD_INTERVAL',
  badInfluence: 'BOOT_BAD_INFLUENCE',
  badUnitIndices: 'BOOT_BAD_UNIT_INDICES',
  badReplicates: 'BOOT_BAD_REPLICATES',
  nonFiniteValue: 'BOOT_NON_FINITE_VALUE',
  oneArm: 'BOOT_ONE_ARM',
  blockMissingArm: 'BOOT_BLOCK_MISSING_ARM',
  treatmentVariesInCluster: 'BOOT_TREATMENT_VARIES_IN_CLUSTER',
  unknownColumn: 'BOOT_UNKNOWN_COLUMN',
  noSeed: 'BOOT_NO_SEED',
  ratioZeroDenominator: 'BOOT_RATIO_ZERO_DENOMINATOR',
} as const;

/** Upper limit on replicates (memory: 8 bytes per replicate and component). */
export const MAX_REPS = 10_000_000;

export const bootstrapErrors = {
  badReps(value: unknown): TrialkitError {
    return new TrialkitError({
      code: BootstrapErrorCode.badReps,
      argument: '--bootstrap',
      value,
      what: `The number of bootstrap replicates must be a whole number from 2 to ${MAX_REPS.toLocaleString('en-GB')}`,
      hint: 'Use e.g. --bootstrap 2000 (Efron & Tibshirani 1993, §19.3, suggest at least 1,000 for percentile and BCa intervals).',
    });
  },
  tooFewRepsForLevel(reps: number, level: number, needed: number): TrialkitError {
    return new TrialkitError({
      code: BootstrapErrorCode.tooFewRepsForLevel,
      argument: '--bootstrap',
      value: reps,
      what: `${reps} replicates leave fewer than ${MIN_TAIL_REPLICATES} replicates in each tail of a ${Number((100 * level).toPrecision(10))}% interval ((R + 1)·(1 − level)/2 = ${formatNumber(((reps + 1) * (1 - level)) / 2)}), so its ends would be the most extreme replicates, and BCa moves them further out`,
      hint: `Use at least ${needed} replicates for this level (2,000 or more is usual for BCa), or a lower level.`,
    });
  },
  badRows(value: unknown): TrialkitError {
    return new TrialkitError({
      code: BootstrapErrorCode.badRows,
      argument: 'n',
      value,
      what: 'The number of rows to resample must be a whole number of at least 2',
      hint: 'Pass the number of rows of the data the statistic reads (n).',
    });
  },
  badGrouping(argument: string, expected: number, actual: number | string): TrialkitError {
    return new TrialkitError({
      code: BootstrapErrorCode.badGrouping,
      argument,
      value: actual,
      what:
        typeof actual === 'number'
          ? `${argument} has ${actual} codes but there are ${expected} rows`
          : `${argument} must hold whole-number codes 0, 1, 2, … for each of the ${expected} rows; found ${actual}`,
      hint: 'Give one integer code per row (a Grouping from prepareTrial, or an Int32Array).',
    });
  },
  clusterSpansStrata(cluster: string): TrialkitError {
    return new TrialkitError({
      code: BootstrapErrorCode.clusterSpansStrata,
      argument: 'cluster',
      value: cluster,
      what: `Cluster ${formatValue(cluster)} has rows in more than one stratum, so whole clusters cannot be resampled within strata`,
      hint: 'Clusters must be nested in the strata (blocks, and arms for the ITT): check the cluster and block columns.',
    });
  },
  stratumOneUnit(stratum: string, clustered: boolean): TrialkitError {
    const unit = clustered ? 'cluster' : 'unit';
    return new TrialkitError({
      code: BootstrapErrorCode.stratumOneUnit,
      argument: clustered ? '--cluster' : '--blocks',
      value: stratum,
      what: `Stratum ${formatValue(stratum)} has a single ${unit}, so resampling within it always returns the same ${unit} (no sampling variation) and the leave-one-${unit}-out jackknife for BCa empties it`,
      hint: 'Merge the stratum (block) with a similar one and say so, or resample without that stratification; matched pairs cannot be bootstrapped within pairs.',
    });
  },
  nonFiniteStatistic(replicate: number, component: number, value: number, what: 'replicate' | 'jackknife' | 'observed'): TrialkitError {
    const where =
      what === 'observed'
        ? 'on the original data'
        : what === 'jackknife'
          ? `with resampling unit ${replicate} left out (jackknife for BCa)`
          : `in bootstrap replicate ${replicate}`;
    return new TrialkitError({
      code: BootstrapErrorCode.nonFiniteStatistic,
      argument: 'statistic',
      value,
      what: `The statistic's component ${component + 1} is ${String(value)} ${where}`,
      hint: 'A resample can leave a group empty or a denominator zero: stratify the resampling so every group is present (strata), or make the statistic defined for every resample. For a ratio of ITTs use bootstrapRatio, which reports a denominator crossing zero as a diagnostic.',
    });
  },
  statisticLength(replicate: number, expected: number, actual: number): TrialkitError {
    return new TrialkitError({
      code: BootstrapErrorCode.statisticLength,
      argument: 'statistic',
      value: actual,
      what: `The statistic returned ${actual} values in bootstrap replicate ${replicate} but ${expected} on the original data`,
      hint: 'Return a number, or an array of the same length for every resample.',
    });
  },
  badIndex(value: unknown, components: number): TrialkitError {
    return new TrialkitError({
      code: BootstrapErrorCode.badIndex,
      argument: 'index',
      value,
      what: `The component index must be a whole number from 0 to ${components - 1}`,
      hint: 'index picks which value of the statistic the intervals are for (0 = the first).',
    });
  },
  badInterval(value: unknown): TrialkitError {
    return new TrialkitError({
      code: BootstrapErrorCode.badInterval,
      argument: '--bootstrap-ci',
      value,
      what: `Unknown bootstrap interval ${formatValue(value)}`,
      hint: "Use 'bca' (the default), 'percentile', 'normal' or 'basic'.",
    });
  },
  badInfluence(expected: number, actual: number | string): TrialkitError {
    return new TrialkitError({
      code: BootstrapErrorCode.badInfluence,
      argument: 'influence',
      value: actual,
      what:
        typeof actual === 'number'
          ? `${actual} influence values were given for ${expected} resampling units`
          : `The influence values must be finite numbers; found ${actual}`,
      hint: 'Give one jackknife influence value per resampling unit (row, or cluster), or leave influence out to have them computed.',
    });
  },
  badUnitIndices(replicate: number, what: string): TrialkitError {
    return new TrialkitError({
      code: BootstrapErrorCode.badUnitIndices,
      argument: 'unitIndices',
      value: replicate,
      what: `Replicate ${replicate} of the given resamples ${what}`,
      hint: "Give one 0-based unit index per resampling unit and replicate, each drawn from its position's stratum (R: boot.array(b, indices = TRUE) - 1).",
    });
  },
  badReplicates(what: string): TrialkitError {
    return new TrialkitError({
      code: BootstrapErrorCode.badReplicates,
      argument: 't',
      what,
      hint: 'Pass the observed statistic t0 (finite) and at least two replicates.',
    });
  },
  nonFiniteValue(argument: string, row: number): TrialkitError {
    return new TrialkitError({
      code: BootstrapErrorCode.nonFiniteValue,
      argument,
      row,
      what: `${argument} has a missing or non-finite value`,
      hint: "Drop incomplete rows first (prepareTrial does, as R's na.omit), or impute and say so.",
    });
  },
  oneArm(): TrialkitError {
    return new TrialkitError({
      code: BootstrapErrorCode.oneArm,
      argument: '--assignment',
      what: 'Only one arm is present among the rows analysed, so there is no difference in means to resample',
      hint: 'Check that both arms remain after missing rows are dropped.',
    });
  },
  blockMissingArm(block: string): TrialkitError {
    return new TrialkitError({
      code: BootstrapErrorCode.blockMissingArm,
      argument: '--blocks',
      value: block,
      what: `Block ${formatValue(block)} has units in only one arm, so its within-block difference does not exist`,
      hint: 'Merge the block with a similar one (and say so), or check the block column.',
    });
  },
  treatmentVariesInCluster(cluster: string): TrialkitError {
    return new TrialkitError({
      code: BootstrapErrorCode.treatmentVariesInCluster,
      argument: '--cluster',
      value: cluster,
      what: `Units in cluster ${formatValue(cluster)} were assigned to different arms, so whole clusters cannot be resampled within arms`,
      hint: 'If assignment was individual, do not pass --cluster; otherwise fix the cluster column.',
    });
  },
  noSeed(): TrialkitError {
    return new TrialkitError({
      code: BootstrapErrorCode.noSeed,
      argument: '--seed',
      what: 'The bootstrap needs a seed, so that its replicates (and intervals) can be reproduced',
      hint: 'Pass a seed, e.g. --seed 2026 (an integer below 2^64, or any text).',
    });
  },
  ratioZeroDenominator(denominator: string): TrialkitError {
    return new TrialkitError({
      code: BootstrapErrorCode.ratioZeroDenominator,
      argument: 'denominator',
      value: denominator,
      what: `The ITT on the denominator ${formatValue(denominator)} is exactly zero, so the ratio is undefined (the programme shows no additional outcomes to divide by)`,
      hint: 'Report the two ITTs separately; a ratio such as cost per additional job needs an effect on the denominator.',
    });
  },
  unknownColumn(argument: string, name: string, available: readonly string[]): TrialkitError {
    return new TrialkitError({
      code: BootstrapErrorCode.unknownColumn,
      argument,
      value: name,
      what: `${formatValue(name)} is not a column of the prepared trial (it has ${available.map((a) => formatValue(a)).join(', ')})`,
      hint: 'Name the outcome, the received column or a covariate of the prepared trial, or pass { name, values } with one value per analysed row.',
    });
  },
};

/** The fewest replicates each tail of an interval must have: (R + 1)·(1 − level)/2 ≥ this. */
export const MIN_TAIL_REPLICATES = 5;

function formatNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}
