/**
 * Subgroup effects and the treatment × subgroup interaction (heterogeneity) test (issue 7; README.md here).
 *
 *   Dataset | PreparedTrial ──per level: estimate() on the level's rows (too small → Diagnostic)──► ITT per level
 *     ──lm_robust(y ~ z * factor(g) + covs), HC2 / CR2──► joint robust Wald test: F(q, dendf) and χ²(q);
 *     two levels: the interaction coefficient (difference of the ITTs)
 */
export { subgroupAnalysis } from './subgroup-analysis.js';
export type { HeterogeneityTest, SubgroupAnalysis, SubgroupLevel, SubgroupSpec } from './subgroup-analysis.js';
export { SubgroupDiagnosticCode, SubgroupErrorCode } from './errors.js';
