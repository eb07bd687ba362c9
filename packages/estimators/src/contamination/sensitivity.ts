/**
 * Contamination sensitivity (issue 4): if contaminated controls got a fraction λ of the programme's effect τ
 * (signposting to similar, not identical, support), then ITT = τ·p₁ − λτ·p₀, so
 *     τ(λ) = ITT / (p₁ − λ·p₀),   ITT = Ȳ₁ − Ȳ₀, p₁ = P(D=1|Z=1), p₀ = P(D=1|Z=0).
 * Ends of the grid:
 * - λ = 1 (contaminated controls got the full effect) gives ITT/(p₁ − p₀), the Wald CACE (the IV estimate with D
 *   as the treatment, exclusion restriction as usual);
 * - λ = 0 (their support did nothing) gives ITT/p₁, Bloom's (1984, Eval Rev 8:225) no-show adjustment, which treats
 *   the contaminated controls as untreated.
 * Standard errors: delta method on the joint influence functions of (ITT, p₁, p₀) — i.e. the ratio of arm-mean
 * contrasts with uᵢ = ±Yᵢ, vᵢ = Dᵢ (treatment) or −λDᵢ (control), conditional on the arm sizes (arm-ratio.ts);
 * normal intervals; with clusters (trial.cluster) the same influence functions summed by cluster (CR0). Where the
 * denominator's interval includes 0 the delta-method interval for τ(λ) is not to be
 * trusted and a Diagnostic says so; each row also carries Fieller's confidence set (fieller.ts), which stays valid
 * there (it is then unbounded) and is the interval to report when the denominator is weak.
 */
import { diagnostic } from '@trialkit/core';
import type { Diagnostic } from '@trialkit/core';
import { checkLevel } from '../binary/errors.js';
import type { TrialInput } from '../binary/trial-input.js';
import { armContrast, armRatio, clusterCodes } from './arm-ratio.js';
import { clusterRobustDiagnostic } from './cluster-note.js';
import { instrumentColumns } from './columns.js';
import { contaminationErrors } from './errors.js';
import { fiellerSet } from './fieller.js';
import type { FiellerSet } from './fieller.js';
import { normalInterval, zForLevel } from './interval.js';
import type { NormalInterval } from './interval.js';

export interface SensitivityRow {
  readonly lambda: number;
  /** τ(λ); null when the denominator is exactly 0. */
  readonly estimate: number | null;
  readonly stdError: number | null;
  readonly confLow: number | null;
  readonly confHigh: number | null;
  /** p₁ − λp₀ with its SE and interval. */
  readonly denominator: NormalInterval;
  readonly denominatorCiIncludesZero: boolean;
  /** Fieller's confidence set for τ(λ) (fieller.ts): bounded exactly when the denominator's interval excludes 0. */
  readonly fieller: FiellerSet;
}

export interface ContaminationSensitivity {
  readonly level: number;
  readonly outcome: string;
  readonly method: string;
  readonly itt: NormalInterval;
  readonly takeUp: number;
  readonly contamination: number;
  readonly standardErrors: 'independent' | 'cluster-robust-CR0';
  readonly rows: readonly SensitivityRow[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface SensitivityOptions {
  readonly level?: number;
  /** λ grid; default 0, 0.1, …, 1. */
  readonly lambdas?: readonly number[];
}

export const DEFAULT_LAMBDAS: readonly number[] = Object.freeze(Array.from({ length: 11 }, (_, k) => k / 10));

const METHOD =
  'τ(λ) = ITT / (take-up − λ·contamination): λ = 1 is the Wald CACE, λ = 0 is ITT / take-up (Bloom). Delta-method ' +
  'standard errors from the joint influence functions of ITT, take-up and contamination, conditional on the arm ' +
  'sizes, participants treated as independent (cluster-robust CR0 with clusters); normal intervals.';

export function contaminationSensitivity(trial: TrialInput, options: SensitivityOptions = {}): ContaminationSensitivity {
  const level = options.level ?? 0.95;
  checkLevel(level);
  const lambdas = options.lambdas ?? DEFAULT_LAMBDAS;
  for (const lambda of lambdas) if (typeof lambda !== 'number' || !Number.isFinite(lambda)) throw contaminationErrors.badLambda(lambda);
  const { assignment, received, outcome, n } = instrumentColumns(trial, 2, 'the contamination sensitivity analysis');
  const z = zForLevel(level);
  const clusters = clusterCodes(trial.cluster);
  const signedOutcome = new Float64Array(n);
  for (let i = 0; i < n; i++) signedOutcome[i] = assignment[i] === 1 ? (outcome[i] as number) : -(outcome[i] as number);
  const itt = armContrast(assignment, signedOutcome, clusters);
  let takenUpTreatment = 0;
  let takenUpControl = 0;
  let nTreatment = 0;
  for (let i = 0; i < n; i++) {
    if (assignment[i] === 1) {
      nTreatment++;
      takenUpTreatment += received[i] as number;
    } else {
      takenUpControl += received[i] as number;
    }
  }
  const takeUp = takenUpTreatment / nTreatment;
  const contamination = takenUpControl / (n - nTreatment);

  const denominatorTerm = new Float64Array(n);
  const rows: SensitivityRow[] = [];
  const unstable: number[] = [];
  for (const lambda of lambdas) {
    for (let i = 0; i < n; i++) {
      const d = received[i] as number;
      denominatorTerm[i] = assignment[i] === 1 ? d : -lambda * d;
    }
    const ratio = armRatio(assignment, signedOutcome, denominatorTerm, clusters);
    const denominator = normalInterval(ratio.denominator, ratio.denominatorStdError, z);
    const includesZero = denominator.confLow <= 0 && denominator.confHigh >= 0;
    const fieller = fiellerSet(ratio.numerator, ratio.denominator, ratio.numeratorStdError ** 2,
      ratio.denominatorStdError ** 2, ratio.covariance, z);
    if (includesZero) unstable.push(lambda);
    if (ratio.denominator === 0) {
      rows.push({ lambda, estimate: null, stdError: null, confLow: null, confHigh: null, denominator, denominatorCiIncludesZero: true, fieller });
      continue;
    }
    const tau = normalInterval(ratio.estimate, ratio.stdError, z);
    rows.push({ lambda, ...tau, denominator, denominatorCiIncludesZero: includesZero, fieller });
  }
  const diagnostics: Diagnostic[] = [];
  if (unstable.length > 0) {
    diagnostics.push(diagnostic('ESTIMATORS_SENSITIVITY_DENOMINATOR_NEAR_ZERO', 'warning',
      `For λ = ${unstable.join(', ')} the interval for take-up − λ·contamination includes 0, so τ(λ) is unstable there and its delta-method interval understates the uncertainty; use the Fieller set (row.fieller), which is unbounded there.`));
  }
  diagnostics.push(...clusterRobustDiagnostic('ESTIMATORS_SENSITIVITY_CLUSTER_ROBUST', trial.cluster, 'τ(λ) and its denominator'));
  if (contamination === 0) {
    diagnostics.push(diagnostic('ESTIMATORS_SENSITIVITY_NO_CONTAMINATION', 'info',
      'No control took up the programme, so τ(λ) does not depend on λ.'));
  }
  return {
    level,
    outcome: trial.outcome.name,
    method: METHOD,
    itt: normalInterval(itt.estimate, itt.stdError, z),
    takeUp,
    contamination,
    standardErrors: clusters === undefined ? 'independent' : 'cluster-robust-CR0',
    rows,
    diagnostics,
  };
}
