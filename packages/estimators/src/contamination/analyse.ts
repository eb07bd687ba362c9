/**
 * Everything about compliance and contamination in one call, for `trialkit estimate --received d [--by col]` and
 * the report. The result is a `Compliance` (every field of computeCompliance, so it can stand as the `compliance`
 * object of `--json`) extended with the complier, sensitivity and bounds results. Each part that cannot be computed for this trial (no compliers, a non-binary outcome for the bounds,
 * a stratum too small for a per-protocol variance) becomes null with an info Diagnostic saying why, instead of
 * failing the whole analysis. Bad input that no part could use (no received column, a non-0/1 take-up) still throws.
 */
import { diagnostic, isTrialkitError } from '@trialkit/core';
import type { Diagnostic, Estimate } from '@trialkit/core';
import type { TrialGrouping, TrialInput } from '../binary/trial-input.js';
import { balkePearlBounds } from './balke-pearl.js';
import type { BalkePearlBounds } from './balke-pearl.js';
import { computeCompliance } from './compliance.js';
import type { Compliance } from './compliance.js';
import { complierCharacteristics } from './complier-characteristics.js';
import type { ComplierCharacteristics } from './complier-characteristics.js';
import { complierMeans } from './complier-means.js';
import type { ComplierMeans } from './complier-means.js';
import { asTreated, perProtocol } from './protocol-contrasts.js';
import { contaminationSensitivity } from './sensitivity.js';
import type { ContaminationSensitivity } from './sensitivity.js';

export interface ContaminationAnalysis extends Compliance {
  readonly complierCharacteristics: ComplierCharacteristics | null;
  readonly complierMeans: ComplierMeans | null;
  readonly sensitivity: ContaminationSensitivity | null;
  /** Only for a 0/1 outcome; null otherwise. */
  readonly bounds: BalkePearlBounds | null;
  /**
   * Per-protocol and as-treated Estimates, only when asked for (`protocolContrasts: true`). They are Estimates:
   * a caller printing `--json` should move them to `estimates` (see estimateToJSON).
   */
  readonly protocolContrasts: readonly Estimate[];
  /** The compliance diagnostics, then why any part is null. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface ContaminationAnalysisOptions {
  readonly level?: number;
  readonly by?: TrialGrouping;
  readonly lambdas?: readonly number[];
  /** Add per-protocol and as-treated contrasts (default false: descriptive, on request only). */
  readonly protocolContrasts?: boolean;
}

function isBinary(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== 0 && values[i] !== 1) return false;
  return true;
}

export function analyseContamination(trial: TrialInput, options: ContaminationAnalysisOptions = {}): ContaminationAnalysis {
  const level = options.level ?? 0.95;
  const compliance = computeCompliance(trial, {
    level,
    ...(options.by === undefined ? {} : { by: options.by }),
  });
  const diagnostics: Diagnostic[] = [...compliance.diagnostics];
  const attempt = <T>(part: string, run: () => T): T | null => {
    try {
      return run();
    } catch (error) {
      if (!isTrialkitError(error)) throw error;
      diagnostics.push(diagnostic('ESTIMATORS_CONTAMINATION_PART_SKIPPED', 'info', `${part} not computed: ${error.message}`));
      return null;
    }
  };
  const characteristics = attempt('Complier characteristics', () => complierCharacteristics(trial, { level }));
  const means = attempt('Complier means', () => complierMeans(trial, { level }));
  const sensitivity = attempt('Contamination sensitivity', () =>
    contaminationSensitivity(trial, { level, ...(options.lambdas === undefined ? {} : { lambdas: options.lambdas }) }));
  const bounds = isBinary(trial.outcome.values) ? attempt('Balke–Pearl bounds', () => balkePearlBounds(trial)) : null;
  const protocolContrasts: Estimate[] = [];
  if (options.protocolContrasts === true) {
    const pp = attempt('Per-protocol contrast', () => perProtocol(trial, { level }));
    if (pp !== null) protocolContrasts.push(pp);
    const at = attempt('As-treated contrast', () => asTreated(trial, { level }));
    if (at !== null) protocolContrasts.push(at);
  }
  return {
    ...compliance,
    complierCharacteristics: characteristics,
    complierMeans: means,
    sensitivity,
    bounds,
    protocolContrasts,
    diagnostics,
  };
}
