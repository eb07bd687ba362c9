/**
 * Ratios of ITTs with bootstrap confidence intervals (the plan's `bootstrap`), e.g. cost per additional job outcome =
 * ITT(cost) / ITT(job): the ratio, the chosen interval and all four boot.ci intervals, the two ITTs it divides, and
 * how the resampling was done (rows or whole clusters within block × arm, replicates, seed).
 */
import { digitsForInterval, formatInteger, formatLevel, formatNumber } from '../format.js';
import { dataTable, html } from '../html.js';
import type { RatioSummary } from '../types.js';
import type { ReportContext, Section } from './context.js';

const INTERVAL_NAMES: Readonly<Record<string, string>> = { bca: 'BCa', percentile: 'percentile', normal: 'normal', basic: 'basic' };

/** A ratio with its unit: "£1,234" for a currency symbol, "1,234 days" otherwise. */
function amount(value: number, unit: string | undefined, digits: number): string {
  if (!Number.isFinite(value)) return value > 0 ? '+∞' : value < 0 ? '−∞' : '–';
  const text = formatNumber(value, digits);
  if (unit === undefined || unit === '') return text;
  if (/^[£$€¥]$/.test(unit)) return text.startsWith('−') ? `−${unit}${text.slice(1)}` : `${unit}${text}`;
  return `${text} ${unit}`;
}

function interval(bounds: readonly [number, number] | null, unit: string | undefined, digits: number): string {
  return bounds === null ? 'not defined' : `${amount(bounds[0], unit, digits)} to ${amount(bounds[1], unit, digits)}`;
}

export function ratiosSection(context: ReportContext): Section | undefined {
  const ratios = context.input.ratios ?? [];
  if (ratios.length === 0) return undefined;
  const blocked = context.input.methods?.blocks !== undefined;
  const digitsOf = (r: RatioSummary): number =>
    Number.isFinite(r.confLow) && Number.isFinite(r.confHigh) ? Math.min(2, digitsForInterval(r.confLow, r.confHigh)) : Math.abs(r.estimate) >= 100 ? 0 : 2;
  const table = dataTable({
    id: context.ids.next('ratios', 'table'),
    caption: 'Ratios of effects with bootstrap confidence intervals',
    columns: [
      { label: 'Ratio' },
      { label: 'Estimate', numeric: true },
      { label: 'Confidence interval', numeric: true },
      { label: 'Bootstrap SE', numeric: true },
      { label: 'ITT of the numerator (SE)', numeric: true },
      { label: 'ITT of the denominator (SE)', numeric: true },
      { label: 'N', numeric: true, srSuffix: 'analysed' },
    ],
    rows: ratios.map((r) => {
      const digits = digitsOf(r);
      const small = (x: number): string => formatNumber(x, Math.abs(x) >= 100 ? 0 : 4);
      return [
        `${r.label} (“${r.numerator}” ÷ “${r.denominator}”)`,
        amount(r.estimate, r.unit, digits),
        `${interval([r.confLow, r.confHigh], r.unit, digits)} (${formatLevel(r.level)}, ${INTERVAL_NAMES[r.interval] ?? r.interval})`,
        Number.isFinite(r.stdError) ? amount(r.stdError, r.unit, digits) : '∞',
        `${small(r.numeratorItt.estimate)} (${small(r.numeratorItt.stdError)})`,
        `${small(r.denominatorItt.estimate)} (${small(r.denominatorItt.stdError)})`,
        formatInteger(r.nObs),
      ];
    }),
    notes: ratios.map((r) => {
      const digits = digitsOf(r);
      const crossing =
        r.denominatorReplicatesCrossingZero > 0
          ? ` In ${formatInteger(r.denominatorReplicatesCrossingZero)} of ${formatInteger(r.reps)} replicates the denominator’s ITT was zero or on the other side of zero, where the ratio is unbounded or changes sign${
              !Number.isFinite(r.confLow) ? ': the data cannot bound this ratio at this level' : ''
            }.`
          : '';
      return `${r.label}: ${formatInteger(r.reps)} replicates resampling ${r.resampledUnit === 'cluster' ? 'whole clusters' : 'participants'} within arm${blocked ? ' and block' : ''}, seed “${r.seed}”. Intervals: BCa ${interval(r.intervals.bca, r.unit, digits)}; percentile ${interval(r.intervals.percentile, r.unit, digits)}; normal ${interval(r.intervals.normal, r.unit, digits)}; basic ${interval(r.intervals.basic, r.unit, digits)}.${crossing}`;
    }),
  });
  const intro = html`<p>A ratio of two intention-to-treat effects — such as the extra cost per additional job outcome — has no simple standard error; its confidence interval comes from the bootstrap: the trial is resampled as it was randomised, both effects are re-estimated on each resample, and the interval is read from the distribution of their ratio.</p>`;
  return { id: 'ratios', title: 'Cost per additional outcome (bootstrap)', body: html`${intro}${table}` };
}
