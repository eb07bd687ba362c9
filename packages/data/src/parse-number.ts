/**
 * Strict text → number, for cells a file stored as text (a typo made DuckDB keep the column as text, or the
 * file is JSON with quoted numbers). Accepted, after trimming surrounding spaces (as R's as.numeric does):
 *   [+-]digits[.digits][e[+-]digits]  or  [+-].digits[e…]   with "." (or "," when the file uses a decimal comma)
 *   [+-]Inf / Infinity (any case) → ±Infinity;  NaN (any case) → NaN   (both then rejected as not finite)
 * Everything else — "1,000", "12a", "0x10", "1_000", "$5", "5%", "TRUE" — is not a number: undefined.
 */
import type { DecimalSeparator } from './types.js';

const DECIMAL_POINT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?(?:\d+(?:,\d*)?|,\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY = /^([+-]?)(?:inf|infinity)$/i;
const NOT_A_NUMBER = /^[+-]?nan$/i;

export function parseNumberStrict(text: string, decimal: DecimalSeparator = '.'): number | undefined {
  const trimmed = text.trim();
  if (decimal === '.' ? DECIMAL_POINT.test(trimmed) : DECIMAL_COMMA.test(trimmed)) {
    return Number(decimal === '.' ? trimmed : trimmed.replace(',', '.'));
  }
  const infinity = INFINITY.exec(trimmed);
  if (infinity) return infinity[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (NOT_A_NUMBER.test(trimmed)) return Number.NaN;
  return undefined;
}

/** Would this text be a number with the other decimal separator? (For a helpful hint.) */
export function looksLikeOtherDecimal(text: string, decimal: DecimalSeparator): boolean {
  return parseNumberStrict(text, decimal === '.' ? ',' : '.') !== undefined && /[.,]/.test(text);
}
