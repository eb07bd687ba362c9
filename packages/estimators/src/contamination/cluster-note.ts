/** The Diagnostic every complier analysis adds when the trial has clusters (its SEs are then CR0). */
import { diagnostic } from '@trialkit/core';
import type { Diagnostic } from '@trialkit/core';
import type { TrialGrouping } from '../binary/trial-input.js';

/** Fewer clusters than this and CR0 (no small-sample correction) intervals are flagged as too narrow. */
export const FEW_CLUSTERS = 30;

export function clusterRobustDiagnostic(code: string, cluster: TrialGrouping | undefined, what: string): Diagnostic[] {
  if (cluster === undefined) return [];
  const count = cluster.labels.length;
  return [
    diagnostic(code, count < FEW_CLUSTERS ? 'warning' : 'info',
      `The standard errors of ${what} are cluster-robust (CR0, Liang–Zeger) over the ${count} clusters in "${cluster.name}"` +
        (count < FEW_CLUSTERS ? `; with fewer than ${FEW_CLUSTERS} clusters CR0 intervals are too narrow.` : '.')),
  ];
}
