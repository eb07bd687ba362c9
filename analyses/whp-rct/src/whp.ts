/**
 * A Work and Health Programme-style RCT, end to end, as an evaluator would chain the packages:
 *
 *   plan.json (fixed before the data: outcomes, estimands, blocks = office, subgroups, contamination groupings)
 *     → simulateWhp (datasets; permuted blocks of 2/4/6 within Jobcentre office by @trialkit/allocation)
 *     → files: trial CSV, allocation list CSV + list.meta.json, truth (datasets/generated/whp-rct*)
 *     → verifyList (@trialkit/allocation): regenerate the list from its metadata (scheme, version, seed) and the
 *       participants (ids, office), byte for byte, and compare every row's arm in the analysis file with the list
 *     → readData → buildReport(plan) + writeReport: ITT (blocked difference in means), first stage, CACE (2SLS),
 *       risk ratio, subgroups, time to first job (KM, log-rank, Cox, RMST), compliance by office and month, τ(λ)
 *     → library calls for what the report does not show: Lin covariate adjustment, Balke–Pearl bounds,
 *       per-protocol / as-treated (to show their bias), subgroup CACEs and treatment × subgroup interaction tests,
 *       the monthly rise in contamination, randomisation inference by re-running the block scheme, cost per job
 *       (gross, and net of the controls' similar support it displaces)
 *     → every number beside the simulator's truth
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256File, sha256Hex, TRIALKIT_VERSION, type Estimate } from '@trialkit/core';
import { readData, writeData } from '@trialkit/data';
import { metaToJson, participantsFromDataset, requestFromMeta, schemeRedraw, verifyList, type AllocationMeta } from '@trialkit/allocation';
import { estimate, lmRobust, subgroupAnalysis, type CoefficientRow, type ComplianceResult, type HeterogeneityTest } from '@trialkit/estimators';
import { simulateWhp, type WhpTruth } from '@trialkit/datasets';
import { buildReport, readPlan, writeReport, type ReportInput } from '@trialkit/report';
import { covers, numbers, pick, subset, texts, type SchemeRandomisationTest } from './tools.js';

export const PLAN_PATH = fileURLToPath(new URL('../plan.json', import.meta.url));
export const DEFAULT_SEED = 'whp-rct-2026';
const JOB = 'job_outcome';
const EARNINGS = 'earnings';
const TIME = 'days_to_first_job';
const EXIT = 'benefit_exit';
const ASSIGNMENT = 'assigned';
const RECEIVED = 'started';
const COVARIATES = ['age', 'female', 'disabled', 'months_out_of_work', 'prior_earnings', 'office'] as const;
/**
 * simulateWhp gives a short (< 13 weeks) job to 25 % of people whose job outcome is 0 (EARNINGS.shortJobShare in
 * datasets/src/whp.ts), and a first job to everyone whose job outcome is 1. A complier whose job outcome the
 * programme switches on had a job start anyway with probability 0.25, so the programme raises compliers' chance of
 * any job start within 365 days by (1 − 0.25) × CACE.
 */
const SHORT_JOB_SHARE = 0.25;

export interface WhpRctOptions {
  /** Folder for the trial file, allocation list, its metadata and the truth. */
  readonly dataDir: string;
  /** Path of the HTML report. */
  readonly reportPath: string;
  readonly n?: number;
  readonly seed?: string;
  /** Redraws of the block allocation for the randomisation test (default 500). */
  readonly riDraws?: number;
  /** Fixed time stamp for the report's provenance (tests pass one so the file is reproducible). */
  readonly generatedAt?: string;
}

export interface AllocationCheck {
  readonly ok: boolean;
  readonly schemeVersion: string;
  readonly seedCommitment: string;
  readonly listSha256: string;
  readonly rows: number;
  readonly compared: number;
  readonly dataMismatches: number;
  readonly problems: readonly string[];
  readonly countsByOffice: readonly { office: string; control: number; whp: number }[];
}

export interface GroupRate {
  readonly label: string;
  readonly estimate: number;
  readonly confLow: number;
  readonly confHigh: number;
  readonly n: number;
  readonly truth: number;
}

export interface SubgroupRow {
  readonly subgroup: string;
  readonly level: string;
  readonly itt: Estimate;
  readonly cace: Estimate;
  readonly complierShare: number;
}

export interface Truths {
  readonly jobItt: number;
  readonly jobCace: number;
  readonly complierShare: number;
  readonly takeUp: number;
  readonly contamination: number;
  readonly earningsItt: number;
  readonly earningsCace: number;
  readonly benefitExitItt: number;
  readonly benefitExitCace: number;
  readonly incidenceItt: number;
  readonly monthlyRise: number;
  readonly costItt: number;
  readonly similarProvisionCostItt: number;
  readonly costPerJob: number;
  readonly netCostPerJob: number;
}

export interface WhpRctResult {
  readonly dataPath: string;
  readonly reportPath: string;
  readonly truth: WhpTruth;
  readonly truths: Truths;
  readonly allocation: AllocationCheck;
  readonly report: ReportInput;
  readonly job: {
    readonly itt: Estimate;
    readonly firstStage: Estimate;
    readonly cace: Estimate;
    readonly riskRatio: Estimate;
    readonly lin: Estimate;
    readonly linCace: Estimate;
    readonly perProtocol: Estimate;
    readonly asTreated: Estimate;
  };
  readonly earnings: { readonly itt: Estimate; readonly cace: Estimate };
  readonly benefitExit: { readonly itt: Estimate; readonly cace: Estimate };
  readonly timeToJob: { readonly hazardRatio: Estimate; readonly rmst: Estimate; readonly incidence: Estimate };
  readonly compliance: ComplianceResult;
  readonly byOffice: readonly GroupRate[];
  readonly byMonth: readonly GroupRate[];
  readonly monthlyRise: CoefficientRow;
  readonly sensitivity: readonly { lambda: number; estimate: number; confLow: number; confHigh: number }[];
  readonly bounds: { readonly lower: number; readonly upper: number };
  readonly subgroups: readonly SubgroupRow[];
  /** Treatment × subgroup interaction tests (subgroupAnalysis: lm_robust(y ~ z * factor(g)), HC2, robust Wald F and χ²). */
  readonly interactions: readonly { readonly subgroup: string; readonly test: HeterogeneityTest }[];
  readonly randomisation: SchemeRandomisationTest;
  /**
   * Programme cost: the ITT on `cost` (delivery cost per person offered), the ITT on `similar_provision_cost` (the
   * controls' similar support it displaces, negative), and each per additional job outcome (÷ the job ITT).
   */
  readonly cost: {
    readonly itt: Estimate;
    readonly similarProvisionItt: Estimate;
    readonly perAdditionalJob: number;
    readonly netPerAdditionalJob: number;
    /** The gross cost per job at the job ITT's confidence limits (cost ITT held fixed). */
    readonly perAdditionalJobRange: readonly [number, number] | null;
  };
  readonly summary: string;
}

const points = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)}`;
const percent = (x: number): string => `${(100 * x).toFixed(1)}%`;
const pounds = (x: number): string => `${x < 0 ? '−' : ''}£${Math.abs(x).toLocaleString('en-GB', { maximumFractionDigits: 0 })}`;
const ci = (e: { estimate: number; confLow: number; confHigh: number }, f: (x: number) => string): string => `${f(e.estimate)} (${f(e.confLow)} to ${f(e.confHigh)})`;
const signed1 = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}`;
const yes = (ok: boolean): string => (ok ? 'covers' : 'MISSES');

export async function runWhpRct(options: WhpRctOptions): Promise<WhpRctResult> {
  const n = options.n ?? 10_000;
  const seed = options.seed ?? DEFAULT_SEED;
  const riDraws = options.riDraws ?? 500;
  await mkdir(options.dataDir, { recursive: true });

  // 0. The plan comes first: it fixes outcomes, estimands, blocks, subgroups and groupings before any data exist.
  const { plan } = await readPlan(PLAN_PATH);
  const level = plan.level;

  // 1. Run the trial (simulated): allocation by permuted blocks within office, then outcomes.
  const trial = simulateWhp({ n, seed });
  const dataPath = join(options.dataDir, 'whp-rct.csv');
  const listPath = join(options.dataDir, 'whp-rct-allocation.csv');
  const metaPath = join(options.dataDir, 'whp-rct-allocation.meta.json');
  await writeData(dataPath, trial.data);
  await writeFile(listPath, trial.allocation.csv);
  await writeFile(metaPath, metaToJson(trial.allocation.meta));
  await writeFile(join(options.dataDir, 'whp-rct.truth.json'), `${JSON.stringify(trial.truth, null, 2)}\n`);

  // 2. The evaluator starts from the files: the analysis data, and the allocation list with its metadata.
  const data = await readData(dataPath);
  const listCsv = await readFile(listPath, 'utf8');
  const meta = JSON.parse(await readFile(metaPath, 'utf8')) as AllocationMeta;

  // 3. Allocation: regenerate the list from the metadata (scheme, version, seed, block sizes) and the participants
  //    (ids, office), compare it byte for byte with the list file, and each row's arm in the data with the list.
  const participants = participantsFromDataset(data, { id: 'id', strata: ['office'] });
  const verification = verifyList({ listCsv, meta, participants, data: { ids: texts(data, 'id'), assignments: texts(data, 'arm') } });
  const counts = meta.countsByStratum as Readonly<Record<string, Readonly<Record<string, number>>>> | undefined;
  const allocation: AllocationCheck = {
    ok: verification.ok,
    schemeVersion: verification.schemeVersion,
    seedCommitment: meta.seedCommitment,
    listSha256: sha256Hex(listCsv),
    rows: verification.rows,
    compared: verification.data?.compared ?? 0,
    dataMismatches: (verification.data?.mismatches.length ?? 0) + (verification.data?.missing.length ?? 0) + (verification.data?.extra.length ?? 0),
    problems: verification.problems.map((p) => `${p.code}: ${p.message}`),
    countsByOffice: Object.entries(counts ?? {})
      .map(([office, c]) => ({ office, control: c['control'] ?? 0, whp: c['whp'] ?? 0 }))
      .sort((a, b) => a.office.localeCompare(b.office)),
  };
  const verificationDetail = allocation.ok
    ? `The allocation list (${allocation.rows.toLocaleString('en-GB')} rows, SHA-256 ${allocation.listSha256}) was regenerated byte for byte from its metadata (${allocation.schemeVersion}, permuted blocks of 2, 4 or 6 within office; seed commitment ${allocation.seedCommitment.slice(0, 16)}…), and all ${allocation.compared.toLocaleString('en-GB')} rows of the analysis file carry the arm the list gave them.`
    : `Allocation verification failed: ${allocation.problems.join('; ')}`;

  // 4. The report runs exactly what the plan says, on the file as read.
  const built = await buildReport(plan, data, {
    allocationVerification: { status: allocation.ok ? 'verified' : 'failed', detail: verificationDetail },
    provenance: {
      dataFile: 'datasets/generated/whp-rct.csv',
      dataSha256: await sha256File(dataPath),
      planFile: 'analyses/whp-rct/plan.json',
      planSha256: await sha256File(PLAN_PATH),
      allocationVerification: { status: allocation.ok ? 'verified' : 'failed', detail: verificationDetail },
      software: [
        { name: 'trialkit', version: TRIALKIT_VERSION },
        { name: 'Node.js', version: process.versions.node },
      ],
      generatedAt: options.generatedAt ?? new Date().toISOString(),
      command: 'npm run analysis -w @trialkit/analysis-whp-rct',
    },
  });

  const whole = (e: Estimate): boolean => e['subgroup'] === undefined;
  const est = built.estimates;
  const jobItt = pick(est, (e) => whole(e) && e.outcome === JOB && e.estimand === 'ITT' && e.estimator === 'difference_in_means', 'job ITT');
  const riskRatio = pick(est, (e) => whole(e) && e.outcome === JOB && e.estimator === 'risk_ratio', 'job risk ratio');
  const firstStage = pick(est, (e) => whole(e) && e.estimand === 'first-stage', 'first-stage');
  const jobCace = pick(est, (e) => whole(e) && e.outcome === JOB && e.estimand === 'CACE', 'job CACE');
  const earningsItt = pick(est, (e) => whole(e) && e.outcome === EARNINGS && e.estimand === 'ITT' && e.estimator === 'difference_in_means', 'earnings ITT');
  const earningsCace = pick(est, (e) => whole(e) && e.outcome === EARNINGS && e.estimand === 'CACE', 'earnings CACE');
  const exitItt = pick(est, (e) => whole(e) && e.outcome === EXIT && e.estimand === 'ITT' && e.estimator === 'difference_in_means', 'benefit exit ITT');
  const exitCace = pick(est, (e) => whole(e) && e.outcome === EXIT && e.estimand === 'CACE', 'benefit exit CACE');
  const costItt = pick(est, (e) => whole(e) && e.outcome === 'cost' && e.estimand === 'ITT' && e.estimator === 'difference_in_means', 'cost ITT');
  const hazardRatio = pick(est, (e) => whole(e) && e.outcome === TIME && e.estimator === 'coxph', 'hazard ratio');
  const rmst = pick(est, (e) => whole(e) && e.outcome === TIME && e.estimator === 'rmst', 'RMST difference');
  const incidence = pick(est, (e) => whole(e) && e.outcome === TIME && e.estimator === 'km_cumulative_incidence', 'cumulative incidence');

  // 5. What the report does not show. The whole contamination analysis of the primary outcome, with the
  //    (descriptive) per-protocol and as-treated contrasts, compliance by office:
  const roles = { outcome: JOB, assignment: ASSIGNMENT, received: RECEIVED } as const;
  const main = estimate(data, { roles, level, by: 'office', protocolContrasts: true });
  const compliance = main.compliance!;
  const perProtocol = pick(main.estimates, (e) => e.estimand === 'per-protocol', 'per-protocol');
  const asTreated = pick(main.estimates, (e) => e.estimand === 'as-treated', 'as-treated');
  const officeTruth = new Map(trial.truth.contaminationByOffice.map((o) => [o.office, o.rate]));
  const byOffice: GroupRate[] = (compliance.byGroup?.groups ?? []).map((g) => ({
    label: g.label,
    estimate: g.contamination!.estimate,
    confLow: g.contamination!.confLow,
    confHigh: g.contamination!.confHigh,
    n: g.nControl,
    truth: officeTruth.get(g.label) ?? Number.NaN,
  }));
  const monthly = estimate(data, { roles, level, by: 'month' }).compliance!;
  const monthTruth = new Map(trial.truth.contaminationByMonth.map((m) => [String(m.month), m.rate]));
  const byMonth: GroupRate[] = (monthly.byGroup?.groups ?? [])
    .map((g) => ({
      label: g.label,
      estimate: g.contamination!.estimate,
      confLow: g.contamination!.confLow,
      confHigh: g.contamination!.confHigh,
      n: g.nControl,
      truth: monthTruth.get(g.label) ?? Number.NaN,
    }))
    .sort((a, b) => Number(a.label) - Number(b.label));
  // The rise in contamination over the trial: lm_robust(started ~ month, HC2) among controls.
  const controls = subset(data, (i) => numbers(data, ASSIGNMENT)[i] === 0);
  const rise = lmRobust({ outcome: numbers(controls, RECEIVED), columns: [{ name: 'month', values: numbers(controls, 'month') }], seType: 'HC2', level });
  const monthlyRise = rise.terms.find((t) => t.term === 'month')!;

  const sensitivity = (compliance.sensitivity?.rows ?? []).map((r) => ({ lambda: r.lambda, estimate: r.estimate!, confLow: r.confLow!, confHigh: r.confHigh! }));
  const bounds = { lower: compliance.bounds!.lower, upper: compliance.bounds!.upper };

  // Covariate adjustment (Lin 2013, office as dummies = block fixed effects): a precision check on the ITT and CACE.
  const adjusted = estimate(data, { roles: { ...roles, covariates: [...COVARIATES] }, lin: true, level });
  const lin = pick(adjusted.estimates, (e) => e.estimand === 'ITT', 'Lin ITT');
  const linCace = pick(adjusted.estimates, (e) => e.estimand === 'CACE', 'adjusted CACE');

  // Subgroups: ITT and CACE within each level, and the treatment × subgroup interaction test.
  const subgroups: SubgroupRow[] = [];
  for (const name of plan.subgroups) {
    const values = texts(data, name);
    for (const levelValue of [...new Set(values)].sort()) {
      const part = estimate(subset(data, (i) => values[i] === levelValue), { roles, level });
      subgroups.push({
        subgroup: name,
        level: levelValue,
        itt: pick(part.estimates, (e) => e.estimand === 'ITT', 'subgroup ITT'),
        cace: pick(part.estimates, (e) => e.estimand === 'CACE', 'subgroup CACE'),
        complierShare: pick(part.estimates, (e) => e.estimand === 'first-stage', 'subgroup first stage').estimate,
      });
    }
  }
  const interactions = plan.subgroups.map((name) => {
    const test = subgroupAnalysis(data, { roles: { outcome: JOB, assignment: ASSIGNMENT }, subgroup: name, level }).heterogeneity;
    if (test === null) throw new Error(`whp-rct: no interaction test for ${name}`);
    return { subgroup: name, test };
  });

  // Randomisation inference that redraws the allocation by the trial's own scheme and parameters (the list's
  // request re-run with derived seeds: @trialkit/allocation schemeRedraw, @trialkit/estimators' redraw RI).
  const request = requestFromMeta(meta, participants, meta.seed!);
  const riItt = pick(
    estimate(data, {
      roles: { outcome: JOB, assignment: ASSIGNMENT, blocks: 'office' },
      level,
      ri: { draws: riDraws, sourceRows: data.nRows, redraw: schemeRedraw(request, trial.truth.arms.treatment, seed), mechanism: `${meta.schemeVersion} re-run with derived seeds` },
    }).estimates,
    (e) => e.estimand === 'ITT',
    'randomisation-inference ITT',
  );
  const randomisation: SchemeRandomisationTest = {
    observed: riItt.estimate,
    draws: Number(riItt['riDraws']),
    pValue: Number(riItt['riPValue']),
    scheme: meta.schemeVersion,
  };

  // Cost: programme delivery cost per person offered (ITT on `cost`) per additional job outcome, gross and net of
  // the similar support it displaces among controls (ITT on `similar_provision_cost`, blocked as the plan's).
  const similarProvisionItt = pick(
    estimate(data, { roles: { outcome: 'similar_provision_cost', assignment: ASSIGNMENT, blocks: 'office' }, level }).estimates,
    (e) => e.estimand === 'ITT',
    'similar-provision cost ITT',
  );
  const cost = {
    itt: costItt,
    similarProvisionItt,
    perAdditionalJob: costItt.estimate / jobItt.estimate,
    netPerAdditionalJob: (costItt.estimate + similarProvisionItt.estimate) / jobItt.estimate,
    perAdditionalJobRange: jobItt.confLow > 0 ? ([costItt.estimate / jobItt.confHigh, costItt.estimate / jobItt.confLow] as const) : null,
  };

  const pop = trial.truth.population;
  const truths: Truths = {
    jobItt: pop.itt,
    jobCace: pop.cace,
    complierShare: pop.complierShare,
    takeUp: pop.takeUp,
    contamination: pop.contamination,
    earningsItt: pop.earningsItt,
    earningsCace: pop.earningsCace,
    benefitExitItt: pop.benefitExitItt,
    benefitExitCace: pop.benefitExitCace,
    incidenceItt: pop.complierShare * (1 - SHORT_JOB_SHARE) * pop.cace,
    monthlyRise: 0.012,
    costItt: pop.costItt,
    similarProvisionCostItt: pop.similarProvisionCostItt,
    costPerJob: pop.costPerAdditionalJobOutcome,
    netCostPerJob: pop.netCostPerAdditionalJobOutcome,
  };

  // 6. The report gains, in its Methods, what the script ran beyond the plan (labelled as such: CONSORT 21d) and
  //    the simulator's truth, then is written.
  const pop0 = trial.truth.population;
  const extra = [
    `Additional analyses, not in the plan, run by the analysis script (analyses/whp-rct/src/whp.ts) on the same file: ` +
      `Lin (2013) covariate-adjusted ITT on the job outcome (age, sex, disability, months out of work, prior earnings, office; HC2) ${ci(lin, points)} points, CACE ${ci(linCace, points)}; ` +
      `randomisation inference that redraws the trial's own allocation scheme (${randomisation.draws} redraws of ${randomisation.scheme}, permuted blocks within office) p = ${randomisation.pValue.toFixed(4)}; ` +
      `contamination among controls rises by ${ci(monthlyRise, points)} points a month (lm_robust of receipt on month, HC2); ` +
      `Balke–Pearl bounds on the average effect on the job outcome [${points(bounds.lower)}, ${points(bounds.upper)}] points; ` +
      `descriptive per-protocol ${points(perProtocol.estimate)} and as-treated ${points(asTreated.estimate)} points (not randomised comparisons).`,
    `Subgroup CACEs on the job outcome (2SLS within each level, HC2): ${subgroups.map((g) => `${g.subgroup} = ${g.level} ${ci(g.cace, points)}`).join('; ')}.`,
    `Cost: delivery cost per person offered ${ci(costItt, pounds)}; similar support displaced among controls ${ci(similarProvisionItt, pounds)}; ` +
      `cost per additional job outcome ${pounds(cost.perAdditionalJob)}, ${pounds(cost.netPerAdditionalJob)} net of displaced support.`,
    `Simulated data, so the truth is known (simulateWhp, seed "${seed}"): complier share ${percent(pop0.complierShare)} (take-up ${percent(pop0.takeUp)}, contamination ${percent(pop0.contamination)}), ` +
      `ITT ${points(pop0.itt)} and CACE ${points(pop0.cace)} points on the job outcome, earnings ITT ${pounds(pop0.earningsItt)} and CACE ${pounds(pop0.earningsCace)}, ` +
      `benefit exit ITT ${points(pop0.benefitExitItt)} and CACE ${points(pop0.benefitExitCace)} points, cost per additional job outcome ${pounds(pop0.costPerAdditionalJobOutcome)}; ` +
      `the same complier effect in every subgroup; contamination rises by 1.2 points a month.`,
  ];
  const report: ReportInput = { ...built, methods: { ...built.methods, paragraphs: [...(built.methods?.paragraphs ?? []), ...extra] } };
  await writeReport(options.reportPath, report);

  const lambdaZero = sensitivity.find((r) => r.lambda === 0);
  const officeCovered = byOffice.filter((o) => covers(o, o.truth)).length;
  const summary = [
    `trialkit ${TRIALKIT_VERSION} — Work and Health Programme-style RCT (simulated, seed "${seed}", ${n.toLocaleString('en-GB')} people, ${allocation.countsByOffice.length} offices)`,
    '',
    `  allocation: ${allocation.ok ? 'verified' : 'FAILED'} — list regenerated from ${allocation.schemeVersion} + seed, SHA-256 ${allocation.listSha256.slice(0, 16)}…; ${allocation.compared.toLocaleString('en-GB')} rows of the data match the list (${allocation.dataMismatches} mismatches)`,
    `  compliance: take-up ${percent(compliance.takeUp.estimate)} (true ${percent(truths.takeUp)}), contamination ${percent(compliance.contamination.estimate)} (true ${percent(truths.contamination)}), complier share ${ci(firstStage, percent)} (true ${percent(truths.complierShare)})`,
    '',
    `  Job outcome (in work 13+ weeks within 12 months), percentage points, ${Math.round(level * 100)}% CI        truth`,
    `  ITT   ${ci(jobItt, points)}  blocked difference in means      ${points(truths.jobItt)}  ${yes(covers(jobItt, truths.jobItt))}`,
    `  ITT   ${ci(lin, points)}  Lin, covariates + office (HC2)   ${points(truths.jobItt)}  ${yes(covers(lin, truths.jobItt))}`,
    `  CACE  ${ci(jobCace, points)}  2SLS (HC2)                       ${points(truths.jobCace)}  ${yes(covers(jobCace, truths.jobCace))}`,
    `  risk ratio ${ci(riskRatio, (x) => x.toFixed(2))}; randomisation p: ${randomisation.pValue.toFixed(4)} redrawing ${randomisation.scheme} itself (${randomisation.draws} draws), ${Number(jobItt['riPValue']).toFixed(4)} in the report (complete within office, ${String(jobItt['riDraws'])} draws)`,
    `  descriptive contrasts (not randomised comparisons): per-protocol ${points(perProtocol.estimate)}, as-treated ${points(asTreated.estimate)} against a true CACE of ${points(truths.jobCace)}`,
    '',
    `  Earnings over 12 months: ITT ${ci(earningsItt, pounds)} (true ${pounds(truths.earningsItt)}), CACE ${ci(earningsCace, pounds)} (true ${pounds(truths.earningsCace)})`,
    `  Benefit exit within 12 months: ITT ${ci(exitItt, points)} (true ${points(truths.benefitExitItt)}), CACE ${ci(exitCace, points)} (true ${points(truths.benefitExitCace)})`,
    `  Time to first job: HR ${ci(hazardRatio, (x) => x.toFixed(3))}; any job start by 365 days ${ci(incidence, points)} points (true ${points(truths.incidenceItt)}); RMST difference to 365 days ${ci(rmst, signed1)} days`,
    '',
    `  Contamination by office: ${percent(Math.min(...byOffice.map((o) => o.estimate)))} to ${percent(Math.max(...byOffice.map((o) => o.estimate)))}; Wilson CIs cover the office's true rate in ${officeCovered} of ${byOffice.length}`,
    `  Contamination rises ${points(monthlyRise.estimate)} points a month (${points(monthlyRise.confLow)} to ${points(monthlyRise.confHigh)}; true ${points(truths.monthlyRise)}): month 1 ${percent(byMonth[0]?.estimate ?? Number.NaN)}, month ${byMonth.length} ${percent(byMonth.at(-1)?.estimate ?? Number.NaN)}`,
    `  τ(λ): λ = 1 (contaminated controls got the full effect; the CACE) ${points(sensitivity.at(-1)?.estimate ?? Number.NaN)}; λ = 0 (their support did nothing; ITT / take-up) ${points(lambdaZero?.estimate ?? Number.NaN)}`,
    `  Balke–Pearl bounds on the average effect (no monotonicity): [${points(bounds.lower)}, ${points(bounds.upper)}] points`,
    '',
    '  Subgroups (ITT, CACE; points)',
    ...subgroups.map((s) => `  ${`${s.subgroup} = ${s.level}`.padEnd(28)} ITT ${ci(s.itt, points).padEnd(24)} CACE ${ci(s.cace, points)}`),
    ...interactions.map(({ subgroup, test: t }) => `  interaction assigned × ${subgroup}: F = ${t.fStatistic.toFixed(2)} on (${t.dfNumerator}, ${t.dfDenominator}) df, p = ${t.pValue.toFixed(3)}; χ² p = ${t.chiSquarePValue.toFixed(3)} (true: no difference)`),
    '',
    `  cost: ${ci(costItt, pounds)} delivery cost per person offered (true ${pounds(truths.costItt)}), ${ci(similarProvisionItt, pounds)} similar support displaced (true ${pounds(truths.similarProvisionCostItt)})`,
    `        ${pounds(cost.perAdditionalJob)} per additional job outcome (true ${pounds(truths.costPerJob)}), ${pounds(cost.netPerAdditionalJob)} net of displaced support (true ${pounds(truths.netCostPerJob)})`,
    '',
    `  data:   ${dataPath} (+ allocation list, metadata, truth)`,
    `  report: ${options.reportPath}`,
  ].join('\n');

  return {
    dataPath,
    reportPath: options.reportPath,
    truth: trial.truth,
    truths,
    allocation,
    report,
    job: { itt: jobItt, firstStage, cace: jobCace, riskRatio, lin, linCace, perProtocol, asTreated },
    earnings: { itt: earningsItt, cace: earningsCace },
    benefitExit: { itt: exitItt, cace: exitCace },
    timeToJob: { hazardRatio, rmst, incidence },
    compliance,
    byOffice,
    byMonth,
    monthlyRise,
    sensitivity,
    bounds,
    subgroups,
    interactions,
    randomisation,
    cost,
    summary,
  };
}
