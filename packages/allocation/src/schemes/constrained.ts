export const CONSTRAINED_VERSION = 'constrained@1';
import type { ArmRatio } from '../arms.js';
import { allocationErrors } from '../errors.js';
import type { PreparedUnits } from '../prepare.js';
import type { AllocationRequest } from '../types.js';
import type { Diagnostic } from '@trialkit/core';
export function constrainedAllocation(request: AllocationRequest, _units: PreparedUnits, _arms: readonly ArmRatio[]): { armIndex: Uint8Array; parameters: Record<string, unknown>; report: Record<string, unknown>; diagnostics: Diagnostic[] } {
  throw allocationErrors.badScheme(request.scheme, ['simple', 'complete', 'block', 'stratified', 'cluster', 'minimisation']);
}
