/**
 * The NSW analysis, as an evaluator would chain the packages for a real, completed experiment:
 *
 *   datasets/nsw/nsw-lalonde.csv (NSW_CSV_PATH, @trialkit/datasets)
 *     → readData (@trialkit/data) → add in_work78 = 1[re78 > 0] (derived here, recorded in the README)
 *     → estimate (@trialkit/estimators):
 *         re78:      difference in means (Welch) | lm_robust HC2 + baseline covariates | lm_lin (Lin 2013), HC2
 *         in_work78: risk difference (Welch difference in means) | risk ratio (Katz) | odds ratio (Woolf)
 *     → buildReport(plan.json) + writeReport → reports/nsw-earnings.html (self-contained)
 */
import { fileURLToPath } from 'node:url';
import { sha256File, TRIALKIT_VERSION, type Dataset, type Estimate, type NumericColumn } from '@trialkit/core';
import { readData } from '@trialkit/data';
import { estimate } from '@trialkit/estimators';
import { NSW_CSV_PATH } from '@trialkit/datasets';
import { buildReport, readPlan, writeReport } from '@trialkit/report';

export const PLAN_PATH = fileURLToPath(new URL('../plan.json', import.meta.url));
/** Baseline covariates (measured before random assignment): the Dehejia–Wahba set. */
export const COVARIATES = ['age', 'educ', 'black', 'hisp', 'married', 'nodegr', 're74', 're75'] as const;
/** Published experimental benchmark: difference in mean 1978 earnings (Dehejia & Wahba 1999, Table 3), US$. */
export const PUBLISHED_BENCHMARK = 1794;
const EARNINGS = 're78';
const IN_WORK = 'in_work78';
const ASSIGNMENT = 'treat';

export interface NswOptions {
  /** Path of the HTML report. */
  readonly reportPath: string;
  /** Fixed time stamp for the report's provenance (tests pass one so the file is reproducible). */
  readonly generatedAt?: string;
  readonly level?: number;
}

export interface NswResult {
  readonly reportPath: string;
  readonly nObs: number;
  readonly earnings: { readonly differenceInMeans: Estimate; readonly lmRobust: Estimate; readonly lin: Estimate };
  readonly inWork: { readonly riskDifference: Estimate; readonly riskRatio: Estimate; readonly oddsRatio: Estimate };
  readonly summary: string;
}

/** Adds in_work78 = 1 if re78 > 0, else 0 (a missing re78 stays missing). */
export function withInWork(data: Dataset): Dataset {
  const re78 = data.columns.find((c) => c.name === EARNINGS);
  if (re78?.kind !== 'number') throw new Error(`nsw-earnings: the data have no numeric column "${EARNINGS}"`);
  const values = new Float64Array(re78.values.length);
  for (let i = 0; i < values.length; i++) {
    const y = re78.values[i]!;
    values[i] = Number.isNaN(y) ? Number.NaN : y > 0 ? 1 : 0;
  }
  const inWork: NumericColumn = { kind: 'number', name: IN_WORK, values };
  return { ...data, columns: [...data.columns, inWork] };
}

function pick(estimates: readonly Estimate[], estimator: string): Estimate {
  const match = estimates.find((e) => e.estimand === 'ITT' && e.estimator === estimator);
  if (match === undefined) throw new Error(`nsw-earnings: no ${estimator} estimate was produced`);
  return match;
}

const dollars = (x: number): string => `${x < 0 ? '−' : x > 0 ? '+' : ''}US$${Math.abs(x).toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
const points = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)}`;
const ratio = (x: number): string => x.toFixed(2);
const pValue = (p: number): string => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);

export async function runNsw(options: NswOptions): Promise<NswResult> {
  const level = options.level ?? 0.95;
  const data = withInWork(await readData(NSW_CSV_PATH));
  const roles = { outcome: EARNINGS, assignment: ASSIGNMENT } as const;
  const covariates = [...COVARIATES];

  // 1. Earnings in 1978: unadjusted, covariate-adjusted (HC2) and Lin's interacted regression (HC2).
  const differenceInMeans = pick(estimate(data, { roles, level }).estimates, 'difference_in_means');
  const lmRobust = pick(estimate(data, { roles: { ...roles, covariates }, se: 'HC2', level }).estimates, 'lm_robust');
  const lin = pick(estimate(data, { roles: { ...roles, covariates }, se: 'HC2', lin: true, level }).estimates, 'lm_lin');

  // 2. In work in 1978 (any earnings): risk difference, risk ratio, odds ratio.
  const workRoles = { outcome: IN_WORK, assignment: ASSIGNMENT } as const;
  const rr = estimate(data, { roles: workRoles, level, measure: 'rr' }).estimates;
  const riskDifference = pick(rr, 'difference_in_means');
  const riskRatio = pick(rr, 'risk_ratio');
  const oddsRatio = pick(estimate(data, { roles: workRoles, level, measure: 'or' }).estimates, 'odds_ratio');

  // 3. The report runs what plan.json says, on the same data (with the derived column).
  const { plan } = await readPlan(PLAN_PATH);
  const report = await buildReport(plan, data, {
    provenance: {
      dataFile: 'datasets/nsw/nsw-lalonde.csv (+ in_work78 = re78 > 0, derived)',
      dataSha256: await sha256File(NSW_CSV_PATH),
      planFile: 'analyses/nsw-earnings/plan.json',
      planSha256: await sha256File(PLAN_PATH),
      software: [
        { name: 'trialkit', version: TRIALKIT_VERSION },
        { name: 'Node.js', version: process.versions.node },
      ],
      generatedAt: options.generatedAt ?? new Date().toISOString(),
      command: 'npm run analysis -w @trialkit/analysis-nsw-earnings',
    },
  });
  await writeReport(options.reportPath, report);

  const ci = (e: Estimate, f: (x: number) => string): string => `${f(e.estimate)} (${f(e.confLow)} to ${f(e.confHigh)})`;
  const pct = Math.round(100 * level);
  const summary = [
    `trialkit ${TRIALKIT_VERSION} — National Supported Work Demonstration (real data, ${data.nRows} men: ${countTreated(data)} programme, ${data.nRows - countTreated(data)} control)`,
    '',
    `  1978 earnings, effect of assignment to the programme, US$, ${pct}% CI:`,
    `  difference in means  ${ci(differenceInMeans, dollars)}  SE ${differenceInMeans.stdError.toFixed(1)}, ${pValue(differenceInMeans.pValue)} (Welch)`,
    `  lm_robust + covs     ${ci(lmRobust, dollars)}  SE ${lmRobust.stdError.toFixed(1)}, ${pValue(lmRobust.pValue)} (HC2)`,
    `  Lin (interacted)     ${ci(lin, dollars)}  SE ${lin.stdError.toFixed(1)}, ${pValue(lin.pValue)} (HC2)`,
    `  published experimental benchmark (Dehejia & Wahba 1999, Table 3): ${dollars(PUBLISHED_BENCHMARK)}`,
    '',
    `  In work in 1978 (any earnings), ${pct}% CI:`,
    `  risk difference      ${ci(riskDifference, points)} percentage points, ${pValue(riskDifference.pValue)}`,
    `  risk ratio           ${ci(riskRatio, ratio)}`,
    `  odds ratio           ${ci(oddsRatio, ratio)}`,
    '',
    `  report: ${options.reportPath}`,
  ].join('\n');
  return {
    reportPath: options.reportPath,
    nObs: data.nRows,
    earnings: { differenceInMeans, lmRobust, lin },
    inWork: { riskDifference, riskRatio, oddsRatio },
    summary,
  };
}

function countTreated(data: Dataset): number {
  const treat = data.columns.find((c) => c.name === ASSIGNMENT);
  if (treat?.kind !== 'number') return Number.NaN;
  let n = 0;
  for (const z of treat.values) if (z === 1) n += 1;
  return n;
}
