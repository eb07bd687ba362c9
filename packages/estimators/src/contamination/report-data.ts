/**
 * The compliance results in the shape @trialkit/report's `ComplianceSummary` reads (packages/report/src/types.ts:
 * RateWithInterval, IntervalValue, ComplierCharacteristic, SensitivityPoint). Declared structurally here because
 * estimators may not import report (DESIGN.md dependency direction); keep the two in step.
 *
 *   computeCompliance / analyseContamination ──complianceReportData──► report input `compliance`
 */
import type { Compliance } from './compliance.js';
import type { ComplierCharacteristics } from './complier-characteristics.js';
import type { ContaminationSensitivity } from './sensitivity.js';

export interface ReportRate {
  readonly group: string;
  /** 'treatment' rows are take-up, 'control' rows contamination (the report filters on this). */
  readonly arm: 'treatment' | 'control';
  readonly n: number;
  readonly count: number;
  readonly rate: number;
  readonly confLow: number;
  readonly confHigh: number;
}

export interface ReportComplianceData {
  readonly takeUp: readonly ReportRate[];
  readonly contaminationByGroup?: readonly ReportRate[];
  readonly contaminationByMonth?: readonly ReportRate[];
  readonly complierShare: { readonly estimate: number; readonly confLow: number; readonly confHigh: number };
  readonly complierCharacteristics?: readonly { readonly variable: string; readonly compliers: number; readonly population: number }[];
  readonly sensitivity?: readonly { readonly lambda: number; readonly estimate: number; readonly confLow?: number; readonly confHigh?: number }[];
  readonly groupLabel?: string;
  readonly notes: readonly string[];
}

export interface ReportDataOptions {
  /** Arm labels shown in the overall table, e.g. { treatment: 'WHP', control: 'Usual support' }. */
  readonly armLabels?: { readonly treatment: string; readonly control: string };
  /** A second compliance result grouped by month of randomisation (computeCompliance(trial, { by: month })). */
  readonly byMonth?: Compliance;
  /** Label of the `by` grouping, e.g. 'Jobcentre office' (default: the grouping's column name). */
  readonly groupLabel?: string;
  readonly complierCharacteristics?: ComplierCharacteristics | null;
  readonly sensitivity?: ContaminationSensitivity | null;
}

function groupRates(byGroup: Compliance['byGroup']): ReportRate[] {
  const out: ReportRate[] = [];
  for (const group of byGroup?.groups ?? []) {
    if (group.takeUp !== null) {
      const r = group.takeUp;
      out.push({ group: group.label, arm: 'treatment', n: r.n, count: r.count, rate: r.estimate, confLow: r.confLow, confHigh: r.confHigh });
    }
    if (group.contamination !== null) {
      const r = group.contamination;
      out.push({ group: group.label, arm: 'control', n: r.n, count: r.count, rate: r.estimate, confLow: r.confLow, confHigh: r.confHigh });
    }
  }
  return out;
}

/**
 * Report data from a compliance result (and, when given, complier characteristics and τ(λ)). In the τ(λ) curve,
 * intervals are given only where the denominator's interval excludes 0 (elsewhere the delta-method interval is not
 * valid; the point is drawn without one and a note says so).
 */
export function complianceReportData(compliance: Compliance, options: ReportDataOptions = {}): ReportComplianceData {
  const labels = options.armLabels ?? { treatment: 'Treatment', control: 'Control' };
  const { takeUp, contamination } = compliance;
  const notes: string[] = [
    `Take-up and contamination with ${Math.round(compliance.level * 100)}% Wilson score intervals; the complier share ` +
      '(take-up minus contamination, assuming no defiers) with a delta-method interval.',
  ];
  const characteristics = options.complierCharacteristics ?? null;
  const sensitivity = options.sensitivity ?? null;
  const curve = sensitivity?.rows.flatMap((row) =>
    row.estimate === null
      ? []
      : [row.denominatorCiIncludesZero
          ? { lambda: row.lambda, estimate: row.estimate }
          : { lambda: row.lambda, estimate: row.estimate, confLow: row.confLow as number, confHigh: row.confHigh as number }],
  );
  if (sensitivity !== null) {
    notes.push('τ(λ) = ITT / (take-up − λ × contamination): the programme effect if contaminated controls received a ' +
      'fraction λ of it; λ = 1 is the CACE (Wald), λ = 0 is ITT / take-up.');
    if (sensitivity.rows.some((row) => row.denominatorCiIncludesZero)) {
      notes.push('Where take-up − λ × contamination is not clearly above zero, τ(λ) is shown without an interval (its interval is unbounded).');
    }
  }
  const groupLabel = options.groupLabel ?? compliance.byGroup?.name;
  return {
    takeUp: [
      { group: labels.treatment, arm: 'treatment', n: takeUp.n, count: takeUp.count, rate: takeUp.estimate, confLow: takeUp.confLow, confHigh: takeUp.confHigh },
      { group: labels.control, arm: 'control', n: contamination.n, count: contamination.count, rate: contamination.estimate, confLow: contamination.confLow, confHigh: contamination.confHigh },
    ],
    ...(compliance.byGroup === null ? {} : { contaminationByGroup: groupRates(compliance.byGroup) }),
    ...(options.byMonth === undefined || options.byMonth.byGroup === null ? {} : { contaminationByMonth: groupRates(options.byMonth.byGroup) }),
    complierShare: {
      estimate: compliance.shares.compliers.estimate,
      confLow: compliance.shares.compliers.confLow,
      confHigh: compliance.shares.compliers.confHigh,
    },
    ...(characteristics === null
      ? {}
      : {
          complierCharacteristics: characteristics.covariates.map((c) => ({
            variable: c.name,
            compliers: c.compliers.estimate,
            population: c.overall.estimate,
          })),
        }),
    ...(curve === undefined ? {} : { sensitivity: curve }),
    ...(groupLabel === undefined ? {} : { groupLabel }),
    notes,
  };
}
