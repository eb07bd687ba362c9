/**
 * @trialkit/allocation — randomisation schemes, allocation lists, live concealed enrolment, verification.
 *
 *   participants (ids, strata, clusters, factors, covariates) ──allocate(request)──► AllocationList
 *       rows (id, stratum, sequence, arm) ──listToCsv──► list.csv      meta ──metaToJson──► list.meta.json
 *   every scheme draws from deriveRng(seed, "<scheme>@<version>…") = xoshiro256** seeded by HMAC-SHA256(seed, label)
 */
export { parseArms, checkArms, armsToText, ratioSum } from './arms.js';
export type { ArmRatio } from './arms.js';
export { allocate } from './allocate.js';
export { deriveRng, deriveHex, seedText } from './derive.js';
export { AllocationErrorCode, allocationErrors } from './errors.js';
export { listToCsv, parseListCsv, metaToJson, hashInputs } from './list.js';
export { NO_STRATUM } from './prepare.js';
export { BLOCK_VERSION, BlockStream, defaultBlockSizes } from './schemes/block.js';
export { COMPLETE_VERSION } from './schemes/complete.js';
export { CLUSTER_VERSION } from './schemes/cluster.js';
export { SIMPLE_VERSION } from './schemes/simple.js';
export { MINIMISATION_VERSION, minimisationStep } from './schemes/minimisation.js';
export type { MinimisationDecision, MinimisationParameters } from './schemes/minimisation.js';
export { SCHEME_NAMES } from './types.js';
export type {
  AllocationList,
  AllocationMeta,
  AllocationRequest,
  AllocationRow,
  BalanceCovariate,
  MinimisationFactor,
  SchemeName,
} from './types.js';
export { assignArms } from './allocate.js';
export { simulateDesign } from './simulate.js';
export type { DesignSimulation, UnitFlag } from './simulate.js';
export { sequenceLists, sequenceListToCsv, binomialUpperTail } from './sequence-lists.js';
export type { SequenceListRequest, SequenceLists, SequenceRow } from './sequence-lists.js';
export { readParticipants, participantsFromDataset, stratumLabel, STRATUM_SEPARATOR } from './participants.js';
export type { ParticipantColumns, Participants } from './participants.js';
export { initTrial, enrol, reveal, verifyTrial } from './live/trial.js';
export type { InitTrialOptions, TrialInfo, EnrolOptions, EnrolResult, VerifyReport, AnalysisAssignments } from './live/trial.js';
export type { TrialConfig } from './live/config.js';
export { withTrialLock } from './live/lock.js';
export { parseLog } from './live/log.js';
export type { AllocationRecord, LogRecord } from './live/log.js';
export { verifyList, columnsOfMeta } from './verify-list.js';
export type { ListVerification, ListProblem } from './verify-list.js';
