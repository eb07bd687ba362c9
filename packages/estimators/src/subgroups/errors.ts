/**
 * Error codes and messages of the subgroup analysis (src/subgroups), in one place. Each says what cannot be analysed
 * and what to do instead. Statistical trouble that still yields an answer (a level too small, too many levels, no
 * test possible) is a Diagnostic on the result, with the codes in SubgroupDiagnosticCode.
 */
import { TrialkitError, formatValue } from '@trialkit/core';

export const SubgroupErrorCode = {
  badSubgroup: 'SUBGROUP_BAD_COLUMN',
  preparedWithoutSubgroup: 'SUBGROUP_NOT_PREPARED',
  badMinimumArmSize: 'SUBGROUP_BAD_MINIMUM_ARM_SIZE',
  badMaximumLevels: 'SUBGROUP_BAD_MAXIMUM_LEVELS',
} as const;

export const SubgroupDiagnosticCode = {
  levelTooSmall: 'SUBGROUP_LEVEL_TOO_SMALL',
  levelNotEstimated: 'SUBGROUP_LEVEL_NOT_ESTIMATED',
  levelNoVariation: 'SUBGROUP_LEVEL_NO_VARIATION',
  tooManyLevels: 'SUBGROUP_TOO_MANY_LEVELS',
  oneLevel: 'SUBGROUP_ONE_LEVEL',
  noTest: 'SUBGROUP_NO_INTERACTION_TEST',
  interactionDropped: 'SUBGROUP_INTERACTION_DROPPED',
  testBlockFixedEffects: 'SUBGROUP_TEST_BLOCK_FIXED_EFFECTS',
  testWithoutLin: 'SUBGROUP_TEST_ADDITIVE_COVARIATES',
  riNotPerLevel: 'SUBGROUP_RI_NOT_PER_LEVEL',
} as const;

export const subgroupErrors = {
  badSubgroup(value: unknown): TrialkitError {
    return new TrialkitError({
      code: SubgroupErrorCode.badSubgroup,
      argument: 'subgroup',
      value,
      what: `The subgroup must name a column of the data, but is ${formatValue(value)}`,
      hint: 'Give the name of the pre-specified subgroup column, e.g. subgroup: "disabled".',
    });
  },
  preparedWithoutSubgroup(subgroup: string, by: string | undefined): TrialkitError {
    return new TrialkitError({
      code: SubgroupErrorCode.preparedWithoutSubgroup,
      argument: 'subgroup',
      value: subgroup,
      what:
        by === undefined
          ? `The prepared trial has no grouping column, so the subgroup "${subgroup}" cannot be found in it`
          : `The prepared trial is grouped by "${by}", not by the subgroup "${subgroup}"`,
      hint: `Prepare the trial with roles.by = "${subgroup}" (prepareTrial(data, { ...roles, by: "${subgroup}" })), or pass the Dataset and let subgroupAnalysis prepare it.`,
    });
  },
  badMinimumArmSize(value: unknown): TrialkitError {
    return new TrialkitError({
      code: SubgroupErrorCode.badMinimumArmSize,
      argument: 'minimumArmSize',
      value,
      what: `The minimum arm size of a subgroup level must be a whole number of at least 2, but is ${formatValue(value)}`,
      hint: 'Use the pre-specified minimum, e.g. minimumArmSize: 30 (2 is the least a variance can be estimated from).',
    });
  },
  badMaximumLevels(value: unknown): TrialkitError {
    return new TrialkitError({
      code: SubgroupErrorCode.badMaximumLevels,
      argument: 'maximumLevels',
      value,
      what: `The maximum number of subgroup levels must be a whole number of at least 2, but is ${formatValue(value)}`,
      hint: 'Use e.g. maximumLevels: 12 (the default), or group the variable into a few pre-specified categories.',
    });
  },
};
