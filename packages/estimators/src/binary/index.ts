/**
 * Binary-outcome effect measures (issue 4, "Binary outcomes"). The risk difference itself is the ordinary ITT
 * (difference in means); this folder adds:
 *
 *   PreparedTrial (0/1 outcome) ──twoByTwoFromTrial──► {a, n₁, c, n₀}
 *       ──riskRatioFromCounts──► Estimate 'risk_ratio' (Katz; stdError on the log scale)
 *       ──oddsRatioFromCounts──► Estimate 'odds_ratio' (Woolf; stdError on the log scale)
 *       ──newcombeFromCounts───► Estimate 'newcombe'  (risk difference, hybrid score CI, method 10)
 *   zero cells ──► Haldane–Anscombe +0.5 with a Diagnostic (RR, OR only)
 */
export { BinaryErrorCode, binaryErrors } from './errors.js';
export { wilsonInterval, wilsonLimits } from './wilson.js';
export type { ProportionInterval } from './wilson.js';
export { twoByTwoFromTrial, checkBinaryOutcome, haldaneAnscombeCells } from './two-by-two.js';
export type { TwoByTwo, CorrectedCells } from './two-by-two.js';
export { riskRatio, riskRatioFromCounts } from './risk-ratio.js';
export type { BinaryMeasureOptions } from './risk-ratio.js';
export { oddsRatio, oddsRatioFromCounts } from './odds-ratio.js';
export { newcombeRiskDifference, newcombeFromCounts } from './newcombe.js';
export type { TwoByTwoNames } from './log-scale.js';
export type { TrialInput, TrialNamedVector, TrialGrouping } from './trial-input.js';
