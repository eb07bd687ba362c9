/**
 * @trialkit/survival — time to first job in a two-arm trial, checked against R's survival package.
 *
 *   Dataset (readData) | arrays ──survivalAnalysis(spec)──► { km[], logRank, estimates[], cox, rmst, cumulativeIncidence }
 *     prepare: columns, na.omit (Diagnostic), times ≥ 0, events 0/1, two arms, events in both arms (TrialkitError)
 *     kaplanMeier      survfit(Surv(t, e) ~ 1): Greenwood SE, log / log-log / plain CIs, median + CI, risk table
 *     logRank          survdiff(Surv(t, e) ~ z [+ strata(s)]), rho = 0
 *     coxph            coxph(Surv(t, e) ~ z + covs [+ strata(s)], ties = "efron") [robust / cluster]
 *     coxInteractionTest  coxph(Surv(t, e) ~ z * factor(g)): per-level HRs, joint Wald χ²(q) of the z:g terms
 *     rmst, incidence  print(survfit, rmean = τ) and 1 − S(τ), per arm and treatment − control
 *   p-values and CIs: normal and chi-square functions of @trialkit/core (checked against R there)
 */
export { kaplanMeier, kaplanMeierSorted, pointwiseInterval, crossingTime, survivalAt, CONF_TYPES } from './kaplan-meier.js';
export type { ConfType, KaplanMeierCurve, KaplanMeierOptions, SurvivalAtTime } from './kaplan-meier.js';
export { logRank, logRankSorted } from './log-rank.js';
export type { LogRankResult } from './log-rank.js';
export { coxph, coxphSorted } from './cox.js';
export type { CoxOptions, CoxResult } from './cox.js';
export { coxInteractionTest, CoxInteractionCode } from './cox-interaction.js';
export type { CoxInteractionLevel, CoxInteractionOptions, CoxInteractionResult, CoxInteractionTest, HazardRatioRatio } from './cox-interaction.js';
export { restrictedMean, rmst, rmstDifference, cumulativeIncidence, cumulativeIncidenceDifference } from './rmst.js';
export type { RestrictedMean, TwoArmContrast, TwoArmOptions } from './rmst.js';
export { survivalAnalysis } from './survival-analysis.js';
export type { ArmCurve, SurvivalAnalysisResult, SurvivalColumns, SurvivalSpec } from './survival-analysis.js';
export { SurvivalErrorCode, survivalErrors } from './errors.js';
