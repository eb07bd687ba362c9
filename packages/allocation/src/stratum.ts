/**
 * Stratum labels: the values of the stratification columns joined by "|" (lists, sequence tables and live enrolment
 * agree on it). Kept apart from participants.ts so that live enrolment does not load the data readers.
 */
export const STRATUM_SEPARATOR = '|';

export function stratumLabel(values: readonly string[]): string {
  return values.join(STRATUM_SEPARATOR);
}
