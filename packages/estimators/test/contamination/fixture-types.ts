/** Shapes of fixtures/contamination/compliance.json (written by make-fixtures.R). */
import type { FixtureTrial } from './make-trial.js';

export interface Interval { estimate: number; stdError: number; confLow?: number; confHigh?: number }
export interface KappaFixture {
  kappa: number; kappaSe: number; kappa0: number; kappa1: number; meanKappa: number; meanKappa0: number; meanKappa1: number;
  overall: number; overallSe: number; alwaysTakers: number | null; neverTakers: number; alwaysTakersSe: number | null; neverTakersSe: number;
}
export interface DimFixture { estimate: number; stdError: number; df: number; pValue: number; confLow: number; confHigh: number; nObs: number }
export interface ExpectedTrial {
  n1: number; n0: number; x1: number; x0: number; takeUp: number; contamination: number;
  takeUpCi: [number, number]; contaminationCi: [number, number]; takeUpSe: number; contaminationSe: number;
  compliers: Interval; alwaysTakers: Interval; neverTakers: Interval;
  byOffice: { label: string; nTreatment: number; nControl: number; takeUp: number; contamination: number; takeUpCi: [number, number]; contaminationCi: [number, number] }[];
  complierShare: number; treatedComplierMean: number; untreatedComplierMean: number; treatedComplierMeanSe: number; untreatedComplierMeanSe: number;
  treatedComplierMeanKappa1: number; untreatedComplierMeanKappa0: number;
  waldIvreg: number; waldSeHC2: number; waldSeHC0: number; alwaysTakerMean: number | null; neverTakerMean: number;
  covariates: { age: KappaFixture; female: KappaFixture };
  itt: number;
  sensitivity: SensitivityFixture[];
  perProtocol: DimFixture; asTreated: DimFixture;
}
export interface SensitivityFixture {
  lambda: number; estimate: number; stdError: number; denominator: number; denominatorStdError: number;
  fieller: { kind: string; low: number | null; high: number | null };
}
export interface ClusteredFixture {
  waldSeCR0: number; complierShareSeCR0: number; takeUpSeCR0: number; contaminationSeCR0: number; ittSeCR0: number;
  treatedComplierMean: number; treatedComplierMeanSeCR0: number;
  ageComplierMean: { estimate: number; stdError: number };
  sensitivity: { lambda: number; estimate: number; stdError: number; denominatorStdError: number }[];
  nClusters: number;
}
export interface ComplianceFixture {
  clustered: ClusteredFixture;
  weak: { z: number[]; d: number[]; y: number[] };
  weakSensitivity: SensitivityFixture[];
  trial: FixtureTrial;
  onesided: FixtureTrial;
  expected: { trial: ExpectedTrial; onesided: ExpectedTrial };
}
