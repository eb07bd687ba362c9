/**
 * attritionAnalysis(): survey non-response by arm, and Lee bounds on the ITT for those who would respond either way.
 * It works from the Dataset, before na.omit, because the rows without an outcome are the point:
 *
 *   Dataset ──columns: outcome, assignment, responded? (0/1; default: outcome present), blocks?
 *     ├─ response indicator per row (checked: 0/1, present; consistent with the outcome)
 *     ├─ prepareTrial(response indicator as outcome) ──► every assigned row (missing arm/block dropped), arms 0/1
 *     │     ├─ response by arm (n assigned, n responded, rate)
 *     │     ├─ difference_in_means(responded ~ z [, blocks])  (../difference-in-means.ts, estimatr)
 *     │     └─ Pearson χ² and Fisher's exact test on arm × response (independence-tests.ts)
 *     └─ prepareTrial(outcome) ──► responders' outcomes by arm ──► Lee bounds (lee-bounds.ts)
 *   ──► { response, difference: Estimate, chiSquare, fisher, lee, diagnostics }
 */
import { diagnostic, findColumn, makeEstimate, type Column, type Dataset, type Diagnostic, type Estimate } from '@trialkit/core';
import { closestName, dataErrors, parseNumberStrict, prepareTrial, type ArmsSpec, type DataFile } from '@trialkit/data';
import { checkLevel } from '../checks.js';
import { differenceInMeans } from '../difference-in-means.js';
import { fromDim } from '../estimate.js';
import { attritionErrors } from './errors.js';
import { fisherExact, pearsonChiSquare, type ChiSquareTest, type FisherTest } from './independence-tests.js';
import { leeBounds, type LeeBoundsResult } from './lee-bounds.js';

export interface AttritionSpec {
  /** The outcome measured at follow-up (missing for non-responders). */
  readonly outcome: string;
  /** Random assignment (two arms; see `arms`). */
  readonly assignment: string;
  /** 0/1 column: 1 = responded to the follow-up. Default: responded = the outcome is present. */
  readonly responded?: string;
  /** Which assignment value is control / treatment (as prepareTrial; default: sorted, control first). */
  readonly arms?: ArmsSpec;
  /** Block (stratum) column: the response-rate difference is then estimatr's blocked difference in means. */
  readonly blocks?: string;
  /**
   * Cluster column of a cluster-randomised trial (e.g. GP practice): the response-rate difference is then estimatr's
   * clustered difference in means (CR2), and a diagnostic says that χ², Fisher and the Lee bounds' standard errors
   * treat participants as independent.
   */
  readonly cluster?: string;
  readonly level?: number;
  /**
   * Differential attrition is flagged when the response rates differ by more than this (default 0.05, five
   * percentage points) or the difference is significant at 5% (see README, "Diagnostics").
   */
  readonly differentialThreshold?: number;
  /** Overall response below this is flagged (default 0.7). */
  readonly lowResponseThreshold?: number;
}

export interface ArmResponse {
  /** The arm's value in the assignment column. */
  readonly label: string;
  readonly nAssigned: number;
  readonly nResponded: number;
  readonly responseRate: number;
}

export interface ResponseSummary {
  readonly control: ArmResponse;
  readonly treatment: ArmResponse;
  readonly overall: { readonly nAssigned: number; readonly nResponded: number; readonly responseRate: number };
  /** Attrition (1 − response rate) overall and by arm, and the differential attrition |attrition_t − attrition_c|. */
  readonly attrition: { readonly overall: number; readonly control: number; readonly treatment: number; readonly differential: number };
}

export interface AttritionAnalysis {
  readonly outcome: string;
  /** The response indicator: the `responded` column's name, or `observed(<outcome>)` when response = outcome present. */
  readonly responded: string;
  readonly level: number;
  readonly response: ResponseSummary;
  /** Treatment − control response rate by estimatr's difference_in_means on the 0/1 indicator (blocked with blocks). */
  readonly difference: Estimate;
  readonly chiSquare: ChiSquareTest;
  readonly fisher: FisherTest;
  readonly lee: LeeBoundsResult;
  readonly diagnostics: readonly Diagnostic[];
}

export const DEFAULT_DIFFERENTIAL_THRESHOLD = 0.05;
export const DEFAULT_LOW_RESPONSE_THRESHOLD = 0.7;
/** Treated shares of blocks further apart than this are "different ratios" (ATTRITION_BLOCKS_UNEQUAL_ASSIGNMENT). */
export const UNEQUAL_ASSIGNMENT_GAP = 0.05;

function requireColumn(dataset: Dataset, role: string, name: string): Column {
  const column = findColumn(dataset, name);
  if (column !== undefined) return column;
  const existing = dataset.columns.map((c) => c.name);
  throw dataErrors.missingColumn(role, name, existing, closestName(name, existing));
}

function checkThreshold(value: number | undefined, fallback: number, argument: string): number {
  const threshold = value ?? fallback;
  if (!(typeof threshold === 'number' && threshold > 0 && threshold < 1)) throw attritionErrors.badThreshold(argument, value);
  return threshold;
}

function isPresent(column: Column, row: number): boolean {
  return column.kind === 'number' ? !Number.isNaN(column.values[row]!) : column.values[row] !== null;
}

/** The 0/1 response indicator of every row, checked against the outcome. */
function responseIndicator(dataset: Dataset, outcome: Column, responded: Column | undefined, decimal: '.' | ','): Float64Array {
  const n = dataset.nRows;
  const out = new Float64Array(n);
  if (responded === undefined) {
    for (let i = 0; i < n; i++) out[i] = isPresent(outcome, i) ? 1 : 0;
    return out;
  }
  for (let i = 0; i < n; i++) {
    let value: number | undefined;
    if (responded.kind === 'number') {
      value = responded.values[i]!;
      if (Number.isNaN(value)) throw attritionErrors.respondedMissing(responded.name, i + 1);
    } else {
      const text = responded.values[i];
      if (text === null || text === undefined) throw attritionErrors.respondedMissing(responded.name, i + 1);
      value = parseNumberStrict(text, decimal);
      if (value === undefined) throw attritionErrors.respondedNotBinary(responded.name, i + 1, text);
    }
    if (value !== 0 && value !== 1) throw attritionErrors.respondedNotBinary(responded.name, i + 1, value);
    const present = isPresent(outcome, i);
    if (value === 0 && present) throw attritionErrors.outcomeForNonResponder(outcome.name, responded.name, i + 1);
    if (value === 1 && !present) throw attritionErrors.missingOutcomeForResponder(outcome.name, responded.name, i + 1);
    out[i] = value;
  }
  return out;
}

/** A column name not used in the dataset, for the response indicator handed to prepareTrial. */
function freeName(dataset: Dataset, base: string): string {
  let name = base;
  for (let k = 2; findColumn(dataset, name) !== undefined; k++) name = `${base}_${k}`;
  return name;
}

function armSummary(label: string, nAssigned: number, nResponded: number): ArmResponse {
  return { label, nAssigned, nResponded, responseRate: nResponded / nAssigned };
}

function percent(value: number): string {
  return `${(100 * value).toFixed(1)}%`;
}

export function attritionAnalysis(dataset: Dataset, spec: AttritionSpec): AttritionAnalysis {
  const level = checkLevel(spec.level);
  const differentialThreshold = checkThreshold(spec.differentialThreshold, DEFAULT_DIFFERENTIAL_THRESHOLD, 'differentialThreshold');
  const lowResponseThreshold = checkThreshold(spec.lowResponseThreshold, DEFAULT_LOW_RESPONSE_THRESHOLD, 'lowResponseThreshold');
  const decimal = (dataset as Partial<DataFile>).dialect?.decimal ?? '.';

  // 1. Columns, and the response indicator of every row.
  const outcomeColumn = requireColumn(dataset, 'outcome', spec.outcome);
  const assignmentColumn = requireColumn(dataset, 'assignment', spec.assignment);
  const respondedColumn = spec.responded === undefined ? undefined : requireColumn(dataset, 'responded', spec.responded);
  if (respondedColumn !== undefined && respondedColumn.name === outcomeColumn.name) throw attritionErrors.respondedIsOutcome(respondedColumn.name);
  if (respondedColumn !== undefined && respondedColumn.name === assignmentColumn.name) {
    throw dataErrors.roleConflict(respondedColumn.name, ['assignment', 'responded']);
  }
  const indicator = responseIndicator(dataset, outcomeColumn, respondedColumn, decimal);
  const respondedName = respondedColumn?.name ?? `observed(${outcomeColumn.name})`;

  // 2. Every assigned row (prepareTrial on the indicator: arms coded 0/1, rows with a missing arm or block dropped).
  const indicatorName = freeName(dataset, '.responded');
  const withIndicator: Dataset = {
    nRows: dataset.nRows,
    columns: [...dataset.columns, { kind: 'number', name: indicatorName, values: indicator }],
  };
  const blockRole = {
    ...(spec.blocks === undefined ? {} : { blocks: spec.blocks }),
    ...(spec.cluster === undefined ? {} : { cluster: spec.cluster }),
  };
  const assigned = prepareTrial(withIndicator, { outcome: indicatorName, assignment: spec.assignment, ...blockRole }, spec.arms, { decimal });
  const z = assigned.assignment.values;
  const r = assigned.outcome.values;
  const counts = { assigned: [0, 0], responded: [0, 0] };
  for (let i = 0; i < assigned.n; i++) {
    const arm = z[i]!;
    counts.assigned[arm]!++;
    counts.responded[arm]! += r[i]!;
  }
  const [assignedC, assignedT] = counts.assigned as [number, number];
  const [respondedC, respondedT] = counts.responded as [number, number];
  if (respondedC === 0) throw attritionErrors.noResponders('control', assigned.arms.control);
  if (respondedT === 0) throw attritionErrors.noResponders('treatment', assigned.arms.treatment);
  if (respondedC < 2) throw attritionErrors.tooFewResponders('control', assigned.arms.control, respondedC);
  if (respondedT < 2) throw attritionErrors.tooFewResponders('treatment', assigned.arms.treatment, respondedT);

  const control = armSummary(assigned.arms.control, assignedC, respondedC);
  const treatment = armSummary(assigned.arms.treatment, assignedT, respondedT);
  const overallRate = (respondedC + respondedT) / assigned.n;
  const response: ResponseSummary = {
    control,
    treatment,
    overall: { nAssigned: assigned.n, nResponded: respondedC + respondedT, responseRate: overallRate },
    attrition: {
      overall: 1 - overallRate,
      control: 1 - control.responseRate,
      treatment: 1 - treatment.responseRate,
      differential: Math.abs(treatment.responseRate - control.responseRate),
    },
  };

  // 3. Response-rate difference (estimatr's difference_in_means on the indicator), χ² and Fisher.
  const dim = differenceInMeans({
    outcome: r,
    assignment: z,
    ...(assigned.blocks === undefined ? {} : { blocks: assigned.blocks }),
    ...(assigned.cluster === undefined ? {} : { cluster: assigned.cluster }),
    level,
    term: assigned.assignment.name,
  });
  const difference = fromDim('response-rate difference', dim, respondedName, level);
  const table = {
    controlNonResponders: assignedC - respondedC,
    controlResponders: respondedC,
    treatmentNonResponders: assignedT - respondedT,
    treatmentResponders: respondedT,
  };
  const chiSquare = pearsonChiSquare(table);
  const fisher = fisherExact(table);

  // 4. Responders' outcomes by arm (prepareTrial on the outcome: strict numbers, the same arms and dropped rows).
  const responders = prepareTrial(dataset, { outcome: outcomeColumn.name, assignment: spec.assignment, ...blockRole }, spec.arms, { decimal });
  const treatedOutcomes: number[] = [];
  const controlOutcomes: number[] = [];
  for (let i = 0; i < responders.n; i++) {
    (responders.assignment.values[i] === 1 ? treatedOutcomes : controlOutcomes).push(responders.outcome.values[i]!);
  }
  const lee = leeBounds({
    treatedOutcomes,
    controlOutcomes,
    nAssignedTreated: assignedT,
    nAssignedControl: assignedC,
    level,
    outcome: outcomeColumn.name,
  });

  // 5. Diagnostics.
  const diagnostics: Diagnostic[] = [...assigned.diagnostics];
  const gap = treatment.responseRate - control.responseRate;
  const significant = dim.pValue < 0.05;
  if (Math.abs(gap) > differentialThreshold || significant) {
    diagnostics.push(
      diagnostic(
        'ATTRITION_DIFFERENTIAL',
        'warning',
        `Differential attrition: ${percent(treatment.responseRate)} of the treatment arm responded and ${percent(control.responseRate)} of the control arm ` +
          `(difference ${(100 * gap).toFixed(1)} points, p = ${dim.pValue.toPrecision(2)}). Respondents may no longer be comparable across arms, so ` +
          `the complete-case ITT can be biased; report the Lee bounds [${lee.lower.toPrecision(4)}, ${lee.upper.toPrecision(4)}] beside it ` +
          `(rule: difference above ${(100 * differentialThreshold).toFixed(1)} points or p < 0.05, in the spirit of the What Works Clearinghouse attrition standard).`,
      ),
    );
  }
  if (overallRate < lowResponseThreshold) {
    diagnostics.push(
      diagnostic(
        'ATTRITION_LOW_RESPONSE',
        'warning',
        `Only ${percent(overallRate)} of those assigned responded (attrition ${percent(1 - overallRate)}, above ${percent(1 - lowResponseThreshold)}): ` +
          'even balanced attrition of this size can bias the respondent comparison (What Works Clearinghouse attrition standard); say how non-respondents differ at baseline.',
      ),
    );
  }
  if (chiSquare.minExpected < 5) {
    diagnostics.push(
      diagnostic(
        'ATTRITION_SMALL_EXPECTED',
        'info',
        `The smallest expected count in the arm × response table is ${chiSquare.minExpected.toPrecision(3)} (< 5), so the χ² approximation is doubtful (R warns likewise); prefer Fisher's exact p-value.`,
      ),
    );
  }
  if (chiSquare.statistic === null) {
    diagnostics.push(diagnostic('ATTRITION_NONE', 'info', 'Everyone assigned responded, so there is no attrition: the χ² test is undefined and Fisher\'s p-value is 1.'));
  }
  if (assigned.blocks !== undefined) {
    // Blocks assigned at different ratios: pooling confounds arm with block (Simpson), so the pooled response rates,
    // χ², Fisher and Lee bounds can show differential attrition that is only a difference between blocks.
    const nb = assigned.blocks.labels.length;
    const inBlock = new Float64Array(nb);
    const treatedInBlock = new Float64Array(nb);
    for (let i = 0; i < assigned.n; i++) {
      const b = assigned.blocks.codes[i]!;
      inBlock[b]! += 1;
      treatedInBlock[b]! += z[i]!;
    }
    let low = -1;
    let high = -1;
    for (let b = 0; b < nb; b++) {
      if (inBlock[b] === 0) continue;
      const share = treatedInBlock[b]! / inBlock[b]!;
      if (low < 0 || share < treatedInBlock[low]! / inBlock[low]!) low = b;
      if (high < 0 || share > treatedInBlock[high]! / inBlock[high]!) high = b;
    }
    const lowShare = treatedInBlock[low]! / inBlock[low]!;
    const highShare = treatedInBlock[high]! / inBlock[high]!;
    if (highShare - lowShare > UNEQUAL_ASSIGNMENT_GAP) {
      diagnostics.push(
        diagnostic(
          'ATTRITION_BLOCKS_UNEQUAL_ASSIGNMENT',
          'warning',
          `The blocks were assigned at different ratios (treated share ${percent(lowShare)} in "${assigned.blocks.labels[low]!}" to ${percent(highShare)} in "${assigned.blocks.labels[high]!}"), so pooling them confounds arm with block: ` +
            'the response rates by arm, the χ² and Fisher tests and the Lee bounds (which pool the blocks) can show differential attrition, or hide it, that is only a difference between blocks. ' +
            'Judge differential attrition by the blocked difference, and compute Lee bounds within blocks.',
        ),
      );
    }
    diagnostics.push(
      diagnostic(
        'ATTRITION_BLOCKS_NOT_IN_BOUNDS',
        'info',
        `The response-rate difference is within blocks ("${assigned.blocks.name}", estimatr's blocked difference in means); the χ² and Fisher tests and the Lee bounds pool the blocks.`,
      ),
    );
  }
  if (assigned.cluster !== undefined) {
    const pText = (p: number | null): string => (p === null ? 'undefined' : p.toPrecision(2));
    diagnostics.push(
      diagnostic(
        'ATTRITION_CLUSTERED',
        'warning',
        `The trial is cluster-randomised ("${assigned.cluster.name}", ${dim.nClusters ?? assigned.cluster.labels.length} clusters): the response-rate difference is tested by clusters ` +
          `(estimatr's clustered difference in means, CR2; p = ${pText(dim.pValue)}), but the χ² (p = ${pText(chiSquare.pValue)}) and Fisher (p = ${pText(fisher.pValue)}) tests ` +
          'and the Lee bounds\' standard errors and intervals treat participants as independent, so they overstate the precision when response or the outcome is shared within clusters. ' +
          'Judge differential attrition by the clustered difference; read the Lee bounds themselves, with intervals that are too narrow.',
      ),
    );
  }
  diagnostics.push(...lee.diagnostics);

  return {
    outcome: outcomeColumn.name,
    responded: respondedName,
    level,
    response,
    difference,
    chiSquare,
    fisher,
    lee,
    diagnostics,
  };
}
