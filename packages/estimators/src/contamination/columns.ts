/** Read and check the assignment (Z), take-up (D) and outcome (Y) columns of a trial for the complier analyses. */
import type { TrialInput } from '../binary/trial-input.js';
import { contaminationErrors } from './errors.js';

export interface InstrumentColumns {
  readonly n: number;
  /** Z: 0 = control, 1 = treatment. */
  readonly assignment: Float64Array;
  /** D: 0/1 take-up. */
  readonly received: Float64Array;
  /** Y. */
  readonly outcome: Float64Array;
  readonly nTreatment: number;
  readonly nControl: number;
}

/** Z and D checked to be 0/1 (errors name the source row); `minimumPerArm` units required in each arm. */
export function instrumentColumns(trial: TrialInput, minimumPerArm: number, purpose: string): InstrumentColumns {
  const received = trial.received;
  if (received === undefined) throw contaminationErrors.noReceived();
  const assignment = trial.assignment.values;
  const n = trial.n;
  if (received.values.length !== n) throw contaminationErrors.lengthMismatch('The received column', n, received.values.length);
  let nTreatment = 0;
  for (let i = 0; i < n; i++) {
    const z = assignment[i] as number;
    if (z !== 0 && z !== 1) throw contaminationErrors.assignmentNotBinary(trial.assignment.name, z, trial.sourceRows[i]);
    const d = received.values[i] as number;
    if (d !== 0 && d !== 1) throw contaminationErrors.receivedNotBinary(received.name, d, trial.sourceRows[i]);
    nTreatment += z;
  }
  const nControl = n - nTreatment;
  if (nTreatment < minimumPerArm) throw contaminationErrors.armTooSmall('treatment', nTreatment, minimumPerArm, purpose);
  if (nControl < minimumPerArm) throw contaminationErrors.armTooSmall('control', nControl, minimumPerArm, purpose);
  return { n, assignment, received: received.values, outcome: trial.outcome.values, nTreatment, nControl };
}
