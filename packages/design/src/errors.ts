/** Error codes and messages of @trialkit/design, in one place (as the other packages' errors.ts). */
import { TrialkitError, formatValue } from '@trialkit/core';

export const DesignErrorCode = {
  badOutcome: 'DESIGN_BAD_OUTCOME',
  badMethod: 'DESIGN_BAD_METHOD',
  methodOutcome: 'DESIGN_METHOD_NOT_FOR_OUTCOME',
  missing: 'DESIGN_MISSING_VALUE',
  nothingToSolve: 'DESIGN_NOTHING_TO_SOLVE',
  badNumber: 'DESIGN_BAD_NUMBER',
  badProbability: 'DESIGN_BAD_PROBABILITY',
  powerNotAboveAlpha: 'DESIGN_POWER_NOT_ABOVE_ALPHA',
  zeroEffect: 'DESIGN_ZERO_EFFECT',
  rateOutOfRange: 'DESIGN_TREATMENT_RATE_OUT_OF_RANGE',
  clusterIncomplete: 'DESIGN_CLUSTER_INCOMPLETE',
  noReceiptDifference: 'DESIGN_NO_RECEIPT_DIFFERENCE',
  tooSmall: 'DESIGN_SAMPLE_TOO_SMALL',
  tooFewClusters: 'DESIGN_TOO_FEW_CLUSTERS',
  unreachable: 'DESIGN_POWER_UNREACHABLE',
} as const;

export type DesignErrorCodeValue = (typeof DesignErrorCode)[keyof typeof DesignErrorCode];

export const designErrors = {
  badOutcome(value: unknown): TrialkitError {
    return new TrialkitError({
      code: DesignErrorCode.badOutcome,
      argument: 'outcome',
      value,
      what: `The outcome type ${formatValue(value)} is not "continuous" or "binary"`,
      hint: 'Use "binary" for a 0/1 outcome such as a job outcome (give the control rate), "continuous" for a mean (give the SD).',
    });
  },
  badMethod(value: unknown, choices: readonly string[]): TrialkitError {
    return new TrialkitError({
      code: DesignErrorCode.badMethod,
      argument: 'method',
      value,
      what: `The method ${formatValue(value)} is not one of ${choices.join(', ')}`,
      hint: `Choose one of: ${choices.join(', ')}.`,
    });
  },
  methodOutcome(method: string, outcome: string): TrialkitError {
    return new TrialkitError({
      code: DesignErrorCode.methodOutcome,
      argument: 'method',
      value: method,
      what: `The ${method} method applies to binary outcomes only, not to a ${outcome} outcome`,
      hint: 'For a continuous outcome use "exact" (noncentral t, as R power.t.test) or "normal".',
    });
  },
  missing(argument: string, why: string, hint: string): TrialkitError {
    return new TrialkitError({ code: DesignErrorCode.missing, argument, what: `${argument} is needed ${why}`, hint });
  },
  nothingToSolve(): TrialkitError {
    return new TrialkitError({
      code: DesignErrorCode.nothingToSolve,
      argument: 'effect',
      what: 'Neither the effect nor the sample size is given, so there is nothing to solve for',
      hint: 'Give the effect to get the sample size; the sample size (n) to get the minimum detectable effect; or both to get the power.',
    });
  },
  badNumber(argument: string, value: unknown, rule: string, hint: string): TrialkitError {
    return new TrialkitError({
      code: DesignErrorCode.badNumber,
      argument,
      value,
      what: `${argument} ${formatValue(value)} is not ${rule}`,
      hint,
    });
  },
  badProbability(argument: string, value: unknown, interval: string, hint: string): TrialkitError {
    return new TrialkitError({
      code: DesignErrorCode.badProbability,
      argument,
      value,
      what: `${argument} ${formatValue(value)} is outside ${interval}`,
      hint,
    });
  },
  powerNotAboveAlpha(power: number, alpha: number): TrialkitError {
    return new TrialkitError({
      code: DesignErrorCode.powerNotAboveAlpha,
      argument: 'power',
      value: power,
      what: `The target power ${formatValue(power)} is not above the significance level ${formatValue(alpha)}: a test with no effect at all rejects that often`,
      hint: 'Ask for a power well above alpha, usually 0.8 or 0.9.',
    });
  },
  zeroEffect(): TrialkitError {
    return new TrialkitError({
      code: DesignErrorCode.zeroEffect,
      argument: 'effect',
      value: 0,
      what: 'The effect is zero, so no sample size gives the test more power than its significance level',
      hint: 'Give the smallest effect worth detecting (e.g. 0.05 for 5 percentage points), or give n to get the minimum detectable effect.',
    });
  },
  rateOutOfRange(controlRate: number, itt: number): TrialkitError {
    const treated = controlRate + itt;
    return new TrialkitError({
      code: DesignErrorCode.rateOutOfRange,
      argument: 'effect',
      value: itt,
      what: `The control rate ${formatValue(controlRate)} plus the ITT effect ${formatValue(itt)} gives a treatment-arm rate of ${formatValue(treated)}, outside (0, 1)`,
      hint: 'For a binary outcome the effect is a difference in proportions: control rate + effect × (take-up − contamination) must lie strictly between 0 and 1.',
    });
  },
  clusterIncomplete(given: string, absent: string): TrialkitError {
    return new TrialkitError({
      code: DesignErrorCode.clusterIncomplete,
      argument: absent,
      what: `${given} is given but ${absent} is not; a cluster-randomised design needs both`,
      hint: 'Give the intra-cluster correlation (icc) and the mean cluster size together (icc 0 for no clustering), or neither for individual randomisation.',
    });
  },
  noReceiptDifference(takeUp: number, contamination: number): TrialkitError {
    return new TrialkitError({
      code: DesignErrorCode.noReceiptDifference,
      argument: 'takeUp',
      value: { takeUp, contamination },
      what: `Take-up among those assigned (${formatValue(takeUp)}) is not above receipt among controls (${formatValue(contamination)}), so assignment does not change who receives support and the trial cannot detect its effect at any size`,
      hint: 'Check the two rates: take-up is the share of the treatment arm who start support, contamination the share of controls who get similar support; the ITT effect is the effect among recipients × (take-up − contamination).',
    });
  },
  tooSmall(n: number, minimum: number, unit: string): TrialkitError {
    return new TrialkitError({
      code: DesignErrorCode.tooSmall,
      argument: 'n',
      value: n,
      what: `A total of ${formatValue(n)} participants is too few: the t test needs more than ${formatValue(minimum)} (${unit})`,
      hint: 'Give a larger n, or use the normal method.',
    });
  },
  tooFewClusters(n: number, clustersInSmallerArm: number, minimumN: number): TrialkitError {
    return new TrialkitError({
      code: DesignErrorCode.tooFewClusters,
      argument: 'n',
      value: n,
      what: `A total of ${formatValue(n)} participants in clusters of this size is ${Number(clustersInSmallerArm.toFixed(2))} clusters in the smaller arm: a cluster trial needs at least 2 clusters in each arm (with one, the arm's effect cannot be told apart from its cluster's), so at least ${formatValue(minimumN)} participants here`,
      hint: 'Give a larger n (or smaller clusters); plan a cluster trial with many clusters per arm, ideally 15 or more.',
    });
  },
  unreachable(what: string, hint: string): TrialkitError {
    return new TrialkitError({ code: DesignErrorCode.unreachable, argument: 'power', what, hint });
  },
};
