/**
 * Error codes and messages of randomisation inference (src/randomisation-inference), in one place. Each says what
 * cannot be redrawn and what to do instead.
 */
import { TrialkitError, formatValue } from '@trialkit/core';

export const RandomisationInferenceErrorCode = {
  badDraws: 'RI_BAD_DRAWS',
  badDesign: 'RI_BAD_DESIGN',
  badStatistic: 'RI_BAD_STATISTIC',
  designNeedsBlocks: 'RI_DESIGN_NEEDS_BLOCKS',
  designNeedsCluster: 'RI_DESIGN_NEEDS_CLUSTER',
  oneArm: 'RI_ONE_ARM',
  blockOneArm: 'RI_BLOCK_ONE_ARM',
  treatmentVariesInCluster: 'RI_TREATMENT_VARIES_IN_CLUSTER',
  clustersNotNested: 'RI_CLUSTERS_NOT_NESTED_IN_BLOCKS',
  nonFinite: 'RI_NON_FINITE_OUTCOME',
  redrawIncomplete: 'RI_REDRAW_INCOMPLETE',
  noReceived: 'RI_NO_RECEIVED',
} as const;

export const MAX_DRAWS = 100_000_000;

export const riErrors = {
  badDraws(value: unknown): TrialkitError {
    return new TrialkitError({
      code: RandomisationInferenceErrorCode.badDraws,
      argument: '--ri',
      value,
      what: `The number of randomisation draws must be a whole number from 1 to ${MAX_DRAWS.toLocaleString('en-GB')}`,
      hint: 'Use e.g. --ri 10000 (the Monte Carlo error of a p-value near 0.05 is then about 0.002).',
    });
  },
  badDesign(value: unknown): TrialkitError {
    return new TrialkitError({
      code: RandomisationInferenceErrorCode.badDesign,
      argument: 'design',
      value,
      what: `Unknown randomisation design ${formatValue(value)}`,
      hint: "Use 'complete', 'blocked', 'clustered' or 'block-clustered', or leave it out to follow the trial's blocks and clusters.",
    });
  },
  badStatistic(value: unknown): TrialkitError {
    return new TrialkitError({
      code: RandomisationInferenceErrorCode.badStatistic,
      argument: 'statistic',
      value,
      what: `Unknown randomisation test statistic ${formatValue(value)}`,
      hint: "Use 'difference-in-means' (the ITT estimate, the default) or 't' (the estimate divided by its standard error).",
    });
  },
  designNeedsBlocks(design: string): TrialkitError {
    return new TrialkitError({
      code: RandomisationInferenceErrorCode.designNeedsBlocks,
      argument: 'design',
      value: design,
      what: `The '${design}' design redraws within blocks, but the trial has no block column`,
      hint: "Name the block (stratum) column (--blocks), or use the 'complete' or 'clustered' design.",
    });
  },
  designNeedsCluster(design: string): TrialkitError {
    return new TrialkitError({
      code: RandomisationInferenceErrorCode.designNeedsCluster,
      argument: 'design',
      value: design,
      what: `The '${design}' design redraws whole clusters, but the trial has no cluster column`,
      hint: "Name the cluster column (--cluster), or use the 'complete' or 'blocked' design.",
    });
  },
  oneArm(): TrialkitError {
    return new TrialkitError({
      code: RandomisationInferenceErrorCode.oneArm,
      argument: 'assignment',
      what: 'Only one arm is present among the rows analysed, so there is no assignment to redraw',
      hint: 'Check that both arms remain after missing rows are dropped.',
    });
  },
  blockOneArm(block: string): TrialkitError {
    return new TrialkitError({
      code: RandomisationInferenceErrorCode.blockOneArm,
      argument: '--blocks',
      value: block,
      what: `Block ${formatValue(block)} has units (or clusters) in only one arm, so its within-block difference does not exist`,
      hint: 'Randomisation within blocks puts both arms in every block: check the block column, or merge the block with a similar one and say so.',
    });
  },
  treatmentVariesInCluster(cluster: string): TrialkitError {
    return new TrialkitError({
      code: RandomisationInferenceErrorCode.treatmentVariesInCluster,
      argument: '--cluster',
      value: cluster,
      what: `Units in cluster ${formatValue(cluster)} were assigned to different arms, so the cluster was not the unit of randomisation`,
      hint: "If assignment was individual, use design 'complete' or 'blocked'; otherwise fix the cluster column.",
    });
  },
  clustersNotNested(cluster: string): TrialkitError {
    return new TrialkitError({
      code: RandomisationInferenceErrorCode.clustersNotNested,
      argument: '--cluster',
      value: cluster,
      what: `Cluster ${formatValue(cluster)} appears in more than one block; clusters must be nested within blocks`,
      hint: 'Check the cluster and block columns: randomisation of clusters within blocks needs every cluster wholly inside one block.',
    });
  },
  nonFinite(row: number): TrialkitError {
    return new TrialkitError({
      code: RandomisationInferenceErrorCode.nonFinite,
      argument: 'outcome',
      row,
      what: 'The outcome has a value that is not a finite number',
      hint: 'Prepare the trial with prepareTrial (which drops missing rows) or fix the value.',
    });
  },
  redrawIncomplete(draw: number, row: number): TrialkitError {
    return new TrialkitError({
      code: RandomisationInferenceErrorCode.redrawIncomplete,
      kind: 'internal',
      row,
      what: `Redraw ${draw} of the assignment gave no arm (0 or 1) for row ${row}`,
      hint: 'The redraw function must assign every row of the analysed data to one of the two arms.',
    });
  },
  noReceived(): TrialkitError {
    return new TrialkitError({
      code: RandomisationInferenceErrorCode.noReceived,
      argument: '--received',
      what: 'The CACE needs the treatment actually received',
      hint: 'Name the received column (--received).',
    });
  },
};
