/**
 * `trialkit estimate`: ITT (and, with --received, first stage and CACE) as R's estimatr computes them.
 * Reads the data (CSV, Parquet, JSON by extension), hands the roles to @trialkit/estimators, prints a table or JSON.
 */
import type { Command } from 'commander';
import { estimateToJSON, makeEstimate, type Dataset, type Diagnostic, type Estimate } from '@trialkit/core';
import { closestName, dataErrors, prepareTrial, readData, type ColumnRoles } from '@trialkit/data';
import {
  attritionAnalysis,
  adjustPValues,
  BOOT_INTERVALS,
  bootstrapItt,
  bootstrapRatio,
  estimate,
  P_ADJUST_METHODS,
  subgroupAnalysis,
  type EstimateResult,
  type PAdjustMethod,
  type AttritionAnalysis,
  type SubgroupAnalysis,
  type ComplianceResult,
  type EstimateSpec,
  type RandomisationInferenceOptions,
} from '@trialkit/estimators';
import { allocationRedraws } from '../allocation-redraws.js';
import { cliErrors } from '../errors.js';
import {
  formatDiagnostics,
  formatNumber,
  formatPValue,
  formatTable,
  parseChoice,
  parseList,
  parseNumberOption,
  processOutput,
  toJson,
} from '../io.js';

const SE_TYPES = ['classical', 'HC0', 'HC1', 'HC2', 'HC3', 'CR0', 'CR2', 'stata'] as const;
const MEASURES = ['rd', 'rr', 'or'] as const;

interface EstimateOptions {
  data: string;
  outcome: string;
  assignment: string;
  received?: string;
  covariates?: string;
  cluster?: string;
  blocks?: string;
  se?: string;
  lin?: boolean;
  level: string;
  measure?: string;
  newcombe?: boolean;
  by?: string;
  protocol?: boolean;
  ri?: string;
  seed?: string;
  allocationDir?: string;
  responded?: string;
  attrition?: boolean;
  subgroups?: string;
  pAdjust?: string;
  bootstrap?: string;
  bootstrapInterval?: string;
  ratioTo?: string;
  control?: string;
  treatment?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('estimate')
    .description('estimate the ITT, and with --received the first stage and the CACE (2SLS), matching R estimatr')
    .requiredOption('--data <file>', 'data file: .csv, .parquet or .json')
    .requiredOption('--outcome <columns>', 'outcome column (binary outcomes as 0/1); several, comma-separated, for a family of outcomes')
    .requiredOption('--assignment <column>', 'random assignment column (two arms)')
    .option('--received <column>', 'treatment actually received (0/1): adds the first stage and the CACE by IV')
    .option('--covariates <columns>', 'baseline covariates, comma-separated (lm_robust; with --lin, lm_lin)')
    .option('--cluster <column>', 'cluster column (CR2 with Bell–McCaffrey df by default)')
    .option('--blocks <column>', 'block / stratum column (blocked difference in means)')
    .option('--se <type>', `variance type: ${SE_TYPES.join('|')} (default as estimatr: HC2, or CR2 with --cluster)`)
    .option('--lin', "Lin's estimator: covariates centred and interacted with assignment")
    .option('--level <level>', 'confidence level', '0.95')
    .option('--measure <measure>', 'binary outcomes: rd (risk difference), rr (risk ratio), or (odds ratio)')
    .option('--newcombe', 'binary outcomes: add the Newcombe hybrid score CI for the risk difference')
    .option('--by <column>', 'take-up and contamination per group of this column (e.g. office, month)')
    .option('--protocol', 'with --received: add per-protocol and as-treated contrasts (descriptive, not randomised)')
    .option('--ri <draws>', 'randomisation inference: the ITT p-value, and with --received a CACE set by test inversion, from this many redraws of the assignment (exact when fewer are possible)')
    .option('--seed <seed>', 'seed for --ri and --bootstrap (an integer or text); required with them so the result can be reproduced')
    .option('--allocation-dir <dir>', "with --ri: redraw by the trial's own allocation scheme and seed (the list and .meta.json from trialkit allocate in this directory, or the list file itself)")
    .option('--bootstrap <reps>', 'bootstrap CIs for the ITT, and with --received the CACE (Wald ratio), resampling rows or clusters within blocks × arm; needs --seed')
    .option('--bootstrap-interval <type>', `the bootstrap interval reported as the CI: ${BOOT_INTERVALS.join('|')} (default bca; all four are in --json)`)
    .option('--ratio-to <column>', 'with --bootstrap: the ratio ITT(outcome)/ITT(column), e.g. cost per additional job outcome, with its bootstrap CI')
    .option('--p-adjust <method>', `with several outcomes: adjust the ITT p-values across them (${P_ADJUST_METHODS.join('|')}, as R's p.adjust)`)
    .option('--subgroups <columns>', 'pre-specified subgroups, comma-separated: the ITT in each level and the treatment × subgroup interaction test (robust Wald)')
    .option('--responded <column>', 'follow-up survey response (0/1): response by arm, its test, and Lee (2009) bounds on the ITT for always-responders')
    .option('--attrition', 'as --responded, taking response = the outcome is present')
    .option('--control <value>', 'the value of --assignment that means control (default: the first sorted value)')
    .option('--treatment <value>', 'the value of --assignment that means treatment (default: the second sorted value)')
    .option('--json', 'print {estimates, compliance, diagnostics} as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ trialkit estimate --data trial.csv --outcome job_outcome --assignment assigned
  $ trialkit estimate --data trial.csv --outcome job_outcome --assignment assigned --received started --by office
  $ trialkit estimate --data trial.parquet --outcome earnings --assignment assigned --covariates age,disabled --cluster office --json
  $ trialkit estimate --data trial.csv --outcome job_outcome --assignment assigned --blocks office --ri 10000 --seed 2026
  $ trialkit estimate --data trial.csv --outcome job_outcome --assignment arm --blocks office --ri 2000 --seed 2026 --allocation-dir allocation/
  $ trialkit estimate --data survey.csv --outcome wellbeing --assignment assigned --responded responded
  $ trialkit estimate --data trial.csv --outcome job_outcome --assignment assigned --subgroups disabled,health
  $ trialkit estimate --data trial.csv --outcome job_outcome,benefit_exit,earnings --assignment assigned --p-adjust holm
  $ trialkit estimate --data trial.csv --outcome cost --assignment assigned --blocks office --bootstrap 2000 --seed 7 --ratio-to job_outcome`,
    )
    .action(async (options: EstimateOptions) => {
      const level = parseNumberOption('--level', options.level, {
        min: 0,
        max: 1,
        exclusive: true,
        description: 'a number between 0 and 1, such as 0.95',
      });
      const spec: EstimateSpec = {
        roles: {
          outcome: options.outcome,
          assignment: options.assignment,
          ...(options.received !== undefined ? { received: options.received } : {}),
          ...(options.covariates !== undefined ? { covariates: parseList(options.covariates) } : {}),
          ...(options.cluster !== undefined ? { cluster: options.cluster } : {}),
          ...(options.blocks !== undefined ? { blocks: options.blocks } : {}),
        },
        ...(options.control !== undefined || options.treatment !== undefined
          ? {
              arms: {
                ...(options.control !== undefined ? { control: options.control } : {}),
                ...(options.treatment !== undefined ? { treatment: options.treatment } : {}),
              },
            }
          : {}),
        ...(options.se !== undefined ? { se: parseChoice('--se', options.se, SE_TYPES) } : {}),
        ...(options.lin === true ? { lin: true } : {}),
        ...(options.measure !== undefined ? { measure: parseChoice('--measure', options.measure, MEASURES) } : {}),
        ...(options.newcombe === true ? { newcombe: true } : {}),
        ...(options.by !== undefined ? { by: options.by } : {}),
        ...(options.protocol === true ? { protocolContrasts: true } : {}),
        level,
      };
      const outcomes = parseList(options.outcome);
      const pAdjust = options.pAdjust === undefined ? undefined : parseChoice('--p-adjust', options.pAdjust, P_ADJUST_METHODS);
      if (pAdjust !== undefined && outcomes.length < 2) throw cliErrors.pAdjustNeedsOutcomes();
      // Option combinations are checked before the data is read.
      if (options.allocationDir !== undefined && options.ri === undefined) throw cliErrors.allocationDirWithoutRi();
      if (options.bootstrap === undefined && (options.ratioTo !== undefined || options.bootstrapInterval !== undefined)) throw cliErrors.bootstrapRequired();
      // Redrawing a whole allocation scheme is slow per draw, so its progress shows from the first thousand draws.
      const ri = options.ri === undefined ? undefined : riOptions(options.ri, options.seed, options.allocationDir !== undefined ? 1_000 : 20_000);
      const data = await readData(options.data);
      // The trial's own scheme is checked against the data once, then redrawn for every outcome.
      const riSpec =
        ri === undefined || options.allocationDir === undefined
          ? ri
          : allocationRedraws({
              dir: options.allocationDir,
              data,
              assignment: options.assignment,
              ...(options.control !== undefined ? { control: options.control } : {}),
              ...(options.treatment !== undefined ? { treatment: options.treatment } : {}),
              draws: ri.draws,
              seed: ri.seed,
              ...(ri.onProgress !== undefined ? { onProgress: ri.onProgress } : {}),
            });
      const estimateOne = (outcome: string): EstimateResult =>
        estimate(data, { ...spec, roles: { ...spec.roles, outcome }, ...(riSpec === undefined ? {} : { ri: riSpec }) });
      const combined = combineOutcomes(outcomes.map(estimateOne), pAdjust);
      const result =
        options.bootstrap === undefined
          ? combined
          : { ...combined, estimates: [...combined.estimates, ...bootstrapEstimates(data, spec, outcomes, options, level)] };
      // Attrition and subgroups for each outcome in turn.
      const attrition =
        options.responded !== undefined || options.attrition === true
          ? outcomes.map((outcome) =>
              attritionAnalysis(data, {
                outcome,
                assignment: options.assignment,
                ...(options.responded !== undefined ? { responded: options.responded } : {}),
                ...(spec.arms !== undefined ? { arms: spec.arms } : {}),
                ...(options.blocks !== undefined ? { blocks: options.blocks } : {}),
                ...(options.cluster !== undefined ? { cluster: options.cluster } : {}),
                level,
              }),
            )
          : null;
      const { ri: _ri, by: _by, measure: _measure, newcombe: _newcombe, protocolContrasts: _protocol, ...subgroupSpec } = spec;
      const subgroups =
        options.subgroups === undefined
          ? null
          : outcomes.flatMap((outcome) =>
              parseList(options.subgroups!).map((subgroup) => subgroupAnalysis(data, { ...subgroupSpec, roles: { ...subgroupSpec.roles, outcome }, subgroup })),
            );
      if (options.json === true) {
        processOutput.stdout(
          toJson({
            estimates: result.estimates.map(estimateToJSON),
            compliance: result.compliance ?? null,
            ...(subgroups === null
              ? {}
              : {
                  subgroups: subgroups.map((g) => ({
                    ...g,
                    levels: g.levels.map((l) => ({ ...l, estimate: l.estimate === null ? null : estimateToJSON(l.estimate) })),
                    contrast: g.contrast === null ? null : estimateToJSON(g.contrast),
                  })),
                }),
            ...(attrition === null ? {} : { attrition }),
            diagnostics: result.diagnostics,
          }),
        );
        return;
      }
      processOutput.stdout(formatEstimates(result.estimates, level));
      processOutput.stdout(formatRandomisationInference(result.estimates));
      processOutput.stdout(formatBootstrap(result.estimates, level));
      processOutput.stdout(formatCaceInference(result.estimates));
      if (result.compliance !== null) processOutput.stdout(formatCompliance(result.compliance, level));
      if (subgroups !== null) for (const g of subgroups) processOutput.stdout(formatSubgroups(g, level, options.blocks !== undefined));
      if (attrition !== null) for (const a of attrition) processOutput.stdout(formatAttrition(a));
      processOutput.stdout(
        formatDiagnostics(uniqueDiagnostics([
          ...result.diagnostics,
          ...result.estimates.flatMap((e) => e.diagnostics),
          ...(subgroups === null ? [] : subgroups.flatMap((g) => [...g.diagnostics, ...g.levels.flatMap((l) => l.diagnostics)])),
          ...(attrition === null ? [] : attrition.flatMap((a) => a.diagnostics)),
        ])),
      );
    });
}

/**
 * Several outcomes: their estimates one after another, compliance of the first (take-up does not depend on the
 * outcome), diagnostics of all; with --p-adjust, each ITT gains pAdjusted (R's p.adjust over the outcomes' ITT
 * p-values, in the order given) and pAdjustMethod.
 */
function combineOutcomes(results: readonly EstimateResult[], method: PAdjustMethod | undefined): EstimateResult {
  if (results.length === 1 && method === undefined) return results[0]!;
  const itts = results.map((r) => r.estimates[0]); // the ITT on the outcome's own scale comes first
  const adjusted = method === undefined ? [] : adjustPValues(itts.map((e) => e?.pValue ?? Number.NaN), method);
  const estimates = results.flatMap((r, k) =>
    r.estimates.map((e) => (method !== undefined && e === itts[k] ? makeEstimate({ ...e, pAdjusted: adjusted[k]!, pAdjustMethod: method, pAdjustFamily: results.length }) : e)),
  );
  const seen = new Set<string>();
  const diagnostics = results.flatMap((r) => r.diagnostics).filter((d) => {
    const key = `${d.code}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { estimates, compliance: results[0]!.compliance, diagnostics };
}

/**
 * --bootstrap R --seed S: a bootstrap ITT for each outcome (estimator "bootstrap": resampling rows, or clusters,
 * within block × arm strata; BCa by default), with --received the CACE as the Wald ratio ITT(Y)/ITT(D) on the same
 * resamples, and with --ratio-to C the ratio ITT(outcome)/ITT(C) — na.omit over the columns of each ratio together,
 * so both ITTs use the same people.
 */
function bootstrapEstimates(data: Dataset, spec: EstimateSpec, outcomes: readonly string[], options: EstimateOptions, level: number): Estimate[] {
  const reps = parseNumberOption('--bootstrap', options.bootstrap!, { integer: true, min: 1, max: 10_000_000, description: 'a whole number of replicates, such as 2000' });
  if (options.seed === undefined) throw cliErrors.seedRequired('--bootstrap');
  const interval = options.bootstrapInterval === undefined ? undefined : parseChoice('--bootstrap-interval', options.bootstrapInterval, BOOT_INTERVALS);
  const progress = process.stderr.isTTY === true && reps >= 5_000;
  const common = {
    reps,
    seed: options.seed,
    level,
    ...(interval === undefined ? {} : { interval }),
    ...(progress ? { onProgress: (done: number, total: number) => processOutput.stderr(`\rbootstrap: ${done.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} replicates${done === total ? '\n' : ''}`) } : {}),
  };
  const design: ColumnRoles = {
    outcome: outcomes[0]!,
    assignment: spec.roles.assignment,
    ...(spec.roles.blocks !== undefined ? { blocks: spec.roles.blocks } : {}),
    ...(spec.roles.cluster !== undefined ? { cluster: spec.roles.cluster } : {}),
  };
  const out: Estimate[] = [];
  for (const outcome of outcomes) {
    out.push(bootstrapItt(prepareTrial(data, { ...design, outcome }, spec.arms), common));
    // With --received: the CACE as the Wald ratio ITT(outcome)/ITT(received) on the same resamples — a bootstrap
    // interval that does not rest on the delta method (asymmetric when the first stage is weak).
    const received = spec.roles.received;
    if (received !== undefined) {
      const trial = prepareTrial(data, { ...design, outcome, covariates: [received] }, spec.arms);
      const wald = bootstrapRatio(trial, { ...common, denominator: received });
      out.push(makeEstimate({ ...wald, estimand: 'CACE', term: received, outcome, bootRatio: `${outcome}/${received}` }));
    }
  }
  if (options.ratioTo !== undefined) {
    const names = data.columns.map((c) => c.name);
    if (!names.includes(options.ratioTo)) throw dataErrors.missingColumn('ratio denominator (--ratio-to)', options.ratioTo, names, closestName(options.ratioTo, names));
    const trial = prepareTrial(data, { ...design, covariates: [options.ratioTo] }, spec.arms);
    out.push(bootstrapRatio(trial, { ...common, denominator: options.ratioTo }));
  }
  return out;
}

/** --ri N --seed S: the draws, the seed, and a progress line on stderr for long runs at a terminal. */
function riOptions(draws: string, seed: string | undefined, progressFrom: number): RandomisationInferenceOptions {
  const n = parseNumberOption('--ri', draws, { integer: true, min: 1, max: 100_000_000, description: 'a whole number of draws, such as 10000' });
  if (seed === undefined) throw cliErrors.seedRequired('--ri');
  const progress = process.stderr.isTTY === true && n >= progressFrom;
  return {
    draws: n,
    seed,
    ...(progress
      ? { onProgress: (done: number, total: number) => processOutput.stderr(`\rrandomisation inference: ${done.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} draws${done === total ? '\n' : ''}`) }
      : {}),
  };
}

/** The readable table: one row per estimate. */
export function formatEstimates(estimates: readonly Estimate[], level: number): string {
  const percent = `${Math.round(level * 1000) / 10}%`;
  const adjusted = estimates.some((e) => typeof e['pAdjusted'] === 'number');
  const multi = new Set(estimates.map((e) => e.outcome)).size > 1;
  const rows = estimates.map((e) => [
    ...(multi ? [e.outcome ?? ''] : []),
    e.estimand,
    e.estimator,
    e.term,
    formatNumber(e.estimate),
    formatNumber(e.stdError),
    formatNumber(e.df, 1),
    formatPValue(e.pValue),
    ...(adjusted ? [typeof e['pAdjusted'] === 'number' ? formatPValue(e['pAdjusted']) : ''] : []),
    formatNumber(e.confLow),
    formatNumber(e.confHigh),
    e.seType,
    String(e.nObs),
  ]);
  const table = formatTable(
    [
      ...(multi ? ['outcome'] : []),
      'estimand',
      'estimator',
      'term',
      'estimate',
      'std.error',
      'df',
      'p',
      ...(adjusted ? [`p (${String(estimates.find((e) => typeof e['pAdjustMethod'] === 'string')?.['pAdjustMethod'])})`] : []),
      `${percent} low`,
      `${percent} high`,
      'se',
      'n',
    ],
    rows,
  );
  const ratios = estimates.some((e) => e.estimator === 'risk_ratio' || e.estimator === 'odds_ratio');
  const normal = estimates.some((e) => !Number.isFinite(e.df));
  return (
    table +
    (ratios ? 'risk_ratio, odds_ratio: estimate and CI on the ratio scale; std.error is that of the log ratio.\n' : '') +
    (normal ? 'df NA: the p-value and CI use the normal distribution.\n' : '')
  );
}

/** Take-up, contamination and the compliance shares, then per group when --by was given. */
export function formatCompliance(compliance: ComplianceResult, level: number): string {
  const percent = (x: number | null | undefined): string =>
    x === null || x === undefined || !Number.isFinite(x) ? 'NA' : `${(100 * x).toFixed(1)}%`;
  const interval = (p: { estimate: number; confLow: number; confHigh: number } | null): [string, string] =>
    p === null ? ['NA', 'NA'] : [percent(p.estimate), `${percent(p.confLow)} to ${percent(p.confHigh)}`];
  const ci = `${Math.round(level * 1000) / 10}% CI`;
  const rows = [
    ['take-up (treatment arm)', ...interval(compliance.takeUp), `${compliance.counts.treatmentTookUp}/${compliance.nTreatment}`],
    ['contamination (control arm)', ...interval(compliance.contamination), `${compliance.counts.controlTookUp}/${compliance.nControl}`],
    ['compliers', ...interval(compliance.shares.compliers), ''],
    ['always-takers', ...interval(compliance.shares.alwaysTakers), ''],
    ['never-takers', ...interval(compliance.shares.neverTakers), ''],
  ];
  let text = `\nCompliance (${compliance.noncompliance} noncompliance; shares assume no defiers)\n`;
  text += formatTable(['', 'share', ci, 'count'], rows);
  if (compliance.byGroup !== null) {
    text += `\nBy ${compliance.byGroup.name}\n`;
    text += formatTable(
      [compliance.byGroup.name, 'take-up', ci, 'contamination', ci, 'n treated', 'n control'],
      compliance.byGroup.groups.map((g) => [
        g.label,
        ...interval(g.takeUp),
        ...interval(g.contamination),
        String(g.nTreatment),
        String(g.nControl),
      ]),
    );
  }
  return text + formatContamination(compliance, level);
}

/** The ITT in each level of a subgroup and the interaction (heterogeneity) test, for --subgroups. */
export function formatSubgroups(g: SubgroupAnalysis, level: number, blocked = false): string {
  const percent = `${Math.round(level * 1000) / 10}%`;
  let text = `\nSubgroups of ${g.subgroup}: ITT of ${g.outcome} in each level\n`;
  text += formatTable(
    [g.subgroup, 'estimate', 'std.error', 'p', `${percent} low`, `${percent} high`, 'n treated', 'n control'],
    g.levels.map((l) =>
      l.estimate === null
        ? [l.level, 'not estimated', '', '', '', '', String(l.nTreatment), String(l.nControl)]
        : [
            l.level,
            formatNumber(l.estimate.estimate),
            formatNumber(l.estimate.stdError),
            formatPValue(l.estimate.pValue),
            formatNumber(l.estimate.confLow),
            formatNumber(l.estimate.confHigh),
            String(l.nTreatment),
            String(l.nControl),
          ],
    ),
  );
  const h = g.heterogeneity;
  if (h !== null) {
    const p = (x: number): string => (x < 1e-4 ? 'p < 0.0001' : `p = ${formatPValue(x)}`);
    text += `Interaction test (${h.estimator}, ${h.seType}; does the effect differ by ${g.subgroup}?): F(${h.dfNumerator}, ${formatNumber(h.dfDenominator, 0)}) = ${formatNumber(h.fStatistic)}, ${p(h.pValue)}; χ²(${h.q}) ${p(h.chiSquarePValue)}\n`;
  }
  const c = g.contrast;
  if (c !== null) {
    const names = h === null ? '' : ` (${h.levelsTested[1]} − ${h.levelsTested[0]})`;
    // With blocks, the levels' ITTs above are blocked differences in means (block-size weights) but the interaction
    // comes from the regression with block fixed effects (precision weights), so the two need not agree exactly.
    const source = blocked ? ', interaction coefficient of the regression with block fixed effects' : '';
    text += `Difference between the two levels' effects${names}${source}: ${formatNumber(c.estimate)} (${percent} CI ${formatNumber(c.confLow)} to ${formatNumber(c.confHigh)})\n`;
  }
  for (const l of g.levels) if (!l.estimated && l.reason !== undefined) text += `${g.subgroup} = ${l.level} not estimated: ${l.reason}\n`;
  return text;
}

/** Response by arm, its tests, and Lee bounds, when --responded or --attrition was given. */
export function formatAttrition(a: AttritionAnalysis): string {
  const percent = (x: number): string => `${(100 * x).toFixed(1)}%`;
  const ci = `${Math.round(a.level * 1000) / 10}% CI`;
  const pText = (p: number | null): string => (p === null ? 'p NA' : p < 1e-4 ? 'p < 0.0001' : `p = ${formatPValue(p)}`);
  const r = a.response;
  let text = `\nAttrition (${a.outcome}): response (${a.responded}) by arm\n`;
  text += formatTable(['arm', 'assigned', 'responded', 'rate'], [
    [`control (${r.control.label})`, String(r.control.nAssigned), String(r.control.nResponded), percent(r.control.responseRate)],
    [`treatment (${r.treatment.label})`, String(r.treatment.nAssigned), String(r.treatment.nResponded), percent(r.treatment.responseRate)],
  ]);
  const d = a.difference;
  text += `Difference in response (treatment − control): ${formatNumber(d.estimate)} (${ci} ${formatNumber(d.confLow)} to ${formatNumber(d.confHigh)}, ${pText(d.pValue)}, ${d.seType}); `;
  text += `Pearson χ² ${pText(a.chiSquare.pValue)}, Fisher exact ${pText(a.fisher.pValue)}\n`;
  const lee = a.lee;
  text += `\nLee (2009) bounds on the ITT for those who would respond in either arm (${lee.trimmedArm} responders trimmed by ${percent(lee.trimProportion)})\n`;
  text += formatTable(['', 'estimate', 'std.error'], [
    ['lower bound', formatNumber(lee.lower), formatNumber(lee.seLower)],
    ['upper bound', formatNumber(lee.upper), formatNumber(lee.seUpper)],
    ['respondents only (complete case)', formatNumber(lee.respondentDifference), ''],
  ]);
  text += `Imbens–Manski ${ci} for the effect: ${formatNumber(lee.ci.low)} to ${formatNumber(lee.ci.high)}; ${ci} for the whole bounds: ${formatNumber(lee.boundsCi.low)} to ${formatNumber(lee.boundsCi.high)}\n`;
  return text;
}

/** The same diagnostic from several estimates (e.g. two bootstraps with few replicates) is printed once. */
function uniqueDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The bootstrap estimates' intervals side by side, and how they were made. */
export function formatBootstrap(estimates: readonly Estimate[], level: number): string {
  const boot = estimates.filter((e) => e.estimator === 'bootstrap');
  if (boot.length === 0) return '';
  const percent = `${Math.round(level * 1000) / 10}%`;
  const pair = (x: unknown): string => {
    if (!Array.isArray(x) || x.length !== 2) return 'NA';
    const end = (v: unknown): string => (typeof v === 'number' && Number.isFinite(v) ? formatNumber(v) : v === null || v === Infinity || v === -Infinity ? '∞' : 'NA');
    return `${end(x[0]).replace(/^∞$/, '−∞')} to ${end(x[1])}`;
  };
  const first = boot[0]!;
  let text = `\nBootstrap ${percent} intervals (${String(first['bootReps'])} replicates of ${String(first['bootUnit'])}s within ${String(first['bootStrata'])} strata, seed ${String(first['bootSeed'])}; the table's CI is ${String(first['bootType'])})\n`;
  text += formatTable(
    ['outcome', 'estimand', 'percentile', 'BCa', 'normal', 'basic'],
    boot.map((e) => [e.outcome ?? '', e.estimand, pair(e['bootPercentile']), pair(e['bootBca']), pair(e['bootNormal']), pair(e['bootBasic'])]),
  );
  return text;
}

/** The randomisation p-value of the ITT, when --ri was given. */
export function formatRandomisationInference(estimates: readonly Estimate[]): string {
  const itt = estimates.find((e) => e.estimand === 'ITT');
  const p = itt?.['riPValue'];
  if (itt === undefined || typeof p !== 'number') return '';
  const exact = itt['riExact'] === true;
  const draws = Number(itt['riDraws']);
  const mechanism = itt['riMechanism'];
  // The smallest sampled p-value is 1/(1 + draws), so print it exactly rather than as "<0.0001".
  const shown = p < 1e-4 ? p.toExponential(2) : formatPValue(p);
  return `\nRandomisation inference (sharp null of no effect): p = ${shown}, ${
    exact
      ? `exact over all ${draws.toLocaleString('en-GB')} possible assignments`
      : `from ${draws.toLocaleString('en-GB')} redraws of the assignment${typeof mechanism === 'string' ? ` by the trial's own scheme (${mechanism})` : ''}`
  }\n`;
}

/** The CACE's weak-instrument check and its Anderson–Rubin set (valid however weak the first stage). */
export function formatCaceInference(estimates: readonly Estimate[]): string {
  const lines: string[] = [];
  for (const e of estimates) {
    if (e.estimand !== 'CACE') continue;
    const f = e['firstStageF'];
    if (typeof f === 'number') lines.push(`First-stage F (${e.seType}): ${formatNumber(f, 1)}${f < 10 ? ' — weak instrument: read the Anderson–Rubin set' : ''}`);
    const ar = e['andersonRubin'] as { shape: string; lower: number | null; upper: number | null; level: number } | undefined;
    if (ar !== undefined) {
      const percent = `${Math.round(ar.level * 1000) / 10}%`;
      const end = (x: number | null, infinite: string): string => (x === null ? infinite : formatNumber(x));
      const sets: Record<string, string> = {
        interval: `[${end(ar.lower, '−∞')}, ${end(ar.upper, '∞')}]`,
        'two-rays': `(−∞, ${end(ar.lower, '−∞')}] ∪ [${end(ar.upper, '∞')}, ∞): unbounded — the first stage is weak`,
        ray: ar.lower === null ? `(−∞, ${end(ar.upper, '∞')}]: unbounded below` : `[${end(ar.lower, '−∞')}, ∞): unbounded above`,
        'whole-line': '(−∞, ∞): the data cannot bound the CACE',
        empty: 'empty: no effect size is consistent with the data at this level',
      };
      const set = sets[ar.shape] ?? ar.shape;
      lines.push(`Anderson–Rubin ${percent} set for the CACE (${ar.shape}): ${set}`);
    }
    const ri = e['riSet'] as
      | { shape: string; intervals: { lower: number | null; upper: number | null }[]; level: number; exact: boolean; draws: number }
      | undefined;
    if (ri !== undefined) {
      const percent = `${Math.round(ri.level * 1000) / 10}%`;
      const pieces = ri.intervals.map((i) => `[${i.lower === null ? '−∞' : formatNumber(i.lower)}, ${i.upper === null ? '∞' : formatNumber(i.upper)}]`);
      const set = pieces.length === 0 ? 'empty' : pieces.join(' ∪ ');
      const basis = ri.exact ? `exact over all ${ri.draws.toLocaleString('en-GB')} assignments` : `${ri.draws.toLocaleString('en-GB')} redraws`;
      lines.push(`Randomisation ${percent} set for the CACE (test inversion of Y − τ·D, ${basis}; ${ri.shape}): ${set}`);
    }
  }
  return lines.length > 0 ? `\n${lines.join('\n')}\n` : '';
}

/** Complier means, τ(λ) sensitivity, bounds and complier characteristics, when they could be computed. */
function formatContamination(c: ComplianceResult, level: number): string {
  const ci = `${Math.round(level * 1000) / 10}% CI`;
  const interval = (x: { estimate: number; confLow: number; confHigh: number }): [string, string] => [
    formatNumber(x.estimate),
    `${formatNumber(x.confLow)} to ${formatNumber(x.confHigh)}`,
  ];
  let text = '';
  if (c.complierMeans !== null) {
    const m = c.complierMeans;
    text += `\nComplier means of ${m.outcome}\n`;
    text += formatTable(['', 'mean', ci], [
      ['E[Y(1) | complier]', ...interval(m.treatedComplierMean)],
      ['E[Y(0) | complier]', ...interval(m.untreatedComplierMean)],
      ['difference (CACE)', ...interval(m.cace)],
    ]);
  }
  if (c.sensitivity !== null) {
    text += '\nContamination sensitivity: τ(λ) = ITT / (take-up − λ × contamination), the effect if contaminated\n';
    text += 'controls received a share λ of it (λ = 1: the CACE; λ = 0: ITT / take-up)\n';
    text += formatTable(
      ['λ', 'τ(λ)', ci],
      c.sensitivity.rows.map((r) => [
        r.lambda.toFixed(2),
        formatNumber(r.estimate),
        r.confLow === null || r.confHigh === null ? 'unbounded' : `${formatNumber(r.confLow)} to ${formatNumber(r.confHigh)}`,
      ]),
    );
  }
  if (c.bounds !== null) {
    const b = c.bounds;
    text += `\nBalke–Pearl bounds on the average effect (binary outcome; no monotonicity or equal-effect assumption): [${formatNumber(b.lower)}, ${formatNumber(b.upper)}]`;
    text += b.instrumentalInequality.holds ? '\n' : ' — the instrumental inequality fails: the IV model is rejected by these data\n';
  }
  if (c.complierCharacteristics !== null && c.complierCharacteristics.covariates.length > 0) {
    text += '\nWho the CACE is about: covariate means (compliers by Abadie κ-weighting)\n';
    text += formatTable(
      ['covariate', 'all', 'compliers', ci, 'always-takers', 'never-takers'],
      c.complierCharacteristics.covariates.map((v) => [
        v.name,
        formatNumber(v.overall.estimate),
        ...interval(v.compliers),
        v.alwaysTakers === null ? 'NA' : formatNumber(v.alwaysTakers.estimate),
        v.neverTakers === null ? 'NA' : formatNumber(v.neverTakers.estimate),
      ]),
    );
  }
  return text;
}
