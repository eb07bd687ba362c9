/**
 * The IPS health-led trial with contamination, in its two designs, as an evaluator would chain the packages:
 *
 *   plan.json / plan-clustered.json (fixed before the data)
 *     → simulateIps (datasets): 11,300 people, two sub-regions (WMCA, SCR); 1:1 by permuted blocks within
 *       sub-region × referral route (individual), or whole GP practices within sub-region × practice route
 *       (clustered); controls signposted to IPS-like support at a rate set by their work-coach office
 *     → files (datasets/generated/ips-contamination*) → verifyList: the allocation list regenerated from its
 *       metadata and seed, and every row's arm in the data checked against it
 *     → buildReport(plan) + writeReport: reports/ips-contamination.html (individual) and
 *       reports/ips-contamination-clustered.html (GP practices, CR2)
 *     → library calls: the same trial with no contamination (same seed, common random numbers) to show the
 *       dilution; τ(λ); Balke–Pearl bounds with a bootstrap confidence set; complier means; effects and the
 *       interaction test by sub-region; contamination by office against the truth; the clustered design's CR2
 *       against the naive (independent) variance; cost per additional job outcome
 *     → every number beside the simulator's truth
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256File, sha256Hex, TRIALKIT_VERSION, type Dataset, type Estimate } from '@trialkit/core';
import { prepareTrial, readData, writeData } from '@trialkit/data';
import { metaToJson, participantsFromDataset, verifyList, type AllocationMeta } from '@trialkit/allocation';
import {
  balkePearlBootstrap,
  estimate,
  subgroupAnalysis,
  type BalkePearlWithBootstrap,
  type ComplianceResult,
  type HeterogeneityTest,
} from '@trialkit/estimators';
import { simulateIps, type IpsTruth } from '@trialkit/datasets';
import { buildReport, readPlan, writeReport, type ReportInput } from '@trialkit/report';
import { covers, pick, subset, texts } from './tools.js';

export const PLAN_PATH = fileURLToPath(new URL('../plan.json', import.meta.url));
export const CLUSTERED_PLAN_PATH = fileURLToPath(new URL('../plan-clustered.json', import.meta.url));
export const DEFAULT_SEED = 'ips-contamination-2026';
const JOB = 'job_outcome';
const ASSIGNMENT = 'assigned';
const RECEIVED = 'started';
const COMMAND = 'npm run analysis -w @trialkit/analysis-ips-contamination';

export interface IpsAnalysisOptions {
  /** Folder for the trial files, allocation lists, their metadata and the truth. */
  readonly dataDir: string;
  /** Report of the individually randomised design. */
  readonly reportPath: string;
  /** Report of the GP-practice (cluster) randomised design. */
  readonly clusteredReportPath: string;
  readonly n?: number;
  readonly seed?: string;
  /** Seeds of the paired replication (default 20): each seed simulated with and without contamination. */
  readonly replicates?: number;
  /** Bootstrap draws for the Balke–Pearl confidence set (default 1,000). */
  readonly bootstrapDraws?: number;
  /** Fixed time stamp for the reports' provenance (tests pass one so the files are reproducible). */
  readonly generatedAt?: string;
}

export interface AllocationCheck {
  readonly ok: boolean;
  readonly schemeVersion: string;
  readonly listSha256: string;
  readonly rows: number;
  readonly compared: number;
  readonly dataMismatches: number;
  readonly problems: readonly string[];
}

/** ITT, first stage and CACE of the job outcome from one estimate() call. */
export interface Triple {
  readonly itt: Estimate;
  readonly firstStage: Estimate;
  readonly cace: Estimate;
}

export interface DesignResult {
  readonly design: 'individual' | 'clustered';
  readonly dataPath: string;
  readonly reportPath: string;
  readonly truth: IpsTruth;
  readonly allocation: AllocationCheck;
  readonly report: ReportInput;
  /** The report as written: the plan's analysis plus, in its Methods, the script's additional analyses and the truth. */
  readonly job: Triple;
  readonly earnings: { readonly itt: Estimate; readonly cace: Estimate };
  readonly benefitExit: { readonly itt: Estimate; readonly cace: Estimate };
  readonly cost: Estimate;
  readonly timeToJob: { readonly hazardRatio: Estimate; readonly incidence: Estimate };
  readonly compliance: ComplianceResult;
}

export interface ScenarioRow {
  readonly label: string;
  readonly contamination: number;
  readonly estimated: Triple;
  readonly truth: { readonly itt: number; readonly cace: number; readonly complierShare: number; readonly contamination: number };
}

/** Mean over replicate seeds of (no contamination − as run), with its Monte Carlo SE. */
export interface PairedDifference {
  readonly meanAsRun: number;
  readonly meanNone: number;
  readonly difference: number;
  readonly stdError: number;
  readonly truth: number;
}

export interface Replication {
  readonly replicates: number;
  readonly itt: PairedDifference;
  readonly firstStage: PairedDifference;
  readonly cace: PairedDifference;
}

export interface SubregionRow {
  readonly subregion: string;
  readonly itt: Estimate;
  readonly cace: Estimate;
  readonly truth: { readonly itt: number; readonly cace: number; readonly complierShare: number };
}

export interface IpsAnalysisResult {
  readonly individual: DesignResult;
  readonly clustered: DesignResult;
  /** The individually randomised trial at the default contamination and with none (same seed and people). */
  readonly scenarios: readonly [ScenarioRow, ScenarioRow];
  /** The dilution over replicate seeds (paired: same seed with and without contamination); null with 0 replicates. */
  readonly replication: Replication | null;
  /** Sample size factor to keep the ITT's power at this contamination: (π_c without / π_c with)². */
  readonly sampleSizeInflation: { readonly estimated: number; readonly truth: number };
  readonly sensitivity: readonly { lambda: number; estimate: number; confLow: number; confHigh: number }[];
  readonly bounds: BalkePearlWithBootstrap;
  readonly complierMeans: { readonly treated: number; readonly untreated: number };
  readonly byOffice: readonly { office: string; subregion: string; estimate: number; confLow: number; confHigh: number; truth: number }[];
  readonly bySubregion: readonly SubregionRow[];
  readonly subregionInteraction: HeterogeneityTest;
  /** Clustered design: the CR2 analysis against one that ignores the GP practices. */
  readonly clustering: {
    readonly naive: Triple;
    readonly ittSeRatio: number;
    readonly caceSeRatio: number;
    /** (SE_CR2 / SE_individual-design)² for the ITT: the variance cost of randomising practices. */
    readonly designEffect: number;
    readonly practices: number;
    readonly controlIcc: number;
  };
  readonly costs: {
    readonly ipsCostItt: Estimate;
    readonly similarCostItt: Estimate;
    readonly perAdditionalJob: number;
    readonly netPerAdditionalJob: number;
  };
  readonly summary: string;
}

const points = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)}`;
const points2 = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(2)}`;
const percent = (x: number): string => `${(100 * x).toFixed(1)}%`;
const pounds = (x: number): string => `${x < 0 ? '−' : ''}£${Math.abs(x).toLocaleString('en-GB', { maximumFractionDigits: 0 })}`;
const ci = (e: { estimate: number; confLow: number; confHigh: number }, f: (x: number) => string): string => `${f(e.estimate)} (${f(e.confLow)} to ${f(e.confHigh)})`;
const yes = (ok: boolean): string => (ok ? 'covers' : 'MISSES');

const whole = (e: Estimate): boolean => e['subgroup'] === undefined;
function tripleOf(estimates: readonly Estimate[], outcome = JOB): Triple {
  return {
    itt: pick(estimates, (e) => whole(e) && e.outcome === outcome && e.estimand === 'ITT' && e.estimator === 'difference_in_means', `${outcome} ITT`),
    firstStage: pick(estimates, (e) => whole(e) && e.estimand === 'first-stage', 'first-stage'),
    cace: pick(estimates, (e) => whole(e) && e.outcome === outcome && e.estimand === 'CACE', `${outcome} CACE`),
  };
}

async function runDesign(
  design: 'individual' | 'clustered',
  options: IpsAnalysisOptions & { n: number; seed: string },
): Promise<DesignResult & { data: Dataset }> {
  const clustered = design === 'clustered';
  const planPath = clustered ? CLUSTERED_PLAN_PATH : PLAN_PATH;
  const { plan } = await readPlan(planPath);
  const trial = simulateIps({ n: options.n, seed: options.seed, clustered });
  const stem = clustered ? 'ips-contamination-clustered' : 'ips-contamination';
  const dataPath = join(options.dataDir, `${stem}.csv`);
  const listPath = join(options.dataDir, `${stem}-allocation.csv`);
  const metaPath = join(options.dataDir, `${stem}-allocation.meta.json`);
  await writeData(dataPath, trial.data);
  await writeFile(listPath, trial.allocation.csv);
  await writeFile(metaPath, metaToJson(trial.allocation.meta));
  await writeFile(join(options.dataDir, `${stem}.truth.json`), `${JSON.stringify(trial.truth, null, 2)}\n`);

  // The evaluator starts from the files, and first checks the allocation: the list regenerated from its metadata
  // and seed (strata: sub-region × referral route, or × the practice's route with whole practices randomised).
  const data = await readData(dataPath);
  const listCsv = await readFile(listPath, 'utf8');
  const meta = JSON.parse(await readFile(metaPath, 'utf8')) as AllocationMeta;
  const participants = participantsFromDataset(data, {
    id: 'id',
    strata: ['subregion', clustered ? 'practice_route' : 'referral_route'],
    ...(clustered ? { cluster: 'gp_practice' } : {}),
  });
  const verification = verifyList({ listCsv, meta, participants, data: { ids: texts(data, 'id'), assignments: texts(data, 'arm') } });
  const allocation: AllocationCheck = {
    ok: verification.ok,
    schemeVersion: verification.schemeVersion,
    listSha256: sha256Hex(listCsv),
    rows: verification.rows,
    compared: verification.data?.compared ?? 0,
    dataMismatches: (verification.data?.mismatches.length ?? 0) + (verification.data?.missing.length ?? 0) + (verification.data?.extra.length ?? 0),
    problems: verification.problems.map((p) => `${p.code}: ${p.message}`),
  };
  const what = clustered ? `${trial.truth.sample.practices} GP practices randomised whole within sub-region × practice referral route` : 'permuted blocks of 2, 4 or 6 within sub-region × referral route';
  const detail = allocation.ok
    ? `The allocation list (${allocation.rows.toLocaleString('en-GB')} rows, SHA-256 ${allocation.listSha256}) was regenerated byte for byte from its metadata (${allocation.schemeVersion}: ${what}), and all ${allocation.compared.toLocaleString('en-GB')} rows of the analysis file carry the arm the list gave them.`
    : `Allocation verification failed: ${allocation.problems.join('; ')}`;
  const verificationStatus = { status: allocation.ok ? ('verified' as const) : ('failed' as const), detail };

  const report = await buildReport(plan, data, {
    allocationVerification: verificationStatus,
    provenance: {
      dataFile: `datasets/generated/${stem}.csv`,
      dataSha256: await sha256File(dataPath),
      planFile: `analyses/ips-contamination/${clustered ? 'plan-clustered.json' : 'plan.json'}`,
      planSha256: await sha256File(planPath),
      allocationVerification: verificationStatus,
      software: [
        { name: 'trialkit', version: TRIALKIT_VERSION },
        { name: 'Node.js', version: process.versions.node },
      ],
      generatedAt: options.generatedAt ?? new Date().toISOString(),
      command: COMMAND,
    },
  });
  const reportPath = clustered ? options.clusteredReportPath : options.reportPath;

  const est = report.estimates;
  const job = tripleOf(est);
  const earnings = tripleOf(est, 'earnings');
  const exit = tripleOf(est, 'benefit_exit');
  const time = (estimator: string): Estimate => pick(est, (e) => whole(e) && e.outcome === 'days_to_first_job' && e.estimator === estimator, estimator);
  const compliance = estimate(data, {
    roles: { outcome: JOB, assignment: ASSIGNMENT, received: RECEIVED, ...(clustered ? { cluster: 'gp_practice' } : {}) },
    by: 'office',
    level: plan.level,
  }).compliance!;
  return {
    design,
    data,
    dataPath,
    reportPath,
    truth: trial.truth,
    allocation,
    report,
    job,
    earnings: { itt: earnings.itt, cace: earnings.cace },
    benefitExit: { itt: exit.itt, cace: exit.cace },
    cost: pick(est, (e) => whole(e) && e.outcome === 'cost' && e.estimand === 'ITT' && e.estimator === 'difference_in_means', 'cost ITT'),
    timeToJob: { hazardRatio: time('coxph'), incidence: time('km_cumulative_incidence') },
    compliance,
  };
}

export async function runIpsAnalysis(options: IpsAnalysisOptions): Promise<IpsAnalysisResult> {
  const n = options.n ?? 11_300;
  const seed = options.seed ?? DEFAULT_SEED;
  const level = 0.95;
  await mkdir(options.dataDir, { recursive: true });
  const settings = { ...options, n, seed };

  // 1. The two designs, each from plan to report.
  const { data, ...individual } = await runDesign('individual', settings);
  const { data: clusteredData, ...clustered } = await runDesign('clustered', settings);

  // 2. Dilution: the same seed with no control signposted to IPS-like support. The people (ids, covariates, practices,
  //    offices), their assignment and outcome random numbers are the same; the compliance type is cut from the same
  //    uniform at new points (the formerly signposted become never-takers, as many former never-takers become
  //    compliers) and the baseline job chance, which simulateIps ties to the type, moves with it.
  const roles = { outcome: JOB, assignment: ASSIGNMENT, received: RECEIVED, blocks: 'stratum' } as const;
  const clean = simulateIps({ n, seed, contamination: 0, contaminationOfficeSpread: 0 });
  const cleanTriple = tripleOf(estimate(clean.data, { roles, level }).estimates);
  const truthRow = (t: IpsTruth): ScenarioRow['truth'] => ({
    itt: t.population.itt,
    cace: t.population.cace,
    complierShare: t.population.complierShare,
    contamination: t.population.contamination,
  });
  const scenarios: [ScenarioRow, ScenarioRow] = [
    { label: 'as run (work coaches signpost controls)', contamination: individual.compliance.contamination.estimate, estimated: individual.job, truth: truthRow(individual.truth) },
    { label: 'no contamination (same seed)', contamination: 0, estimated: cleanTriple, truth: truthRow(clean.truth) },
  ];
  const replication = replicate(n, seed, options.replicates ?? 20, roles, level, scenarios);
  const sampleSizeInflation = {
    estimated: (cleanTriple.firstStage.estimate / individual.job.firstStage.estimate) ** 2,
    truth: (clean.truth.population.complierShare / individual.truth.population.complierShare) ** 2,
  };

  // 3. What CACE, sensitivity and bounds say (individually randomised design).
  const compliance = individual.compliance;
  const sensitivity = (compliance.sensitivity?.rows ?? []).map((r) => ({ lambda: r.lambda, estimate: r.estimate!, confLow: r.confLow!, confHigh: r.confHigh! }));
  const bounds = balkePearlBootstrap(prepareTrial(data, { outcome: JOB, assignment: ASSIGNMENT, received: RECEIVED }), {
    seed: `${seed}/bounds`,
    draws: options.bootstrapDraws ?? 1000,
    level,
  });
  const complierMeans = {
    treated: compliance.complierMeans!.treatedComplierMean.estimate,
    untreated: compliance.complierMeans!.untreatedComplierMean.estimate,
  };
  const officeTruth = new Map(individual.truth.contaminationByOffice.map((o) => [o.office, o]));
  const byOffice = (compliance.byGroup?.groups ?? []).map((g) => ({
    office: g.label,
    subregion: officeTruth.get(g.label)?.subregion ?? '',
    estimate: g.contamination!.estimate,
    confLow: g.contamination!.confLow,
    confHigh: g.contamination!.confHigh,
    truth: officeTruth.get(g.label)?.rate ?? Number.NaN,
  }));

  // 4. By sub-region (WMCA +6, SCR +3 among compliers): ITT and CACE on each sub-region's rows, and the interaction.
  const regions = texts(data, 'subregion');
  const bySubregion: SubregionRow[] = individual.truth.bySubregion.map((t) => {
    const part = tripleOf(estimate(subset(data, (i) => regions[i] === t.subregion), { roles, level }).estimates);
    return { subregion: t.subregion, itt: part.itt, cace: part.cace, truth: { itt: t.itt, cace: t.cace, complierShare: t.complierShare } };
  });
  const interaction = subgroupAnalysis(data, { roles: { outcome: JOB, assignment: ASSIGNMENT }, subgroup: 'subregion', level }).heterogeneity;
  if (interaction === null) throw new Error('ips-contamination: no sub-region interaction test');

  // 5. The clustered design: CR2 (the report's) against an analysis that ignores the GP practices.
  const naive = tripleOf(estimate(clusteredData, { roles, level }).estimates);
  const clustering = {
    naive,
    ittSeRatio: clustered.job.itt.stdError / naive.itt.stdError,
    caceSeRatio: clustered.job.cace.stdError / naive.cace.stdError,
    designEffect: (clustered.job.itt.stdError / individual.job.itt.stdError) ** 2,
    practices: clustered.job.itt.nClusters ?? clustered.truth.sample.practices,
    controlIcc: clustered.truth.sample.controlIcc,
  };

  // 6. Costs: IPS delivery cost per person offered (ITT on `cost`), less controls' IPS-like provision it displaces.
  const similarCostItt = tripleOf(estimate(data, { roles: { ...roles, outcome: 'similar_provision_cost' }, level }).estimates, 'similar_provision_cost').itt;
  const costs = {
    ipsCostItt: individual.cost,
    similarCostItt,
    perAdditionalJob: individual.cost.estimate / individual.job.itt.estimate,
    netPerAdditionalJob: (individual.cost.estimate + similarCostItt.estimate) / individual.job.itt.estimate,
  };

  // 7. Each report gains, in its Methods, what the script ran beyond the plan (labelled: CONSORT 21d) and the
  //    simulator's truth; then both are written.
  const t0 = individual.truth.population;
  const truthParagraph =
    `Simulated data, so the truth is known (simulateIps, seed "${seed}"): complier share ${percent(t0.complierShare)} (take-up ${percent(t0.takeUp)}, contamination ${percent(t0.contamination)}), ` +
    `ITT ${points(t0.itt)} and CACE ${points(t0.cace)} points on the job outcome (complier effect +6 points in WMCA, +3 in SCR), earnings ITT ${pounds(t0.earningsItt)}, ` +
    `benefit exit ITT ${points(t0.benefitExitItt)} points, delivery cost ITT ${pounds(t0.costItt)}; with no contamination the complier share would be ${percent(scenarios[1].truth.complierShare)} and the ITT ${points(scenarios[1].truth.itt)} points.`;
  const individualExtra = [
    `Additional analyses, not in the plan, run by the analysis script (analyses/ips-contamination/src/ips.ts): ` +
      `the same trial simulated with no contamination (same seed: same people, assignment and outcome random numbers; compliance types re-cut) gives a complier share of ${percent(cleanTriple.firstStage.estimate)}, ITT ${ci(cleanTriple.itt, points)} and CACE ${ci(cleanTriple.cace, points)} points` +
      (replication === null ? '' : `; over ${replication.replicates} paired seeds the ITT without contamination exceeds the ITT with it by ${(100 * replication.itt.difference).toFixed(2)} ± ${(100 * replication.itt.stdError).toFixed(2)} points (truth ${(100 * replication.itt.truth).toFixed(2)}) and leaves the CACE unchanged (${points2(replication.cace.difference)} ± ${(100 * replication.cace.stdError).toFixed(2)})`) +
      `; to keep the ITT's power at this contamination the trial needs ${sampleSizeInflation.truth.toFixed(2)} times the people. ` +
      `Balke–Pearl bounds on the average effect [${points(bounds.lower)}, ${points(bounds.upper)}] points, ${Math.round(level * 100)}% bootstrap set [${points(bounds.bootstrap.confLow)}, ${points(bounds.bootstrap.confHigh)}] (${bounds.bootstrap.draws} draws). ` +
      `CACE by sub-region (2SLS, HC2): ${bySubregion.map((r) => `${r.subregion.toUpperCase()} ${ci(r.cace, points)}`).join('; ')}.`,
    `Cost: IPS delivery cost per person offered ${ci(individual.cost, pounds)}; IPS-like provision displaced among controls ${ci(similarCostItt, pounds)}; per additional job outcome ${pounds(costs.perAdditionalJob)}, ${pounds(costs.netPerAdditionalJob)} net.`,
    truthParagraph,
  ];
  const clusteredExtra = [
    `Additional analysis, not in the plan: the same data analysed as if people had been randomised (ignoring GP practices) give standard errors of ${(100 * naive.itt.stdError).toFixed(2)} points for the ITT and ${(100 * naive.cace.stdError).toFixed(2)} for the CACE, against ${(100 * clustered.job.itt.stdError).toFixed(2)} and ${(100 * clustered.job.cace.stdError).toFixed(2)} with CR2: ` +
      `randomising practices costs a design effect of ${clustering.designEffect.toFixed(2)} on the ITT's variance relative to the individually randomised trial of the same people. ` +
      `The Kaplan–Meier RMST and cumulative-incidence differences in this report use independent-participant variances (the hazard ratio and the risk ratio are cluster-robust).`,
    truthParagraph,
  ];
  const withParagraphs = (built: ReportInput, extra: readonly string[]): ReportInput => ({
    ...built,
    methods: { ...built.methods, paragraphs: [...(built.methods?.paragraphs ?? []), ...extra] },
  });
  const individualResult: DesignResult = { ...individual, report: withParagraphs(individual.report, individualExtra) };
  const clusteredResult: DesignResult = { ...clustered, report: withParagraphs(clustered.report, clusteredExtra) };
  await writeReport(individualResult.reportPath, individualResult.report);
  await writeReport(clusteredResult.reportPath, clusteredResult.report);

  const t = individual.truth.population;
  const [run, none] = scenarios;
  const lambdaZero = sensitivity[0]!;
  const lambdaOne = sensitivity.at(-1)!;
  const officeCovered = byOffice.filter((o) => covers(o, o.truth)).length;
  const row = (label: string, s: ScenarioRow): string =>
    `  ${label.padEnd(20)} ${percent(s.truth.contamination).padStart(6)}  ${`${percent(s.estimated.firstStage.estimate)} (${percent(s.truth.complierShare)})`.padEnd(16)} ${`${ci(s.estimated.itt, points)} [${points(s.truth.itt)}]`.padEnd(30)} ${ci(s.estimated.cace, points)} [${points(s.truth.cace)}]`;
  const summary = [
    `trialkit ${TRIALKIT_VERSION} — IPS health-led trial with contamination (simulated, seed "${seed}", ${n.toLocaleString('en-GB')} people, WMCA and SCR)`,
    '',
    `  allocation: individual ${individual.allocation.ok ? 'verified' : 'FAILED'} (${individual.allocation.schemeVersion}, SHA-256 ${individual.allocation.listSha256.slice(0, 16)}…), clustered ${clustered.allocation.ok ? 'verified' : 'FAILED'} (${clustered.allocation.schemeVersion}, ${clustering.practices} GP practices, SHA-256 ${clustered.allocation.listSha256.slice(0, 16)}…)`,
    '',
    '  How contamination dilutes the ITT — job outcome, points (95% CI) [truth]:',
    '                       true     compliers        ITT                            CACE',
    '                       contam.  est. (true)',
    row('as run', run),
    row('no contamination', none),
    `  true ITT ${points(run.truth.itt)} against ${points(none.truth.itt)}: diluted by ${percent(1 - run.truth.itt / none.truth.itt)}, the fall in the complier share; the CACE is the same (${points(t.cace)}).`,
    ...(replication === null
      ? []
      : [
          `  over ${replication.replicates} paired seeds (each run with and without contamination): mean ITT ${points(replication.itt.meanAsRun)} vs ${points(replication.itt.meanNone)}, difference ${points2(replication.itt.difference)} ± ${(100 * replication.itt.stdError).toFixed(2)} (true ${points2(replication.itt.truth)});`,
          `  complier share ${points2(replication.firstStage.difference)} ± ${(100 * replication.firstStage.stdError).toFixed(2)} (true ${points2(replication.firstStage.truth)}); CACE ${points2(replication.cace.difference)} ± ${(100 * replication.cace.stdError).toFixed(2)} (true ${points2(replication.cace.truth)})`,
        ]),
    `  The same power needs ${sampleSizeInflation.truth.toFixed(2)}× the people (estimated ${sampleSizeInflation.estimated.toFixed(2)}×); the CACE's SE grows ${(run.estimated.cace.stdError / none.estimated.cace.stdError).toFixed(2)}×.`,
    '',
    `  Individually randomised (blocked by sub-region × route): take-up ${percent(compliance.takeUp.estimate)} (true ${percent(t.takeUp)}), contamination ${percent(compliance.contamination.estimate)} (true ${percent(t.contamination)})`,
    `  ITT  ${ci(individual.job.itt, points)}  [${points(t.itt)}] ${yes(covers(individual.job.itt, t.itt))}`,
    `  CACE ${ci(individual.job.cace, points)}  [${points(t.cace)}] ${yes(covers(individual.job.cace, t.cace))}; complier means ${percent(complierMeans.treated)} vs ${percent(complierMeans.untreated)}`,
    `  τ(λ): λ = 0 (signposted support did nothing) ${ci(lambdaZero, points)}; λ = 1 (= CACE) ${ci(lambdaOne, points)}`,
    `  Balke–Pearl bounds [${points(bounds.lower)}, ${points(bounds.upper)}]; ${Math.round(level * 100)}% bootstrap set [${points(bounds.bootstrap.confLow)}, ${points(bounds.bootstrap.confHigh)}] (${bounds.bootstrap.draws} draws)`,
    `  contamination by office ${percent(Math.min(...byOffice.map((o) => o.estimate)))} to ${percent(Math.max(...byOffice.map((o) => o.estimate)))}; Wilson CIs cover the true rate in ${officeCovered} of ${byOffice.length} offices`,
    ...bySubregion.map((s) => `  ${s.subregion.toUpperCase().padEnd(5)} ITT ${ci(s.itt, points)} [${points(s.truth.itt)}]   CACE ${ci(s.cace, points)} [${points(s.truth.cace)}]`),
    `  sub-region interaction: F = ${interaction.fStatistic.toFixed(2)} on (${interaction.dfNumerator}, ${interaction.dfDenominator}) df, p = ${interaction.pValue.toFixed(3)} (true difference in ITT ${points(individual.truth.bySubregion[1]!.itt - individual.truth.bySubregion[0]!.itt)})`,
    `  earnings ITT ${ci(individual.earnings.itt, pounds)} [${pounds(t.earningsItt)}], CACE ${ci(individual.earnings.cace, pounds)} [${pounds(t.earningsCace)}]`,
    `  benefit exit ITT ${ci(individual.benefitExit.itt, points)} [${points(t.benefitExitItt)}], CACE ${ci(individual.benefitExit.cace, points)} [${points(t.benefitExitCace)}]`,
    `  time to first job: HR ${ci(individual.timeToJob.hazardRatio, (x) => x.toFixed(3))}; any job start by 365 days ${ci(individual.timeToJob.incidence, points)}`,
    `  cost: IPS ${pounds(costs.ipsCostItt.estimate)} per person offered [${pounds(t.costItt)}], displaced IPS-like provision ${pounds(similarCostItt.estimate)} [${pounds(t.similarProvisionCostItt)}]; per additional job outcome ${pounds(costs.perAdditionalJob)} [${pounds(t.costPerAdditionalJobOutcome)}], net ${pounds(costs.netPerAdditionalJob)} [${pounds(t.netCostPerAdditionalJobOutcome)}]`,
    '',
    `  GP practices randomised (${clustering.practices} clusters, control ICC ${clustering.controlIcc.toFixed(3)}; CR2, Bell–McCaffrey df):`,
    `  ITT  ${ci(clustered.job.itt, points)} SE ${(100 * clustered.job.itt.stdError).toFixed(2)}  [${points(t.itt)}] ${yes(covers(clustered.job.itt, t.itt))}; ignoring the practices: SE ${(100 * naive.itt.stdError).toFixed(2)} (CR2 is ${clustering.ittSeRatio.toFixed(2)}× larger)`,
    `  CACE ${ci(clustered.job.cace, points)} SE ${(100 * clustered.job.cace.stdError).toFixed(2)}  [${points(t.cace)}] ${yes(covers(clustered.job.cace, t.cace))}; ignoring the practices: SE ${(100 * naive.cace.stdError).toFixed(2)}`,
    `  design effect on the ITT's variance against individual randomisation: ${clustering.designEffect.toFixed(2)}`,
    '',
    `  data:    ${options.dataDir} (ips-contamination*.csv, allocation lists, metadata, truth)`,
    `  reports: ${options.reportPath}, ${options.clusteredReportPath}`,
  ].join('\n');

  return { individual: individualResult, clustered: clusteredResult, scenarios, replication, sampleSizeInflation, sensitivity, bounds, complierMeans, byOffice, bySubregion, subregionInteraction: interaction, clustering, costs, summary };
}

/** The same trial at `replicates` seeds, with and without contamination (common random numbers within a pair). */
function replicate(
  n: number,
  seed: string,
  replicates: number,
  roles: { outcome: string; assignment: string; received: string; blocks: string },
  level: number,
  scenarios: readonly [ScenarioRow, ScenarioRow],
): Replication | null {
  if (replicates < 1) return null;
  const runs: { asRun: Triple; none: Triple }[] = [];
  for (let k = 0; k < replicates; k++) {
    const s = `${seed}/replicate/${k}`;
    runs.push({
      asRun: tripleOf(estimate(simulateIps({ n, seed: s }).data, { roles, level }).estimates),
      none: tripleOf(estimate(simulateIps({ n, seed: s, contamination: 0, contaminationOfficeSpread: 0 }).data, { roles, level }).estimates),
    });
  }
  const paired = (get: (t: Triple) => number, truth: number): PairedDifference => {
    const asRun = runs.map((r) => get(r.asRun));
    const none = runs.map((r) => get(r.none));
    const d = runs.map((_, k) => none[k]! - asRun[k]!);
    const mean = (x: number[]): number => x.reduce((a, b) => a + b, 0) / x.length;
    const m = mean(d);
    const sd = d.length > 1 ? Math.sqrt(d.reduce((a, v) => a + (v - m) ** 2, 0) / (d.length - 1)) : Number.NaN;
    return { meanAsRun: mean(asRun), meanNone: mean(none), difference: m, stdError: sd / Math.sqrt(d.length), truth };
  };
  const [run, none] = scenarios;
  return {
    replicates,
    itt: paired((t) => t.itt.estimate, none.truth.itt - run.truth.itt),
    firstStage: paired((t) => t.firstStage.estimate, none.truth.complierShare - run.truth.complierShare),
    cace: paired((t) => t.cace.estimate, none.truth.cace - run.truth.cace),
  };
}
