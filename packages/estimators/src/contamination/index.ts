/**
 * Compliance, contamination and non-take-up (issue 4, "Contamination and non-take-up").
 *
 *   PreparedTrial (Z = assignment 0/1, D = received 0/1, Y, covariates, by)
 *     ──instrumentColumns (checks 0/1, arm sizes)──►
 *        computeCompliance ──────────► Compliance (take-up, contamination, shares, by-group Wilson CIs)
 *        complierCharacteristics ────► covariate means: compliers (Abadie κ), always-/never-takers, overall
 *        complierMeans ──────────────► E[Y(1)|C], E[Y(0)|C], Wald CACE
 *        contaminationSensitivity ───► τ(λ) = ITT/(p₁ − λp₀) over a λ grid
 *        balkePearlBounds ───────────► sharp bounds on the ACE for binary Y (+ instrumental inequality)
 *        perProtocol / asTreated ────► Estimate (Welch), with a not-randomised Diagnostic
 *   delta-method SEs all come from one kernel: arm-ratio.ts (ratio of arm-mean contrasts).
 */
export { ContaminationErrorCode, contaminationErrors } from './errors.js';
export { computeCompliance } from './compliance.js';
export type { Compliance, ComplianceGroup, ComplianceOptions, Noncompliance, ShareEstimate } from './compliance.js';
export { complierCharacteristics, abadieKappa } from './complier-characteristics.js';
export type { ComplierCharacteristics, ComplierCharacteristicsOptions, CovariateByStratum } from './complier-characteristics.js';
export { complierMeans } from './complier-means.js';
export type { ComplierMeans } from './complier-means.js';
export { contaminationSensitivity, DEFAULT_LAMBDAS } from './sensitivity.js';
export type { ContaminationSensitivity, SensitivityOptions, SensitivityRow } from './sensitivity.js';
export { balkePearlBounds, balkePearlFromCounts, balkePearlFromProbabilities } from './balke-pearl.js';
export type { BalkePearlBounds, IvProbabilities } from './balke-pearl.js';
export { perProtocol, asTreated } from './protocol-contrasts.js';
export { armRatio, armContrast } from './arm-ratio.js';
export type { ArmRatio } from './arm-ratio.js';
export type { NormalInterval } from './interval.js';
export type { SubgroupMean } from './subgroup-mean.js';
export { analyseContamination } from './analyse.js';
export type { ContaminationAnalysis, ContaminationAnalysisOptions } from './analyse.js';
export { fiellerSet } from './fieller.js';
export type { FiellerSet } from './fieller.js';
export { balkePearlBootstrap } from './balke-pearl-bootstrap.js';
export type { BalkePearlBootstrap, BalkePearlWithBootstrap } from './balke-pearl-bootstrap.js';
export { complianceReportData } from './report-data.js';
export type { ReportComplianceData, ReportDataOptions, ReportRate } from './report-data.js';
