/**
 * The part of @trialkit/data's `PreparedTrial` (packages/data/src/types.ts) these modules read. Declared
 * structurally so that any PreparedTrial is accepted as it is; kept field-for-field identical to the contract.
 * (Declared here because @trialkit/data's index does not yet re-export its types; when it does, this can become
 * `Pick<PreparedTrial, …>`.)
 */
export interface TrialNamedVector {
  readonly name: string;
  readonly values: Float64Array;
}

export interface TrialGrouping {
  readonly name: string;
  readonly codes: Int32Array;
  readonly labels: readonly string[];
}

export interface TrialInput {
  readonly n: number;
  readonly outcome: TrialNamedVector;
  /** 0 = control, 1 = treatment. */
  readonly assignment: TrialNamedVector;
  /** 0/1 take-up. */
  readonly received?: TrialNamedVector;
  readonly covariates: readonly TrialNamedVector[];
  readonly cluster?: TrialGrouping;
  readonly blocks?: TrialGrouping;
  readonly by?: TrialGrouping;
  /** Source row (1-based, header excluded) of each kept row. */
  readonly sourceRows: Uint32Array;
}
