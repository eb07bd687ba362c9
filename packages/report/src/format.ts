/**
 * Number formatting for tables and sentences. Non-finite numbers print as an en dash with a reason available to
 * the caller, never as "NaN". Negative numbers use the true minus sign (U+2212), which screen readers say "minus".
 */
import type { OutcomeInfo, OutcomeType } from './types.js';

export const DASH = '\u2013';
const MINUS = '\u2212';

/** Fixed decimals with a real minus sign and thousands separators; non-finite → en dash. */
export function formatNumber(value: number | undefined | null, digits = 2): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return DASH;
  const rounded = Math.abs(value) < 0.5 * 10 ** -digits ? 0 : value;
  const text = Math.abs(rounded).toLocaleString('en-GB', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return rounded < 0 ? `${MINUS}${text}` : text;
}

export function formatInteger(value: number | undefined | null): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return DASH;
  return Math.round(value).toLocaleString('en-GB');
}

/** p-values as journals print them: < 0.001, else three decimals. */
export function formatPValue(value: number | undefined | null): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return DASH;
  if (value < 0.001) return '< 0.001';
  return value.toFixed(3);
}

export function formatPercent(share: number | undefined | null, digits = 1): string {
  if (share === undefined || share === null || !Number.isFinite(share)) return DASH;
  return `${formatNumber(share * 100, digits)}%`;
}

export function formatLevel(level: number): string {
  return `${formatNumber(level * 100, Number.isInteger(level * 100) ? 0 : 1)}%`;
}

export function outcomeType(info: OutcomeInfo | undefined): OutcomeType {
  return info?.type ?? 'continuous';
}

/**
 * An effect in the outcome's natural unit: a binary outcome's risk difference in percentage points, a continuous
 * outcome with its unit ("£" prefixes, other units follow).
 */
export function effectScale(info: OutcomeInfo | undefined): number {
  return outcomeType(info) === 'binary' ? 100 : 1;
}

export function effectUnitLabel(info: OutcomeInfo | undefined): string {
  if (outcomeType(info) === 'binary') return 'percentage points';
  const unit = info?.unit;
  return unit === undefined || unit === '' ? 'outcome units' : unit;
}

export function formatEffect(value: number, info: OutcomeInfo | undefined, digits = 1): string {
  const scaled = value * effectScale(info);
  if (outcomeType(info) === 'binary') return formatNumber(scaled, digits);
  const unit = info?.unit;
  if (unit !== undefined && /^[£$€]$/.test(unit)) {
    const text = formatNumber(Math.abs(scaled), digits);
    return `${scaled < 0 ? MINUS : ''}${unit}${text}`;
  }
  return formatNumber(scaled, digits);
}

/** A level of a continuous outcome (mean, quantile) in its unit: "£2,150" for money, else sensible decimals. */
export function formatAmount(value: number, info: OutcomeInfo | undefined): string {
  if (!Number.isFinite(value)) return DASH;
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
  const unit = info?.unit;
  if (unit !== undefined && /^[£$€]$/.test(unit)) return `${value < 0 ? MINUS : ''}${unit}${formatNumber(magnitude, digits)}`;
  return formatNumber(value, digits);
}

/**
 * Decimals for an estimate and its interval: enough that the interval's width shows about two significant digits
 * (width 3.8 → 1 decimal, 548 → 0, 0.038 → 3), between 0 and 4.
 */
export function digitsForInterval(confLow: number, confHigh: number): number {
  const width = Math.abs(confHigh - confLow);
  if (!Number.isFinite(width) || width === 0) return 2;
  return Math.min(4, Math.max(0, 1 - Math.floor(Math.log10(width))));
}
