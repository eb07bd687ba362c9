/**
 * Redraws of an allocation by its own scheme, for randomisation inference (estimators'
 * randomisationInferenceFromRedraws; `trialkit estimate --allocation-dir`): redraw r is the same request with the
 * seed HMAC-SHA256(seed, "ri:" + r) (deriveHex), so the reference distribution is that of the design actually used
 * (permuted blocks of random size, minimisation, constrained or re-randomisation), reproducible from the seed.
 */
import type { Seed } from '@trialkit/core';
import { assignArms } from './allocate.js';
import { deriveHex } from './derive.js';
import { allocationErrors } from './errors.js';
import type { AllocationRequest } from './types.js';

/**
 * `redraw(r, out)` fills out[i] with 1 when participant i of the request is in `treatmentArm` on redraw r, else 0
 * (two-arm comparisons; with more arms, every other arm counts as 0).
 */
export function schemeRedraw(request: AllocationRequest, treatmentArm: string, seed: Seed): (r: number, out: Uint8Array) => void {
  const { arms } = assignArms(request);
  const treated = arms.findIndex((a) => a.name === treatmentArm);
  if (treated < 0) {
    throw allocationErrors.badOption('treatment arm', treatmentArm, `The allocation has no arm "${treatmentArm}" (its arms: ${arms.map((a) => a.name).join(', ')})`, 'Name one of the allocation\'s arms as the treatment.');
  }
  return (r, out) => {
    const { result } = assignArms({ ...request, seed: deriveHex(seed, `ri:${r}`) });
    for (let i = 0; i < out.length; i++) out[i] = result.armIndex[i] === treated ? 1 : 0;
  };
}
