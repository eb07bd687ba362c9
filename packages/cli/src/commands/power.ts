/**
 * `trialkit power`: power, sample size or minimum detectable effect for a two-arm trial (@trialkit/design).
 * What is solved follows from what is given, as in R's power.t.test: --effect without --n gives the sample size,
 * --n with --effect the power, --n with --mde (or without --effect) the MDE. Prints a table of the design and one
 * plain-English sentence, or with --json the DesignResult.
 */
import type { Command } from 'commander';
import { TrialkitError, isTrialkitError } from '@trialkit/core';
import { POWER_METHODS, planTrial, type DesignResult, type DesignSpec, type Outcome } from '@trialkit/design';
import { cliErrors } from '../errors.js';
import { formatDiagnostics, formatNumber, formatTable, parseChoice, parseNumberOption, processOutput, toJson, type Output } from '../io.js';

const OUTCOME_CHOICES: readonly Outcome[] = ['binary', 'continuous'];

interface PowerOptions {
  outcome: string;
  effect?: string;
  p0?: string;
  sd?: string;
  n?: string;
  mde?: boolean;
  alpha: string;
  power: string;
  ratio: string;
  r2: string;
  icc?: string;
  clusterSize?: string;
  clusterCv?: string;
  takeUp: string;
  contamination: string;
  method: string;
  oneSided?: boolean;
  strict?: boolean;
  decrease?: boolean;
  json?: boolean;
}

/** The CLI flag for each DesignSpec field, so that library errors name the option the user typed. */
const FLAGS: Record<string, string> = {
  outcome: '--outcome',
  effect: '--effect',
  controlRate: '--p0',
  sd: '--sd',
  n: '--n',
  alpha: '--alpha',
  power: '--power',
  ratio: '--ratio',
  r2: '--r2',
  icc: '--icc',
  clusterSize: '--cluster-size',
  clusterCv: '--cluster-cv',
  takeUp: '--take-up',
  contamination: '--contamination',
  method: '--method',
  alternative: '--one-sided',
};

const DESCRIPTION = 'power, sample size or minimum detectable effect for a trial, with take-up, contamination and clustering';

/** Register the command. `output` is where it prints (tests pass a capturing one). */
export function register(program: Command, output: Output = processOutput): void {
  program
    .command('power')
    .description(DESCRIPTION)
    .requiredOption('--outcome <type>', 'binary (e.g. a job outcome: give --p0) or continuous (e.g. earnings: give --sd)')
    .option('--effect <effect>', 'effect among those who receive support (CACE): a difference in proportions (0.08 = 8 points) or in means')
    .option('--p0 <rate>', 'binary: outcome rate expected in the control arm, e.g. 0.12')
    .option('--sd <sd>', 'continuous: outcome standard deviation, e.g. 4000')
    .option('--n <total>', 'total participants in both arms: with --effect gives the power, without it the MDE')
    .option('--mde', 'solve for the minimum detectable effect at --n (the default when --effect is left out)')
    .option('--alpha <alpha>', 'significance level', '0.05')
    .option('--power <power>', 'target power when solving for n or the MDE', '0.8')
    .option('--ratio <ratio>', 'allocation ratio treatment:control, e.g. 1, 2 or 2:1', '1')
    .option('--r2 <r2>', 'share of outcome variance explained by baseline covariates (variance × (1 − R²))', '0')
    .option('--icc <icc>', 'cluster randomisation: intra-cluster correlation, in [0, 1) (needs --cluster-size)')
    .option('--cluster-size <m>', 'cluster randomisation: mean participants per cluster')
    .option('--cluster-cv <cv>', 'coefficient of variation of cluster sizes (Eldridge design effect); default 0')
    .option('--take-up <p1>', 'share of the treatment arm who receive support', '1')
    .option('--contamination <p0>', 'share of the control arm who receive similar support', '0')
    .option('--method <method>', `${POWER_METHODS.join('|')}: exact = noncentral t (R power.t.test / pwr.t2n.test) or, ` +
      'binary, R power.prop.test; normal = z closed form; arcsine = Cohen\'s h (pwr.2p.test)', 'exact')
    .option('--one-sided', 'one-sided test (in the direction of the effect) instead of two-sided')
    .option('--strict', 'two-sided power counts rejections in the wrong direction too (R strict = TRUE)')
    .option('--decrease', 'binary MDE: solve for a fall in the rate (e.g. benefit receipt) instead of a rise')
    .option('--json', 'print the design (inputs, effect on both scales, sample size, power, diagnostics) as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ trialkit power --outcome binary --p0 0.12 --effect 0.08 --take-up 0.6 --contamination 0.15
  $ trialkit power --outcome binary --p0 0.12 --effect 0.08 --take-up 0.6 --contamination 0.15 --n 5000
  $ trialkit power --outcome binary --p0 0.12 --n 5000 --take-up 0.6 --contamination 0.15 --mde
  $ trialkit power --outcome continuous --sd 4000 --effect 1000 --r2 0.2 --icc 0.02 --cluster-size 20 --cluster-cv 0.4 --json

Solves for the sample size when --n is left out, for the power when --n and --effect are given, and for the
minimum detectable effect with --n and --mde. The ITT effect is --effect × (--take-up − --contamination).`,
    )
    .action((options: PowerOptions) => {
      const spec = specFromOptions(options);
      let result: DesignResult;
      try {
        result = planTrial(spec);
      } catch (error) {
        throw withFlags(error);
      }
      if (options.json === true) {
        output.stdout(toJson(result));
        return;
      }
      output.stdout(formatDesign(result));
      // The table and sentence already state the receipt inflation; --json keeps every diagnostic.
      output.stdout(formatDiagnostics(result.diagnostics.filter((d) => d.code !== 'DESIGN_RECEIPT_INFLATION')));
    });
}

function number(option: string, value: string, description: string): number {
  return parseNumberOption(option, value, { description });
}

function parseRatio(value: string): number {
  const parts = value.split(':');
  if (parts.length === 2) {
    const rule = { min: 0, exclusive: true, description: 'a positive ratio such as 2 or 2:1 (treatment:control)' };
    return parseNumberOption('--ratio', parts[0] ?? '', rule) / parseNumberOption('--ratio', parts[1] ?? '', rule);
  }
  return parseNumberOption('--ratio', value, { min: 0, exclusive: true, description: 'a positive ratio such as 2 or 2:1 (treatment:control)' });
}

export function specFromOptions(options: PowerOptions): DesignSpec {
  const outcome = parseChoice('--outcome', options.outcome, OUTCOME_CHOICES);
  const method = parseChoice('--method', options.method, POWER_METHODS);
  if (options.mde === true && options.effect !== undefined) {
    throw cliErrors.usage('--mde solves for the effect, so --effect cannot be given with it');
  }
  if (options.mde === true && options.n === undefined) {
    throw cliErrors.usage('--mde needs --n, the total sample size at which to find the minimum detectable effect');
  }
  if (outcome === 'binary' && options.sd !== undefined) {
    throw cliErrors.usage('--sd is for a continuous outcome; a binary outcome\'s variance follows from --p0');
  }
  if (outcome === 'continuous' && options.p0 !== undefined) {
    throw cliErrors.usage('--p0 is for a binary outcome; give --sd for a continuous one');
  }
  if (options.decrease === true && outcome !== 'binary') {
    throw cliErrors.usage('--decrease applies to the MDE of a binary outcome only');
  }
  const optional = (flag: string, value: string | undefined, description: string): number | undefined =>
    value === undefined ? undefined : number(flag, value, description);
  const effect = optional('--effect', options.effect, 'a number, such as 0.08 (8 percentage points) or 1000');
  const p0 = optional('--p0', options.p0, 'a proportion, such as 0.12');
  const sd = optional('--sd', options.sd, 'a positive number, such as 4000');
  const n = optional('--n', options.n, 'a number of participants, such as 5000');
  const icc = optional('--icc', options.icc, 'a number in [0, 1), such as 0.02');
  const clusterSize = optional('--cluster-size', options.clusterSize, 'a mean cluster size, such as 20');
  const clusterCv = optional('--cluster-cv', options.clusterCv, 'a number ≥ 0, such as 0.4');
  return {
    outcome,
    method,
    alpha: number('--alpha', options.alpha, 'a probability, such as 0.05'),
    power: number('--power', options.power, 'a probability, such as 0.8'),
    ratio: parseRatio(options.ratio),
    r2: number('--r2', options.r2, 'a number in [0, 1), such as 0.2'),
    takeUp: number('--take-up', options.takeUp, 'a proportion, such as 0.6'),
    contamination: number('--contamination', options.contamination, 'a proportion, such as 0.15'),
    ...(effect !== undefined ? { effect } : {}),
    ...(p0 !== undefined ? { controlRate: p0 } : {}),
    ...(sd !== undefined ? { sd } : {}),
    ...(n !== undefined ? { n } : {}),
    ...(icc !== undefined ? { icc } : {}),
    ...(clusterSize !== undefined ? { clusterSize } : {}),
    ...(clusterCv !== undefined ? { clusterCv } : {}),
    ...(options.oneSided === true ? { alternative: 'one.sided' as const } : {}),
    ...(options.strict === true ? { strict: true } : {}),
    ...(options.decrease === true ? { direction: 'decrease' as const } : {}),
  };
}

/** A design error names the DesignSpec field (takeUp); on the command line it should name the flag (--take-up). */
function withFlags(error: unknown): unknown {
  if (!isTrialkitError(error)) return error;
  const rename = (text: string): string =>
    text
      .replace(/\b(controlRate|takeUp|clusterSize|clusterCv)\b/g, (name) => FLAGS[name] ?? name)
      .replace(/^(effect|sd|n|alpha|power|ratio|r2|icc|contamination|method|outcome)\b/, (name) => FLAGS[name] ?? name);
  return new TrialkitError({
    code: error.code,
    what: rename(error.what),
    ...(error.hint !== undefined ? { hint: rename(error.hint) } : {}),
    ...(error.argument !== undefined ? { argument: FLAGS[error.argument] ?? error.argument } : {}),
    ...(error.value !== undefined ? { value: error.value } : {}),
    kind: error.kind,
    cause: error,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Readable output

function percent(value: number): string {
  if (value >= 0.9995 && value < 1) return 'more than 99.9%';
  const p = Math.round(value * 1000) / 10;
  return `${Number.isInteger(p) ? p.toFixed(0) : p.toFixed(1)}%`;
}

function whole(value: number): string {
  return Math.round(value).toLocaleString('en-GB');
}

function effectText(result: DesignResult, value: number): string {
  if (result.outcome === 'binary') return `${formatNumber(value * 100, 2)} percentage points`;
  return value.toLocaleString('en-GB', { maximumSignificantDigits: 4 });
}

/** An effect or SD for the table: 4 decimals for proportions and small numbers, 2 for money-sized ones. */
function formatEffect(value: number | null): string {
  return formatNumber(value, value !== null && Math.abs(value) >= 100 ? 2 : 4);
}

const TITLES = { n: 'Sample size', power: 'Power', mde: 'Minimum detectable effect' } as const;

export function formatDesign(result: DesignResult): string {
  const parts: string[] = [];
  const test = `${result.alternative === 'two.sided' ? 'two-sided' : 'one-sided'} α = ${result.alpha}`;
  parts.push(`${TITLES[result.solvedFor]} for a two-arm trial: ${result.outcome} outcome, ${test}` +
    (result.solvedFor === 'power' ? '' : `, target power ${result.power}`) + '\n');
  parts.push(`Method: ${result.method.name} — ${result.method.description} (R: ${result.method.r})` +
    `${result.strict ? '; both tails counted' : ''}\n\n`);

  const rows: string[][] = [];
  const e = result.effect;
  if (result.outcome === 'binary') rows.push(['control-arm rate (p0)', formatNumber(e.controlRate)]);
  else rows.push(['outcome SD', formatEffect(result.sd)]);
  rows.push([`effect among recipients (CACE)${result.solvedFor === 'mde' ? ', minimum detectable' : ''}`, formatEffect(e.cace)]);
  rows.push(['take-up among assigned (p1)', formatNumber(result.receipt.takeUp)]);
  rows.push(['contamination among controls', formatNumber(result.receipt.contamination)]);
  rows.push(['ITT effect = CACE × (p1 − contamination)', formatEffect(e.itt)]);
  if (result.outcome === 'binary') rows.push(['treatment-arm rate (p0 + ITT)', formatNumber(e.treatmentRate)]);
  rows.push([result.outcome === 'binary' ? "Cohen's h (ITT)" : 'standardised ITT effect (ITT / SD)', formatNumber(e.standardised)]);
  rows.push(['sample inflation 1/(p1 − contamination)²', formatNumber(result.receipt.inflation)]);
  rows.push(['allocation ratio (treatment:control)', formatNumber(result.ratio, Number.isInteger(result.ratio) ? 0 : 4)]);
  rows.push(['covariate R²', formatNumber(result.r2)]);
  if (result.clustering !== null) {
    const c = result.clustering;
    rows.push(['ICC', formatNumber(c.icc)]);
    rows.push(['mean cluster size (m)', formatNumber(c.clusterSize, Number.isInteger(c.clusterSize) ? 0 : 2)]);
    rows.push(['CV of cluster sizes', formatNumber(c.clusterCv)]);
    rows.push(['design effect 1 + ((cv² + 1)m − 1)·ICC', formatNumber(c.designEffect)]);
  }
  rows.push(['variance factor (1 − R²) × design effect', formatNumber(result.varianceFactor)]);
  if (result.df !== null) rows.push(['t-test degrees of freedom', formatNumber(result.df, Number.isInteger(result.df) ? 0 : 2)]);
  rows.push([result.solvedFor === 'n' ? 'power at the rounded-up sample size' : 'power', formatNumber(result.achievedPower)]);
  parts.push(formatTable(['design', 'value'], rows));

  const s = result.sampleSize;
  const sizeRows: string[][] = [];
  if (result.solvedFor === 'n') {
    sizeRows.push(['exact solution', formatNumber(s.control, 2), formatNumber(s.treatment, 2), formatNumber(s.total, 2)]);
    sizeRows.push(['rounded up', String(s.controlRounded), String(s.treatmentRounded), String(s.totalRounded)]);
  } else {
    sizeRows.push(['participants', formatNumber(s.control, 2), formatNumber(s.treatment, 2), formatNumber(s.total, 2)]);
  }
  if (result.clustering !== null) {
    const c = result.clustering;
    sizeRows.push(['clusters', formatNumber(c.clustersControl, 2), formatNumber(c.clustersTreatment, 2),
      formatNumber(c.clustersControl + c.clustersTreatment, 2)]);
    if (result.solvedFor === 'n') {
      sizeRows.push(['clusters, rounded up', String(c.clustersControlRounded), String(c.clustersTreatmentRounded),
        String(c.clustersControlRounded + c.clustersTreatmentRounded)]);
    }
  }
  parts.push('\n');
  parts.push(formatTable(['sample', 'control', 'treatment', 'total'], sizeRows));
  parts.push(`\n${sentence(result)}\n`);
  return parts.join('');
}

/** One plain-English sentence with the answer. */
export function sentence(result: DesignResult): string {
  const e = result.effect;
  const level = `${result.alternative === 'two.sided' ? 'two-sided' : 'one-sided'} ${percent(result.alpha)} level`;
  const diluted = result.receipt.difference < 1
    ? ` (an ITT effect of ${effectText(result, e.itt)} after ${percent(result.receipt.takeUp)} take-up and ` +
      `${percent(result.receipt.contamination)} contamination)`
    : '';
  const s = result.sampleSize;
  const clusters = result.clustering === null ? '' :
    ` in ${whole(result.clustering.clustersControlRounded + result.clustering.clustersTreatmentRounded)} clusters of ${formatNumber(result.clustering.clusterSize, Number.isInteger(result.clustering.clusterSize) ? 0 : 1)}`;
  const recipients = result.receipt.difference < 1 ? ' among those who receive support' : '';
  if (result.solvedFor === 'n') {
    const arms = s.controlRounded === s.treatmentRounded ? `${whole(s.controlRounded)} per arm`
      : `${whole(s.controlRounded)} control, ${whole(s.treatmentRounded)} treatment`;
    const inflation = result.receipt.difference < 1
      ? ` — ${formatNumber(result.receipt.inflation, 2)} times what full take-up without contamination would need` : '';
    return `To detect an effect of ${effectText(result, e.cace)}${recipients}${diluted} with ${percent(result.power)} power ` +
      `at the ${level}, the trial needs ${whole(s.totalRounded)} participants (${arms})${clusters}${inflation}.`;
  }
  if (result.solvedFor === 'power') {
    return `With ${whole(s.total)} participants, a trial has ${percent(result.power)} power to detect an effect of ` +
      `${effectText(result, e.cace)}${recipients}${diluted} at the ${level}.`;
  }
  return `With ${whole(s.total)} participants and ${percent(result.power)} power at the ${level}, the smallest detectable ` +
    `effect is ${effectText(result, e.cace)}${recipients}${diluted}.`;
}
