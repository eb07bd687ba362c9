/**
 * Standard-error types as estimatr names them, and its rules for which are allowed: HC0–HC3 and classical without
 * clusters; CR0, CR2 and stata with clusters; "stata" without clusters means HC1 (ESTIMATORS-MATH.md §2.2).
 * Defaults: HC2, or CR2 with clusters.
 */
import { estimatorsErrors } from './errors.js';
import type { VarianceType } from './kernels/variance.js';

export const SE_TYPES = ['classical', 'HC0', 'HC1', 'HC2', 'HC3', 'CR0', 'CR2', 'stata'] as const;

/** The variance the kernels compute for a requested se_type, after estimatr's defaults and checks. */
export function resolveSeType(requested: string | undefined, clustered: boolean): VarianceType {
  if (requested === undefined) return clustered ? 'CR2' : 'HC2';
  if (!(SE_TYPES as readonly string[]).includes(requested)) throw estimatorsErrors.badSeType(requested);
  const type = requested as VarianceType;
  if (clustered) {
    if (type !== 'CR0' && type !== 'CR2' && type !== 'stata') throw estimatorsErrors.heteroSeWithCluster(type);
    return type;
  }
  if (type === 'CR0' || type === 'CR2') throw estimatorsErrors.clusterSeWithoutCluster(type);
  return type === 'stata' ? 'HC1' : type;
}
