/**
 * The demo, as an evaluator would chain the packages in an analysis script:
 *
 *   simulateWhp (datasets; block randomisation within office by @trialkit/allocation)
 *     → writeData: CSV + Parquet, the allocation list + meta, the truth (datasets/generated/)
 *     → readData (what an evaluator would start from) → estimate: ITT, first stage, CACE (+ compliance by office)
 *     → report: reports/demo.html (self-contained, charts as inline SVG)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256File, TRIALKIT_VERSION, type Estimate } from '@trialkit/core';
import { readData, writeData } from '@trialkit/data';
import { listToCsv, metaToJson } from '@trialkit/allocation';
import { estimate } from '@trialkit/estimators';
import { simulateWhp, type WhpTruth } from '@trialkit/datasets';
import { buildReport, readPlan, writeReport } from '@trialkit/report';

export interface DemoOptions {
  /** Folder for the simulated data, allocation list and truth. */
  readonly dataDir: string;
  /** Path of the HTML report. */
  readonly reportPath: string;
  readonly n?: number;
  readonly seed?: string;
  /** Fixed time stamp for the report's provenance (tests pass one so the file is reproducible). */
  readonly generatedAt?: string;
}

export interface DemoResult {
  readonly dataPath: string;
  readonly reportPath: string;
  readonly truth: WhpTruth;
  readonly itt: Estimate;
  readonly firstStage: Estimate;
  readonly cace: Estimate;
  readonly summary: string;
}

const OUTCOME = 'job_outcome';
/** The statistical analysis plan the report runs (written before the data are seen). */
export const PLAN_PATH = fileURLToPath(new URL('../plan.json', import.meta.url));

function find(estimates: readonly Estimate[], estimand: string): Estimate {
  // The first stage's outcome is the received column; ITT and CACE are for the job outcome.
  const match = estimates.find((e) => e.estimand === estimand && (estimand === 'first-stage' || e.outcome === OUTCOME));
  if (match === undefined) throw new Error(`demo: no ${estimand} estimate was produced`);
  return match;
}

const points = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)}`;
const percent = (x: number): string => `${(100 * x).toFixed(1)}%`;

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const n = options.n ?? 10_000;
  const seed = options.seed ?? 'whp-demo-2026';
  await mkdir(options.dataDir, { recursive: true });

  // 1. Simulate the trial; the simulator allocates by permuted blocks within office.
  const trial = simulateWhp({ n, seed });
  const dataPath = join(options.dataDir, 'whp-demo.csv');
  await writeData(dataPath, trial.data);
  await writeData(join(options.dataDir, 'whp-demo.parquet'), trial.data);
  await writeFile(join(options.dataDir, 'whp-demo.truth.json'), `${JSON.stringify(trial.truth, null, 2)}\n`);
  await writeFile(join(options.dataDir, 'whp-demo-allocation.csv'), listToCsv(trial.allocation.rows));
  await writeFile(join(options.dataDir, 'whp-demo-allocation.meta.json'), metaToJson(trial.allocation.meta));

  // 2. Analyse the file as an evaluator would receive it.
  const data = await readData(dataPath);
  const level = 0.95;
  const result = estimate(data, {
    roles: { outcome: OUTCOME, assignment: 'assigned', received: 'started', by: 'office' },
    level,
  });
  const itt = find(result.estimates, 'ITT');
  const firstStage = find(result.estimates, 'first-stage');
  const cace = find(result.estimates, 'CACE');

  // 3. The report runs exactly what the analysis plan says, from the same file.
  const { plan } = await readPlan(PLAN_PATH);
  const report = await buildReport(plan, data, {
    provenance: {
      dataFile: 'datasets/generated/whp-demo.csv',
      dataSha256: await sha256File(dataPath),
      planFile: 'analyses/demo/plan.json',
      planSha256: await sha256File(PLAN_PATH),
      software: [
        { name: 'trialkit', version: TRIALKIT_VERSION },
        { name: 'Node.js', version: process.versions.node },
      ],
      generatedAt: options.generatedAt ?? new Date().toISOString(),
      command: 'npm run demo',
    },
  });
  await writeReport(options.reportPath, report);

  const summary = [
    `trialkit ${TRIALKIT_VERSION} demo — a Work and Health Programme-style trial (simulated, seed "${seed}")`,
    `  ${n.toLocaleString('en-GB')} people randomised 1:1 by permuted blocks within ${trial.truth.contaminationByOffice.length} Jobcentre offices`,
    `  complier share (first stage) ${percent(firstStage.estimate)}: take-up in the programme arm less contamination in the control arm`,
    '',
    '  Job outcome (in work 13+ weeks within 12 months), percentage points, 95% CI:',
    `  ITT   ${points(itt.estimate)} (${points(itt.confLow)} to ${points(itt.confHigh)})   difference in means (${itt.seType})`,
    `  CACE  ${points(cace.estimate)} (${points(cace.confLow)} to ${points(cace.confHigh)})   2SLS, assignment as the instrument (${cace.seType})`,
    `  true complier effect ${points(trial.truth.population.cace)} (population), ${points(trial.truth.sample.cace)} (this sample)`,
    '',
    `  data:   ${dataPath} (+ .parquet, allocation list, truth)`,
    `  report: ${options.reportPath}`,
  ].join('\n');
  return { dataPath, reportPath: options.reportPath, truth: trial.truth, itt, firstStage, cace, summary };
}
