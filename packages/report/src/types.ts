/**
 * ReportInput: everything a report shows, already computed. `renderReport` only lays it out; `buildReport`
 * (build.ts) computes it from a plan and data. Every string in it is treated as untrusted and escaped.
 */
import type { Diagnostic, Estimate } from '@trialkit/core';

export type OutcomeType = 'binary' | 'continuous' | 'time-to-event';

export interface OutcomeInfo {
  /** Column name; matches `Estimate.outcome`. */
  readonly name: string;
  /** Reader-facing name, e.g. "In work 13+ weeks within 12 months". Defaults to `name`. */
  readonly label?: string;
  readonly type?: OutcomeType;
  readonly primary?: boolean;
  /** Unit of a continuous outcome for sentences and axes, e.g. "£" (prefix) or "days" (suffix). */
  readonly unit?: string;
  readonly description?: string;
}

export interface Registration {
  readonly id: string;
  readonly registry?: string;
  readonly url?: string;
  readonly date?: string;
}

export interface ArmLabels {
  readonly control: string;
  readonly treatment: string;
}

export interface ReasonCount {
  readonly reason: string;
  readonly n: number;
}

/** One arm's boxes in the CONSORT flow (CONSORT 2025 items 22a/b). */
export interface FlowArm {
  readonly allocated: number;
  /** Received the allocated intervention (treatment arm) / received the programme anyway (control arm, see `contaminated`). */
  readonly received?: number;
  readonly notReceived?: number;
  readonly notReceivedReasons?: readonly ReasonCount[];
  /** Controls who received the programme or similar support (contamination). */
  readonly contaminated?: number;
  readonly lostToFollowUp?: number;
  readonly lostReasons?: readonly ReasonCount[];
  readonly discontinued?: number;
  /** Analysed for the primary outcome. */
  readonly analysed: number;
  readonly excludedFromAnalysis?: number;
  readonly excludedReasons?: readonly ReasonCount[];
  /** Clusters in this arm (cluster trials show both levels, CONSORT cluster extension). */
  readonly clusters?: number;
}

export interface FlowCounts {
  readonly assessed?: number;
  readonly excluded?: number;
  readonly excludedReasons?: readonly ReasonCount[];
  readonly randomised: number;
  readonly control: FlowArm;
  readonly treatment: FlowArm;
  /** Cluster trials: the primary outcome's intraclass correlation (CONSORT cluster extension). */
  readonly icc?: { readonly outcome: string; readonly value: number; readonly basis: string };
}

export interface ArmSummary {
  readonly n: number;
  readonly mean: number;
  /** SD for continuous variables (CONSORT item 25: SD or IQR, never SE). */
  readonly sd?: number;
}

export interface BalanceRow {
  readonly variable: string;
  readonly label?: string;
  readonly kind: 'continuous' | 'binary';
  readonly control: ArmSummary;
  readonly treatment: ArmSummary;
  /** Standardised mean difference (treatment − control) / pooled SD. */
  readonly smd: number;
}

/**
 * A proportion with its confidence interval, for take-up and contamination by arm, group or month. In `takeUp`,
 * `group` is the arm's label; in the by-group and by-month lists, `arm: 'treatment'` rows are take-up and the
 * others contamination of the control arm (@trialkit/estimators' complianceReportData writes this shape).
 */
export interface RateWithInterval {
  readonly group: string;
  readonly arm?: string;
  readonly n: number;
  readonly count: number;
  readonly rate: number;
  readonly confLow: number;
  readonly confHigh: number;
}

export interface IntervalValue {
  readonly estimate: number;
  readonly confLow?: number;
  readonly confHigh?: number;
}

export interface ComplierCharacteristic {
  readonly variable: string;
  readonly label?: string;
  /** Mean among compliers (Abadie 2003 κ-weighting) and in the whole sample. */
  readonly compliers: number;
  readonly population: number;
}

/** One point of the τ(λ) contamination-sensitivity curve: the effect if a share λ of controls were affected. */
export interface SensitivityPoint {
  readonly lambda: number;
  readonly estimate: number;
  readonly confLow?: number;
  readonly confHigh?: number;
}

export interface ComplianceSummary {
  readonly takeUp?: readonly RateWithInterval[];
  readonly contaminationByGroup?: readonly RateWithInterval[];
  readonly contaminationByMonth?: readonly RateWithInterval[];
  readonly complierShare?: IntervalValue;
  readonly complierCharacteristics?: readonly ComplierCharacteristic[];
  readonly sensitivity?: readonly SensitivityPoint[];
  /** Label of the grouping column behind `contaminationByGroup`, e.g. "Jobcentre office". */
  readonly groupLabel?: string;
  readonly notes?: readonly string[];
}

export interface HistogramBin {
  readonly arm: string;
  readonly binStart: number;
  readonly binEnd: number;
  readonly count: number;
  /** count / arm n. */
  readonly share: number;
}

export interface DistributionSummary {
  readonly arm: string;
  readonly n: number;
  readonly mean: number;
  readonly sd: number;
  readonly min: number;
  readonly q1: number;
  readonly median: number;
  readonly q3: number;
  readonly max: number;
  readonly zeroShare: number;
}

export interface OutcomeDistribution {
  readonly outcome: string;
  readonly bins: readonly HistogramBin[];
  readonly summary: readonly DistributionSummary[];
}

/** One drawn point of an arm's Kaplan–Meier step curve (a step-after line: the value holds until the next time). */
export interface SurvivalCurvePoint {
  readonly time: number;
  /** S(t): share of the arm still without the event. */
  readonly survival: number;
  /** Pointwise confidence limits of S(t) (NaN where R's survfit gives NA). */
  readonly lower: number;
  readonly upper: number;
}

/** An arm's curve at a chosen time (the number-at-risk table). */
export interface SurvivalAtTime {
  readonly time: number;
  readonly nRisk: number;
  readonly survival: number;
  readonly lower: number;
  readonly upper: number;
}

export interface SurvivalArm {
  /** The arm's label, as in `arms`. */
  readonly arm: string;
  readonly n: number;
  readonly events: number;
  /** Median time to the event with its CI; null when the curve (or limit) never falls to 0.5. */
  readonly median: number | null;
  readonly medianLow: number | null;
  readonly medianHigh: number | null;
  /**
   * The curve as drawn: aggregated, never raw rows (time 0, then the times where a value moves by at least
   * `SurvivalSummary.resolution`, and the last time), so its size does not grow with the number of participants.
   */
  readonly curve: readonly SurvivalCurvePoint[];
  readonly atTimes: readonly SurvivalAtTime[];
}

/** A time-to-event outcome's Kaplan–Meier summary (from @trialkit/survival's survivalAnalysis). */
export interface SurvivalSummary {
  /** Outcome column; matches `OutcomeInfo.name` and the estimates' `outcome`. */
  readonly outcome: string;
  readonly event: string;
  /** Time unit for sentences and axes, e.g. "days". */
  readonly timeUnit?: string;
  /** RMST and cumulative-incidence horizon. */
  readonly horizon: number;
  /** Times of the number-at-risk table. */
  readonly times: readonly number[];
  readonly level: number;
  /** survfit's conf.type of the pointwise intervals (here "log"). */
  readonly confType: string;
  /** Control first, then treatment. */
  readonly arms: readonly [SurvivalArm, SurvivalArm];
  readonly logRank: { readonly statistic: number; readonly df: number; readonly pValue: number; readonly stratified: boolean };
  /** Largest step in S or its limits that thinning may drop from the drawn curve (0 = every time kept). */
  readonly resolution: number;
  readonly strata?: string;
}

/**
 * The treatment × subgroup interaction (heterogeneity) test of one outcome and one pre-specified subgroup
 * (@trialkit/estimators subgroupAnalysis): lm_robust(y ~ z * factor(g) + covariates), joint robust Wald F; for a
 * time-to-event outcome the Cox model's Wald χ² (hazardTest, @trialkit/survival coxInteractionTest).
 */
export interface SubgroupTestSummary {
  readonly outcome: string;
  /** The subgroup column. */
  readonly subgroup: string;
  /** Every level, with complete cases per arm; a level not estimated says why. */
  readonly levels: readonly {
    readonly level: string;
    readonly nTreatment: number;
    readonly nControl: number;
    readonly estimated: boolean;
    readonly reason?: string;
  }[];
  /** Absent when fewer than two levels could be estimated (`notTested` says why). */
  readonly test?: {
    readonly fStatistic: number;
    readonly dfNumerator: number;
    readonly dfDenominator: number;
    readonly pValue: number;
    readonly chiSquarePValue: number;
    readonly seType: string;
    readonly levelsTested: readonly string[];
    readonly referenceLevel: string;
    readonly nObs: number;
    readonly nClusters?: number;
  };
  /** Two levels tested: the interaction coefficient (second level's ITT minus the first's). */
  readonly contrast?: {
    readonly estimate: number;
    readonly stdError: number;
    readonly confLow: number;
    readonly confHigh: number;
    readonly pValue: number;
    readonly df: number;
    readonly level: number;
  };
  /**
   * A time-to-event outcome: the Cox interaction model instead of lm_robust (@trialkit/survival coxInteractionTest,
   * coxph(Surv(t, e) ~ z * factor(g) [+ strata]); `test` and `contrast` are then absent). The joint Wald χ²(q) of
   * the interaction coefficients, W = b′V⁻¹b, with the Cox model's variance (model-based, robust or clustered).
   */
  readonly hazardTest?: {
    readonly wald: number;
    readonly df: number;
    readonly pValue: number;
    readonly seType: string;
    readonly ties: 'efron' | 'breslow';
    readonly levelsTested: readonly string[];
    readonly referenceLevel: string;
    readonly nObs: number;
    readonly nEvents: number;
    readonly nClusters?: number;
    readonly strata?: string;
  };
  /** Two levels tested (time-to-event): the second level's hazard ratio over the first's, exp(β_z:g). */
  readonly hazardContrast?: {
    readonly ratio: number;
    readonly stdError: number;
    readonly confLow: number;
    readonly confHigh: number;
    readonly pValue: number;
    readonly level: number;
  };
  readonly notTested?: string;
  /** "coxph" for a time-to-event outcome (hazardTest / hazardContrast); absent for lm_robust. */
  readonly model?: 'coxph';
}

/**
 * Survey attrition of one outcome (@trialkit/estimators attritionAnalysis): response by arm, the difference in
 * response rates with χ² and Fisher tests, and Lee (2009) bounds on the ITT of those who would respond either way.
 * Effects are in the outcome's own scale (a binary outcome's as proportions; the section shows points).
 */
export interface AttritionSummary {
  readonly outcome: string;
  /** The response indicator column, or `observed(<outcome>)` when response = the outcome is present. */
  readonly responded: string;
  readonly level: number;
  readonly response: {
    readonly control: { readonly nAssigned: number; readonly nResponded: number; readonly responseRate: number };
    readonly treatment: { readonly nAssigned: number; readonly nResponded: number; readonly responseRate: number };
    readonly overall: { readonly nAssigned: number; readonly nResponded: number; readonly responseRate: number };
    readonly differential: number;
  };
  /** Treatment − control response rate (estimatr difference_in_means on the 0/1 indicator). */
  readonly difference: { readonly estimate: number; readonly confLow: number; readonly confHigh: number; readonly pValue: number; readonly seType: string };
  readonly chiSquare: { readonly statistic: number | null; readonly pValue: number | null; readonly minExpected: number };
  readonly fisherPValue: number;
  readonly lee: {
    readonly trimmedArm: 'treatment' | 'control';
    readonly trimProportion: number;
    readonly lower: number;
    readonly upper: number;
    readonly seLower: number;
    readonly seUpper: number;
    readonly ci: { readonly low: number; readonly high: number };
    readonly boundsCi: { readonly low: number; readonly high: number };
    readonly respondentDifference: number;
    readonly method: string;
  };
}

/** A ratio of two ITTs with bootstrap CIs (@trialkit/estimators bootstrapRatio), e.g. cost per additional job outcome. */
export interface RatioSummary {
  readonly label: string;
  readonly unit?: string;
  readonly numerator: string;
  readonly denominator: string;
  /** ITT(numerator) / ITT(denominator). */
  readonly estimate: number;
  /** SD of the replicates; Infinity when the ratio is unbounded. */
  readonly stdError: number;
  /** The chosen interval (`interval`); ±Infinity when unbounded. */
  readonly confLow: number;
  readonly confHigh: number;
  readonly level: number;
  readonly interval: string;
  /** All four boot.ci intervals ([low, high], ±Infinity when unbounded; BCa null when undefined). */
  readonly intervals: { readonly bca: readonly [number, number] | null; readonly percentile: readonly [number, number] | null; readonly normal: readonly [number, number] | null; readonly basic: readonly [number, number] | null };
  readonly numeratorItt: { readonly estimate: number; readonly stdError: number };
  readonly denominatorItt: { readonly estimate: number; readonly stdError: number };
  readonly reps: number;
  readonly seed: string;
  /** Resampling unit: rows, or whole clusters (within block × arm). */
  readonly resampledUnit: 'row' | 'cluster';
  readonly nObs: number;
  readonly denominatorReplicatesCrossingZero: number;
  readonly method: string;
}

export interface Deviation {
  /** Stable code, e.g. `SUBGROUP_TOO_SMALL`. */
  readonly code: string;
  /** Plan field it departs from, e.g. `subgroups[1]`. */
  readonly field?: string;
  readonly what: string;
  /** What was done instead. */
  readonly action?: string;
}

export interface MethodsInput {
  /** Paragraphs written by hand, shown after the generated ones. */
  readonly paragraphs?: readonly string[];
  readonly confidenceLevel?: number;
  readonly covariates?: readonly string[];
  readonly blocks?: string;
  readonly cluster?: string;
  readonly varianceType?: string;
  readonly multiplicity?: string;
  readonly receivedColumn?: string;
  readonly contaminationGroupColumn?: string;
  readonly subgroups?: readonly string[];
  /** Subgroup levels with fewer participants than this in an arm were not estimated. */
  readonly minimumSubgroupArmSize?: number;
  readonly missingData?: string;
  /** The plan's randomisation inference (the estimates carry what was run: riPValue, riExact, riDraws, riMethod). */
  readonly randomisationInference?: { readonly draws: number; readonly seed: string; readonly statistic?: string };
  /** The plan's attrition thresholds (what the diagnostics flag). */
  readonly attrition?: { readonly differentialThreshold: number; readonly lowResponseThreshold: number };
}

export interface AllocationVerification {
  readonly status: 'verified' | 'failed' | 'not-checked';
  readonly detail?: string;
}

export interface SoftwareVersion {
  readonly name: string;
  readonly version: string;
}

export interface Provenance {
  readonly dataFile?: string;
  readonly dataSha256?: string;
  readonly planFile?: string;
  readonly planSha256?: string;
  readonly allocationLogSha256?: string;
  readonly allocationVerification?: AllocationVerification;
  readonly software?: readonly SoftwareVersion[];
  /** ISO date-time the analysis ran; passed in so the same inputs give the same file. */
  readonly generatedAt?: string;
  readonly command?: string;
}

export interface ReportInput {
  readonly title: string;
  readonly subtitle?: string;
  readonly registration?: Registration;
  readonly arms: ArmLabels;
  readonly outcomes?: readonly OutcomeInfo[];
  readonly estimates: readonly Estimate[];
  readonly compliance?: ComplianceSummary;
  readonly flow?: FlowCounts;
  readonly balance?: readonly BalanceRow[];
  readonly distributions?: readonly OutcomeDistribution[];
  /** Kaplan–Meier curves, medians, risk tables and log-rank tests of time-to-event outcomes. */
  readonly survival?: readonly SurvivalSummary[];
  /** Interaction (heterogeneity) tests of the pre-specified subgroups, per primary outcome (not time-to-event). */
  readonly subgroupTests?: readonly SubgroupTestSummary[];
  /** Follow-up response and Lee bounds per survey-measured outcome (the plan's `attrition`). */
  readonly attrition?: readonly AttritionSummary[];
  /** Ratios of ITTs with bootstrap CIs (the plan's `bootstrap`). */
  readonly ratios?: readonly RatioSummary[];
  /** Diagnostics not attached to an estimate (data preparation, plan). Estimates' own are collected too. */
  readonly diagnostics?: readonly Diagnostic[];
  readonly deviations?: readonly Deviation[];
  readonly methods?: MethodsInput;
  readonly provenance?: Provenance;
  /** BCP 47 language of the text (html lang); default "en-GB". */
  readonly language?: string;
}
