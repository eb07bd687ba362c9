export const RERANDOMISATION_VERSION = 'rerandomisation@1';
import type { ArmRatio } from '../arms.js';
import { allocationErrors } from '../errors.js';
import type { PreparedUnits } from '../prepare.js';
import type { AllocationRequest } from '../types.js';
export function rerandomisationAllocation(request: AllocationRequest, _units: PreparedUnits, _arms: readonly ArmRatio[]): { armIndex: Uint8Array; parameters: Record<string, unknown>; report: Record<string, unknown> } {
  throw allocationErrors.badScheme(request.scheme, ['simple', 'complete', 'block', 'stratified', 'cluster', 'minimisation']);
}
