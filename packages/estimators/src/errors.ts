/**
 * Error codes and messages of @trialkit/estimators, in one place. Each refusal mirrors one of estimatr 1.0.0's
 * (ESTIMATORS-MATH.md §1.8), says why the design cannot be analysed and what to do instead.
 */
import { TrialkitError, formatValue } from '@trialkit/core';

export const EstimatorsErrorCode = {
  oneArm: 'EST_ONE_ARM',
  clustersNotNested: 'EST_CLUSTERS_NOT_NESTED_IN_BLOCKS',
  blockTooSmall: 'EST_BLOCK_TOO_SMALL',
  treatmentVariesInCluster: 'EST_TREATMENT_VARIES_IN_CLUSTER',
  blockMissingArm: 'EST_BLOCK_MISSING_ARM',
  tooFewPerArm: 'EST_TOO_FEW_PER_ARM',
  lengthMismatch: 'EST_LENGTH_MISMATCH',
  notBinary: 'EST_ASSIGNMENT_NOT_BINARY',
  nonFinite: 'EST_NON_FINITE_VALUE',
  badSeType: 'EST_BAD_SE_TYPE',
  clusterSeWithoutCluster: 'EST_CLUSTER_SE_WITHOUT_CLUSTER',
  heteroSeWithCluster: 'EST_HC_SE_WITH_CLUSTER',
  badLevel: 'EST_BAD_LEVEL',
  tooFewObservations: 'EST_TOO_FEW_OBSERVATIONS',
  noReceived: 'EST_NO_RECEIVED',
  emptyGroup: 'EST_EMPTY_GROUP',
} as const;

export const estimatorsErrors = {
  oneArm(argument: string): TrialkitError {
    return new TrialkitError({
      code: EstimatorsErrorCode.oneArm,
      argument,
      what: 'The assignment has only one value among the rows analysed, so there is no comparison to make',
      hint: 'Check that both arms are present after missing rows are dropped (estimatr: "Must have more than one value in treatment").',
    });
  },
  clustersNotNested(cluster: string, blocks: string): TrialkitError {
    return new TrialkitError({
      code: EstimatorsErrorCode.clustersNotNested,
      argument: '--cluster',
      value: cluster,
      what: `Cluster ${formatValue(cluster)} appears in more than one block ("${blocks}"); clusters must be nested within blocks`,
      hint: 'Randomisation by cluster within blocks needs every cluster wholly inside one block: check the cluster and block columns (estimatr: "All `clusters` must be contained within `blocks`").',
    });
  },
  blockTooSmall(block: string, clustered: boolean): TrialkitError {
    return new TrialkitError({
      code: EstimatorsErrorCode.blockTooSmall,
      argument: '--blocks',
      value: block,
      what: `Block ${formatValue(block)} has only one ${clustered ? 'cluster' : 'unit'}, so no within-block comparison exists`,
      hint: 'Merge it with a similar block, or drop it and say so (estimatr: "All `blocks` must have multiple units (or `clusters`)").',
    });
  },
  treatmentVariesInCluster(cluster: string): TrialkitError {
    return new TrialkitError({
      code: EstimatorsErrorCode.treatmentVariesInCluster,
      argument: '--cluster',
      value: cluster,
      what: `Units in cluster ${formatValue(cluster)} were assigned to different arms, so the cluster was not the unit of randomisation`,
      hint: 'If assignment was individual, do not pass --cluster (or use covariates with HC2); otherwise fix the cluster column (estimatr: "All units within a cluster must have the same treatment condition").',
    });
  },
  blockMissingArm(block: string): TrialkitError {
    return new TrialkitError({
      code: EstimatorsErrorCode.blockMissingArm,
      argument: '--blocks',
      value: block,
      what: `Block ${formatValue(block)} has units in only one arm, so it carries no within-block comparison`,
      hint: 'Drop the block or merge it with a neighbour, and report that you did (estimatr: "Must have units with both treatment conditions within each block").',
    });
  },
  tooFewPerArm(block: string | undefined): TrialkitError {
    return new TrialkitError({
      code: EstimatorsErrorCode.tooFewPerArm,
      argument: block === undefined ? '--assignment' : '--blocks',
      ...(block === undefined ? {} : { value: block }),
      what:
        block === undefined
          ? 'One arm has a single unit, so its variance cannot be estimated'
          : `Block ${formatValue(block)} has a single treated or a single control unit, so its variance cannot be estimated`,
      hint: 'Every block of a design that is not pair-matched needs at least two treated and two control units: merge small blocks, or analyse as matched pairs if that is how units were randomised (estimatr: "If design is not pair-matched, every block must have at least two treated and control units").',
    });
  },
  lengthMismatch(argument: string, expected: number, actual: number): TrialkitError {
    return new TrialkitError({
      code: EstimatorsErrorCode.lengthMismatch,
      argument,
      value: actual,
      what: `${argument} has ${actual} values but the outcome has ${expected}`,
      hint: 'Pass columns of the same prepared data (every column one value per analysed row).',
    });
  },
  notBinary(argument: string, value: number, row: number): TrialkitError {
    return new TrialkitError({
      code: EstimatorsErrorCode.notBinary,
      argument,
      value,
      row,
      what: `${argument} must be coded 0 (control) or 1 (treatment) but has ${formatValue(value)}`,
      hint: 'Prepare the data with prepareTrial (which codes the two arms 0/1) or recode the column.',
    });
  },
  nonFinite(argument: string, row: number): TrialkitError {
    return new TrialkitError({
      code: EstimatorsErrorCode.nonFinite,
      argument,
      row,
      what: `${argument} has a missing or non-finite value`,
      hint: 'Drop incomplete rows first (prepareTrial does, as R\'s na.omit), or impute and say so.',
    });
  },
  badSeType(value: unknown): TrialkitError {
    return new TrialkitError({
      code: EstimatorsErrorCode.badSeType,
      argument: '--se',
      value,
      what: `Unknown standard-error type ${formatValue(value)}`,
      hint: 'Use one of classical, HC0, HC1, HC2, HC3 (no clusters) or CR0, CR2, stata (with --cluster).',
    });
  },
  clusterSeWithoutCluster(value: string): TrialkitError {
    return new TrialkitError({
      code: EstimatorsErrorCode.clusterSeWithoutCluster,
      argument: '--se',
      value,
      what: `The cluster-robust standard error ${formatValue(value)} needs a cluster column`,
      hint: 'Pass --cluster, or choose HC2 (estimatr\'s default without clusters).',
    });
  },
  heteroSeWithCluster(value: string): TrialkitError {
    return new TrialkitError({
      code: EstimatorsErrorCode.heteroSeWithCluster,
      argument: '--se',
      value,
      what: `${formatValue(value)} ignores the clustering that --cluster declares`,
      hint: 'With clusters use CR2 (estimatr\'s default), CR0 or stata; drop --cluster if assignment was individual (estimatr refuses this combination too).',
    });
  },
  badLevel(value: unknown): TrialkitError {
    return new TrialkitError({
      code: EstimatorsErrorCode.badLevel,
      argument: '--level',
      value,
      what: `The confidence level ${formatValue(value)} is not strictly between 0 and 1`,
      hint: 'Give a level such as 0.95 or 0.9.',
    });
  },
  tooFewObservations(n: number, k: number): TrialkitError {
    return new TrialkitError({
      code: EstimatorsErrorCode.tooFewObservations,
      value: n,
      what: `${n} complete rows cannot fit a model with ${k} coefficients and leave degrees of freedom for the variance`,
      hint: 'Use fewer covariates or more data.',
    });
  },
  noReceived(): TrialkitError {
    return new TrialkitError({
      code: EstimatorsErrorCode.noReceived,
      argument: '--received',
      what: 'The CACE needs the treatment actually received',
      hint: 'Pass --received with the column recording take-up (0/1).',
    });
  },
  emptyGroup(argument: string, label: string): TrialkitError {
    return new TrialkitError({
      code: EstimatorsErrorCode.emptyGroup,
      argument,
      value: label,
      what: `Group ${formatValue(label)} has no complete rows`,
      hint: 'Check the grouping column for values that only occur in incomplete rows.',
    });
  },
};
