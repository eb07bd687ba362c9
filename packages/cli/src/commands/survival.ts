/**
 * `trialkit survival`: time to first job as R's survival package reports it — Kaplan–Meier per arm (median and
 * CI, number at risk), log-rank (stratified with --strata), Cox hazard ratio (Efron ties), RMST and cumulative
 * incidence differences at a horizon. Reads the data (CSV, Parquet, JSON by extension), hands the roles to
 * @trialkit/survival, prints readable tables or JSON.
 */
import type { Command } from 'commander';
import { estimateToJSON, TrialkitError, type Dataset, type Diagnostic, type Estimate } from '@trialkit/core';
import { closestName, dataErrors, prepareTrial, readData } from '@trialkit/data';
import {
  CONF_TYPES,
  coxInteractionTest,
  survivalAnalysis,
  type CoxInteractionResult,
  type SurvivalAnalysisResult,
  type SurvivalSpec,
} from '@trialkit/survival';
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
  type Output,
} from '../io.js';

const TIES = ['efron', 'breslow'] as const;

interface SurvivalOptions {
  data: string;
  time: string;
  event: string;
  assignment: string;
  strata?: string;
  covariates?: string;
  cluster?: string;
  robust?: boolean;
  ties: string;
  horizon?: string;
  times?: string;
  level: string;
  confType: string;
  control?: string;
  treatment?: string;
  subgroups?: string;
  json?: boolean;
}

/** Register the command. `output` is where it prints (tests pass a capturing one). */
export function register(program: Command, output: Output = processOutput): void {
  program
    .command('survival')
    .description('time to event by arm: Kaplan–Meier, log-rank, Cox hazard ratio, RMST — matching R survival')
    .requiredOption('--data <file>', 'data file: .csv, .parquet or .json')
    .requiredOption('--time <column>', 'follow-up time from randomisation (e.g. days to first job or to censoring)')
    .requiredOption('--event <column>', 'event indicator: 1 = event (e.g. started a job), 0 = censored')
    .requiredOption('--assignment <column>', 'random assignment column (two arms)')
    .option('--strata <column>', 'stratify the log-rank test and the Cox model by this column (e.g. site)')
    .option('--covariates <columns>', 'baseline covariates for the Cox model, comma-separated')
    .option('--cluster <column>', 'cluster column: robust clustered Cox variance (coxph cluster =)')
    .option('--robust', 'robust (sandwich) Cox variance, as coxph(robust = TRUE)')
    .option('--ties <method>', 'Cox tie handling: efron (coxph default) or breslow (Stata stcox default)', 'efron')
    .option('--horizon <time>', 'horizon for RMST and cumulative incidence, in time units (e.g. 365); default the ' +
      "shorter arm's last follow-up")
    .option('--times <list>', 'times for the number-at-risk table, comma-separated (e.g. 90,180,365)')
    .option('--level <level>', 'confidence level', '0.95')
    .option('--conf-type <type>', `pointwise CI for the curves: ${CONF_TYPES.join('|')} (survfit's default: log)`, 'log')
    .option('--subgroups <columns>', 'pre-specified subgroups, comma-separated: each level\'s hazard ratio and the treatment × subgroup interaction test (Wald χ² on coxph(Surv ~ z * factor(g)))')
    .option('--control <value>', 'the value of --assignment that means control (default: the first sorted value)')
    .option('--treatment <value>', 'the value of --assignment that means treatment (default: the second sorted value)')
    .option('--json', 'print {km, logRank, estimates, ...} as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ trialkit survival --data trial.csv --time days_to_job --event job --assignment assigned --horizon 365
  $ trialkit survival --data trial.parquet --time days_to_job --event job --assignment assigned --strata site --times 90,180,365 --json
  $ trialkit survival --data trial.csv --time days_to_job --event job --assignment assigned --subgroups disabled,health`,
    )
    .action(async (options: SurvivalOptions) => {
      const spec = specFromOptions(options);
      const data = await readData(options.data);
      const result = survivalAnalysis(data, spec);
      const subgroups = parseList(options.subgroups).map((subgroup) => subgroupHazards(data, spec, subgroup));
      if (options.json === true) {
        output.stdout(toJson({ ...survivalToJson(result), ...(subgroups.length > 0 ? { subgroups } : {}) }));
        return;
      }
      output.stdout(formatSurvival(result, spec));
      for (const g of subgroups) output.stdout(formatSubgroupHazards(g));
      output.stdout(
        formatDiagnostics([...result.diagnostics, ...result.estimates.flatMap((e) => e.diagnostics), ...subgroups.flatMap((g) => g.diagnostics)]),
      );
    });
}

export function specFromOptions(options: SurvivalOptions): SurvivalSpec {
  const level = parseNumberOption('--level', options.level, {
    min: 0,
    max: 1,
    exclusive: true,
    description: 'a number between 0 and 1, such as 0.95',
  });
  const horizon = options.horizon === undefined ? undefined : parseNumberOption('--horizon', options.horizon, {
    min: 0,
    exclusive: true,
    description: 'a positive number in the units of the time column, such as 365',
  });
  const times = parseList(options.times).map((t) =>
    parseNumberOption('--times', t, { min: 0, description: 'comma-separated numbers ≥ 0, such as 90,180,365' }));
  const covariates = parseList(options.covariates);
  return {
    time: options.time,
    event: options.event,
    assignment: options.assignment,
    ...(options.strata !== undefined ? { strata: options.strata } : {}),
    ...(covariates.length > 0 ? { covariates } : {}),
    ...(options.cluster !== undefined ? { cluster: options.cluster } : {}),
    ...(options.robust === true ? { robust: true } : {}),
    ...(horizon !== undefined ? { horizon } : {}),
    ...(times.length > 0 ? { times } : {}),
    ...(options.control !== undefined || options.treatment !== undefined
      ? {
          arms: {
            ...(options.control !== undefined ? { control: options.control } : {}),
            ...(options.treatment !== undefined ? { treatment: options.treatment } : {}),
          },
        }
      : {}),
    level,
    confType: parseChoice('--conf-type', options.confType, CONF_TYPES),
    ties: parseChoice('--ties', options.ties, TIES),
  };
}

/** The `--json` shape (issue 7): km per arm, logRank, estimates; plus the per-arm RMST / incidence and notes. */
export function survivalToJson(result: SurvivalAnalysisResult): Record<string, unknown> {
  return {
    km: result.km,
    logRank: result.logRank,
    estimates: result.estimates.map(estimateToJSON),
    rmst: result.rmst,
    cumulativeIncidence: result.cumulativeIncidence,
    arms: result.arms,
    horizon: result.horizon,
    level: result.level,
    confType: result.confType,
    nObs: result.nObs,
    nDropped: result.nDropped,
    diagnostics: result.diagnostics,
  };
}

/** More levels than this is not a pre-specified subgroup (as subgroupAnalysis's default maximumLevels). */
const MAXIMUM_SUBGROUP_LEVELS = 12;

/** One subgroup's hazard ratios and interaction test, JSON-safe (the model fit itself is left out). */
export interface SubgroupHazards {
  readonly subgroup: string;
  readonly levels: CoxInteractionResult['levels'];
  readonly test: CoxInteractionResult['test'];
  readonly contrast: CoxInteractionResult['contrast'];
  readonly ties: CoxInteractionResult['ties'];
  readonly seType: CoxInteractionResult['seType'];
  readonly level: number;
  readonly nObs: number;
  readonly nEvents: number;
  readonly nClusters?: number;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * coxInteractionTest on the complete cases over time, event, assignment, the subgroup and any strata / cluster
 * (prepareTrial's na.omit: the event enters as a numeric "covariate" only so that its missing rows are dropped too).
 */
function subgroupHazards(data: Dataset, spec: SurvivalSpec, subgroup: string): SubgroupHazards {
  if (!data.columns.some((c) => c.name === subgroup)) {
    const names = data.columns.map((c) => c.name);
    throw dataErrors.missingColumn('subgroup', subgroup, names, closestName(subgroup, names));
  }
  const trial = prepareTrial(
    data,
    {
      outcome: spec.time,
      assignment: spec.assignment,
      covariates: [spec.event],
      by: subgroup,
      ...(spec.strata !== undefined ? { blocks: spec.strata } : {}),
      ...(spec.cluster !== undefined ? { cluster: spec.cluster } : {}),
    },
    spec.arms,
  );
  const labels = (g: { codes: ArrayLike<number>; labels: readonly string[] }): string[] => Array.from(g.codes, (c) => g.labels[c]!);
  const levels = new Set(trial.by!.codes).size;
  if (levels > MAXIMUM_SUBGROUP_LEVELS) {
    throw new TrialkitError({
      code: 'CLI_SUBGROUP_TOO_MANY_LEVELS',
      argument: '--subgroups',
      column: subgroup,
      what: `"${subgroup}" has ${levels.toLocaleString('en-GB')} distinct values; a pre-specified subgroup has a few categories (at most ${MAXIMUM_SUBGROUP_LEVELS})`,
      hint: 'Group the column into a few categories first (e.g. age bands), or name another column.',
    });
  }
  const result = coxInteractionTest(trial.outcome.values, trial.covariates[0]!.values, trial.assignment.values, labels(trial.by!), {
    ties: spec.ties ?? 'efron',
    level: spec.level ?? 0.95,
    ...(trial.blocks !== undefined ? { strata: labels(trial.blocks) } : {}),
    ...(trial.cluster !== undefined ? { cluster: labels(trial.cluster) } : {}),
    ...(spec.robust === true ? { robust: true } : {}),
    assignmentName: spec.assignment,
    subgroupName: subgroup,
  });
  return {
    subgroup,
    levels: result.levels,
    test: result.test,
    contrast: result.contrast,
    ties: result.ties,
    seType: result.seType,
    level: result.level,
    nObs: result.nObs,
    nEvents: result.nEvents,
    ...(result.nClusters !== undefined ? { nClusters: result.nClusters } : {}),
    diagnostics: [...trial.diagnostics, ...result.diagnostics],
  };
}

export function formatSubgroupHazards(g: SubgroupHazards): string {
  const percent = `${Math.round(g.level * 1000) / 10}%`;
  let text = `\nSubgroups of ${g.subgroup}: hazard ratio in each level, from coxph(Surv ~ z * factor(${g.subgroup})) (${g.ties === 'breslow' ? 'Breslow' : 'Efron'}, ${g.seType} SE)\n`;
  text += formatTable(
    [g.subgroup, 'hazard ratio', 'SE log HR', 'p', `${percent} low`, `${percent} high`, 'n (events) treated', 'n (events) control'],
    g.levels.map((l) => [
      l.level,
      l.hazardRatio === null ? 'not tested' : formatNumber(l.hazardRatio),
      l.stdError === null ? '' : formatNumber(l.stdError),
      l.pValue === null ? '' : formatPValue(l.pValue),
      l.confLow === null ? '' : formatNumber(l.confLow),
      l.confHigh === null ? '' : formatNumber(l.confHigh),
      `${l.nTreatment} (${l.eventsTreatment})`,
      `${l.nControl} (${l.eventsControl})`,
    ]),
  );
  if (g.test !== null) {
    text += `Interaction test (Wald χ² on the Cox model; does the hazard ratio differ by ${g.subgroup}?): χ²(${g.test.df}) = ${formatNumber(g.test.wald)}, p = ${formatPValue(g.test.pValue)}\n`;
  }
  if (g.contrast !== null && g.test !== null) {
    const c = g.contrast;
    text += `Ratio of the two levels' hazard ratios (${g.test.levelsTested[1]} / ${g.test.levelsTested[0]}): ${formatNumber(c.ratio)} (${percent} CI ${formatNumber(c.confLow)} to ${formatNumber(c.confHigh)})\n`;
  }
  for (const l of g.levels) if (!l.tested && l.reason !== undefined) text += `${g.subgroup} = ${l.level} not tested: ${l.reason}\n`;
  return text;
}

function formatTime(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return 'NA';
  return Number.isInteger(value) ? String(value) : formatNumber(value, 2);
}

/** The readable report: curves summary, risk table, log-rank, and the three effect estimates. */
export function formatSurvival(result: SurvivalAnalysisResult, spec: SurvivalSpec): string {
  const percent = `${Math.round(result.level * 1000) / 10}%`;
  const parts: string[] = [];
  parts.push(
    `Time to event: Surv(${spec.time}, ${spec.event}) by ${spec.assignment} ` +
      `(control "${result.arms.control}", treatment "${result.arms.treatment}"); n = ${result.nObs}` +
      (result.nDropped > 0 ? `, ${result.nDropped} rows with missing values dropped` : '') + '\n\n',
  );
  parts.push(`Kaplan–Meier (${result.confType} CIs)\n`);
  parts.push(formatTable(
    ['arm', 'n', 'events', 'median', `${percent} low`, `${percent} high`],
    result.km.map((k) => [k.arm, String(k.n), String(k.events), formatTime(k.median), formatTime(k.medianLow),
      formatTime(k.medianHigh)]),
  ));
  if (result.km.some((k) => k.atTimes.length > 0)) {
    parts.push('\nAt chosen times\n');
    parts.push(formatTable(
      ['arm', 'time', 'at risk', 'survival', `${percent} low`, `${percent} high`],
      result.km.flatMap((k) => k.atTimes.map((a) => [k.arm, formatTime(a.time), String(a.nRisk),
        formatNumber(a.survival), formatNumber(a.lower), formatNumber(a.upper)])),
    ));
  }
  parts.push(`\nBy the horizon ${formatTime(result.horizon)}\n`);
  parts.push(formatTable(
    ['arm', 'RMST', `${percent} low`, `${percent} high`, 'cumulative incidence', `${percent} low`, `${percent} high`],
    result.rmst.arms.map((r, a) => {
      const inc = result.cumulativeIncidence.arms[a]!;
      return [r.arm, formatNumber(r.estimate, 2), formatNumber(r.lower, 2), formatNumber(r.upper, 2),
        formatNumber(inc.estimate), formatNumber(inc.lower), formatNumber(inc.upper)];
    }),
  ));
  const lr = result.logRank;
  parts.push(`\nLog-rank${lr.stratified ? ` (stratified by ${spec.strata ?? 'strata'})` : ''}: chi-square = ` +
    `${formatNumber(lr.statistic)} on ${lr.df} df, p = ${formatPValue(lr.pValue)}\n\n`);
  parts.push(formatEffects(result.estimates, result.level));
  return parts.join('');
}

function effectName(e: Estimate): string {
  if (e.estimator === 'coxph') return `hazard ratio (Cox, ${e['ties'] === 'breslow' ? 'Breslow' : 'Efron'}; SE of log HR)`;
  if (e.estimator === 'rmst') return `RMST difference to ${formatTime(e['horizon'] as number)}`;
  return `cumulative incidence difference by ${formatTime(e['horizon'] as number)}`;
}

function formatEffects(estimates: readonly Estimate[], level: number): string {
  const percent = `${Math.round(level * 1000) / 10}%`;
  return formatTable(
    ['effect (treatment vs control)', 'estimate', 'std.error', 'z', 'p', `${percent} low`, `${percent} high`],
    estimates.map((e) => [
      effectName(e),
      formatNumber(e.estimate),
      formatNumber(e.stdError),
      formatNumber(e.statistic, 3),
      formatPValue(e.pValue),
      formatNumber(e.confLow),
      formatNumber(e.confHigh),
    ]),
  );
}
