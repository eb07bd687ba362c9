/**
 * Live, concealed enrolment: initTrial → enrol (one person at a time, from any number of processes) → reveal →
 * verifyTrial.
 *
 *   init-trial: D/seed.secret (mode 0600, random 256 bits unless given), D/commitment.txt = SHA-256(seed text),
 *               D/trial.json (design + commitment), empty D/log.jsonl
 *   enrol:      lock D/lock ─► D/log.state trusted? (log fingerprint + last line's hash + head unchanged since the
 *               last enrolment wrote it) — if not: parse + check the whole log, cut a torn tail (logged as a repair),
 *               rebuild state + id index ─► id in the index? return the original line ─► LiveAllocator.decide from the
 *               state's counts ─► append one line + fdatasync ─► log.head (in place, fdatasync) ─► index + state
 *               ─► unlock ─► report. O(1) in the log's length on the fast path (state.ts).
 *   reveal:     append a reveal record holding the seed, write D/seed.revealed; enrolment closes
 *   verify:     chain, head, commitment, regenerate every allocation from the seed, compare an analysis dataset
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, ftruncateSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { TRIALKIT_VERSION, canonicalJson, diagnostic, sha256Hex } from '@trialkit/core';
import type { Diagnostic, Seed } from '@trialkit/core';
import type { ArmRatio } from '../arms.js';
import { armsToText, checkArms } from '../arms.js';
import { seedText } from '../derive.js';
import { allocationErrors } from '../errors.js';
import { STRATUM_SEPARATOR } from '../stratum.js';
import { BLOCK_VERSION, checkBlockSizes } from '../schemes/block.js';
import { MINIMISATION_VERSION, checkFactorWeight, checkMinimisationParameters } from '../schemes/minimisation.js';
import type { SchemeName } from '../types.js';
import { LiveAllocator, SIMPLE_LIVE_VERSION } from './allocator.js';
import { COMMITMENT_FILE, CONFIG_FILE, REVEALED_FILE, SEED_FILE, readConfig } from './config.js';
import type { LiveScheme, TrialConfig } from './config.js';
import { withTrialLock } from './lock.js';
import type { LockOptions } from './lock.js';
import { LOG_FILE, appendRecord, fsyncDir, lineSha256, parseLog, readHead, writeDurably, writeHead } from './log.js';
import type { AllocationRecord, LogLine, LogProblem, ParsedLog, RepairRecord, RevealRecord } from './log.js';
import { countAllocation, findAllocation, indexAllocation, loadState, rebuildState, saveState } from './state.js';
import type { LiveState } from './state.js';

export interface InitTrialOptions {
  readonly dir: string;
  readonly arms: readonly ArmRatio[] | string;
  readonly scheme: SchemeName | string;
  /** Columns every enrolment gives; block: stratification; minimisation: the factors (weight 1 unless `factors`). */
  readonly strata?: readonly string[];
  readonly factors?: readonly { name: string; weight?: number }[];
  readonly blockSizes?: readonly number[];
  readonly imbalance?: 'range' | 'variance';
  readonly bestProbability?: number;
  /** For tests and reproducible demos only: a live trial's seed should be random (the default). */
  readonly seed?: Seed;
  readonly now?: () => Date;
}

export interface TrialInfo {
  readonly dir: string;
  readonly commitment: string;
  readonly config: TrialConfig;
}

const LIVE_SCHEMES: readonly LiveScheme[] = ['simple', 'block', 'minimisation'];
const COLUMN_NAME = /^[^=|\n\r]+$/;

function versionOf(scheme: LiveScheme): string {
  return scheme === 'block' ? BLOCK_VERSION : scheme === 'minimisation' ? MINIMISATION_VERSION : SIMPLE_LIVE_VERSION;
}

/** Create a trial directory. Every check runs before anything is written. */
export function initTrial(options: InitTrialOptions): TrialInfo {
  const arms = checkArms(options.arms);
  const scheme = options.scheme === 'stratified' ? 'block' : options.scheme;
  if (!LIVE_SCHEMES.includes(scheme as LiveScheme)) {
    if (['complete', 'cluster', 'constrained', 'rerandomisation'].includes(scheme)) throw allocationErrors.schemeNotLive(scheme);
    throw allocationErrors.badScheme(scheme, LIVE_SCHEMES);
  }
  const liveScheme = scheme as LiveScheme;
  const strata = [...(options.strata ?? [])];
  for (const name of strata) {
    if (!COLUMN_NAME.test(name)) throw allocationErrors.badOption('--strata', name, `The stratum column name ${JSON.stringify(name)} is empty or contains "=", "|" or a line break`, 'Name columns with letters, digits and "_".');
  }
  if (new Set(strata).size !== strata.length) throw allocationErrors.badOption('--strata', strata.join(','), 'A stratum column is named twice', 'Name each column once.');
  let factors: { name: string; weight: number }[] | undefined;
  if (liveScheme === 'minimisation') {
    factors = (options.factors ?? strata.map((name) => ({ name, weight: 1 }))).map((f) => ({ name: f.name, weight: checkFactorWeight(f.name, f.weight ?? 1) }));
    if (factors.length === 0) throw allocationErrors.badOption('--strata', undefined, 'Minimisation needs at least one factor to balance', 'Give --strata col1,col2 (each column becomes a factor).');
    for (const f of factors) if (!strata.includes(f.name)) strata.push(f.name);
    checkMinimisationParameters(arms, { imbalance: options.imbalance ?? 'range', bestProbability: options.bestProbability ?? 0.8 });
  }
  const blockSizes = liveScheme === 'block' ? checkBlockSizes(arms, options.blockSizes) : undefined;
  const seed = options.seed ?? `trialkit-${randomBytes(32).toString('hex')}`;
  seedText(seed);
  const dir = options.dir;
  if (existsSync(join(dir, CONFIG_FILE)) || existsSync(join(dir, LOG_FILE)) || existsSync(join(dir, SEED_FILE))) throw allocationErrors.trialExists(dir);
  if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0)) throw allocationErrors.trialExists(dir);
  const commitment = sha256Hex(seedText(seed));
  const now = (options.now ?? (() => new Date()))();
  const config: TrialConfig = {
    format: 'trialkit-trial@1',
    scheme: liveScheme,
    schemeVersion: versionOf(liveScheme),
    arms: armsToText(arms),
    strata,
    ...(blockSizes !== undefined ? { blockSizes } : {}),
    ...(factors !== undefined ? { factors, imbalance: options.imbalance ?? 'range', bestProbability: options.bestProbability ?? 0.8 } : {}),
    commitment,
    created: now.toISOString(),
    trialkitVersion: TRIALKIT_VERSION,
  };
  mkdirSync(dir, { recursive: true });
  // The secret first, created exclusively with mode 0600 (never world-readable, not even for an instant).
  const fd = openSync(join(dir, SEED_FILE), 'wx', 0o600);
  try {
    writeSync(fd, `${seedText(seed)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  writeDurably(dir, COMMITMENT_FILE, `${commitment}\n`);
  writeDurably(dir, CONFIG_FILE, `${JSON.stringify(config, null, 2)}\n`);
  writeDurably(dir, LOG_FILE, '');
  writeHead(dir, { lines: 0, sha256: genesisOf(`${JSON.stringify(config, null, 2)}\n`), bytes: 0 });
  fsyncDir(dir);
  return { dir, commitment, config };
}

export interface EnrolOptions {
  readonly dir: string;
  readonly id: string;
  /** Stratification / factor values: column → value (every column of the trial, nothing else). */
  readonly inputs?: Readonly<Record<string, string>>;
  readonly now?: () => Date;
  readonly lock?: LockOptions;
}

export interface EnrolResult {
  readonly id: string;
  readonly arm: string;
  readonly seq: number;
  readonly stratum: string;
  readonly stratumSeq: number;
  readonly time: string;
  /** True when the id was already enrolled: this is the original allocation and nothing was written. */
  readonly existing: boolean;
  /** SHA-256 of the log line (a receipt: it pins this allocation and everything before it). */
  readonly lineSha256: string;
  readonly diagnostics: readonly Diagnostic[];
}

function checkTrialDir(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw allocationErrors.trialNotFound(dir, `The trial directory ${dir} does not exist`);
}

function readSeed(dir: string, file: string): string | undefined {
  try {
    return readFileSync(join(dir, file), 'utf8').replace(/\r?\n$/, '');
  } catch {
    return undefined;
  }
}

function readCommitment(dir: string): string | undefined {
  return readSeed(dir, COMMITMENT_FILE)?.trim();
}

function genesisOf(configText: string): string {
  return sha256Hex(configText);
}

function firstProblem(log: ParsedLog): LogProblem | undefined {
  return log.problems[0];
}

function checkInputs(config: TrialConfig, id: string, inputs: Readonly<Record<string, string>>): string {
  if (typeof id !== 'string' || id.trim() === '' || /[\r\n]/.test(id)) {
    throw allocationErrors.badEnrolInput('--id', id, 'The participant id is empty or contains a line break', 'Give the id exactly as it appears in your records.');
  }
  for (const key of Object.keys(inputs)) {
    if (!config.strata.includes(key)) {
      throw allocationErrors.badEnrolInput('--stratum', key, `This trial has no stratification column "${key}"`, config.strata.length > 0 ? `Its columns are: ${config.strata.join(', ')}.` : 'This trial is not stratified; give no --stratum.');
    }
  }
  const values = config.strata.map((column) => {
    const value = inputs[column];
    if (typeof value !== 'string' || value.trim() === '') {
      throw allocationErrors.badEnrolInput('--stratum', column, `The value of "${column}" is missing`, `Give --stratum ${column}=<value> (the trial needs: ${config.strata.join(', ')}).`);
    }
    return value;
  });
  return values.length === 0 ? 'all' : values.join(STRATUM_SEPARATOR);
}

/** Allocate the next participant (or return their original allocation). Safe across processes and crashes. */
export function enrol(options: EnrolOptions): EnrolResult {
  const { dir } = options;
  checkTrialDir(dir);
  const { config, text: configText } = readConfig(dir);
  const inputs = options.inputs ?? {};
  const stratum = checkInputs(config, options.id, inputs);
  const arms = checkArms(config.arms);
  const genesis = genesisOf(configText);
  const now = options.now ?? (() => new Date());
  const armNames = arms.map((a) => a.name);
  const factors = config.scheme === 'minimisation' ? (config.factors ?? []).map((f) => f.name) : [];
  return withTrialLock(
    dir,
    () => {
      const logPath = join(dir, LOG_FILE);
      if (!existsSync(logPath)) throw allocationErrors.logCorrupt(logPath, undefined, 'The trial has no log.jsonl');
      const diagnostics: Diagnostic[] = [];
      const fullPath = (): LiveState => checkLogAndRebuildState(dir, genesis, now, diagnostics, armNames, factors);
      // Fast path: the state written by the last enrolment, trusted only while the log is byte-for-byte what that
      // enrolment left (fingerprint, last line's hash) and the head agrees; otherwise check everything and rebuild.
      let state = loadState(dir, genesis);
      if (state !== undefined) {
        const head = readHead(dir);
        if (head === undefined || head.lines !== state.lines || head.sha256 !== state.lastHash || head.bytes !== state.bytes) state = undefined;
      }
      state ??= fullPath();
      if (state.revealed || existsSync(join(dir, REVEALED_FILE))) throw allocationErrors.trialRevealed(dir);
      const seed = readSeed(dir, SEED_FILE);
      if (seed === undefined) throw allocationErrors.seedUnavailable(dir);
      const commitment = readCommitment(dir);
      if (commitment !== config.commitment || sha256Hex(seed) !== commitment) {
        throw allocationErrors.logCorrupt(join(dir, COMMITMENT_FILE), undefined, 'The secret seed does not match the published commitment');
      }
      let found: ReturnType<typeof findAllocation>;
      try {
        found = findAllocation(dir, state, options.id);
      } catch {
        // The index does not match the log (edited or damaged): rebuild it from a fully checked log.
        state = fullPath();
        found = findAllocation(dir, state, options.id);
      }
      if (found !== undefined) {
        const previous = found.record;
        const sameInputs = JSON.stringify(config.strata.map((c) => previous.inputs[c])) === JSON.stringify(config.strata.map((c) => inputs[c]));
        if (!sameInputs) {
          diagnostics.push(diagnostic('TRIAL_ALREADY_ENROLLED_DIFFERENT_INPUTS', 'warning', `${options.id} was enrolled before with ${JSON.stringify(previous.inputs)}; the original allocation stands and nothing was recorded.`));
        }
        return { id: previous.id, arm: previous.arm, seq: previous.seq, stratum: previous.stratum, stratumSeq: previous.stratumSeq, time: previous.time, existing: true, lineSha256: found.sha256, diagnostics };
      }
      const allocator = new LiveAllocator(config, arms, seed);
      allocator.restoreCounts(state.counts);
      const stratumSeq = (state.strata[stratum] ?? 0) + 1;
      const seq = state.allocations + 1;
      const cleanInputs: Record<string, string> = {};
      for (const column of config.strata) cleanInputs[column] = inputs[column] as string;
      const decision = allocator.decide(seq, stratum, stratumSeq, cleanInputs);
      const record: AllocationRecord = {
        type: 'allocation',
        seq,
        id: options.id,
        inputs: cleanInputs,
        stratum,
        stratumSeq,
        arm: (arms[decision.arm] as ArmRatio).name,
        time: now().toISOString(),
        prev: state.lastHash,
        ...(decision.minimisation !== undefined ? { minimisation: minimisationState(decision.minimisation, arms) } : {}),
      };
      // The line is fdatasync'ed, then the head; the allocation is reported only after both.
      const appended = appendRecord(dir, record);
      writeHead(dir, { lines: state.lines + 1, sha256: appended.sha256, bytes: appended.logBytes });
      // Then the cache: killed before saveState, the next enrolment sees a changed log and takes the full path.
      indexAllocation(dir, state, options.id, appended.offset, appended.byteLength);
      state.lines++;
      state.bytes = appended.logBytes;
      state.lastOffset = appended.offset;
      state.lastLength = appended.byteLength;
      state.lastHash = appended.sha256;
      state.allocations = seq;
      state.strata[stratum] = stratumSeq;
      for (const factor of factors) countAllocation(state.counts, factor, cleanInputs[factor] as string, decision.arm, arms.length);
      saveState(dir, state);
      return { id: record.id, arm: record.arm, seq, stratum, stratumSeq, time: record.time, existing: false, lineSha256: appended.sha256, diagnostics };
    },
    options.lock,
  );
}

/**
 * The full path (no trustworthy state): parse and check every line of the log (chain, sequence, ids, head); refuse a
 * corrupt log with nothing written; cut off a torn last line (recorded in a repair line); bring the head up to date;
 * rebuild the state and the id index.
 */
function checkLogAndRebuildState(dir: string, genesis: string, now: () => Date, diagnostics: Diagnostic[], armNames: readonly string[], factors: readonly string[]): LiveState {
  const logPath = join(dir, LOG_FILE);
  const log = parseLog(dir, genesis, { canonical: false });
  const problem = firstProblem(log);
  if (problem !== undefined) throw allocationErrors.logCorrupt(logPath, problem.line, `The enrolment log is corrupt: ${problem.message}`);
  const lines: LogLine[] = [...log.lines];
  if (log.torn !== undefined) {
    // A process died while writing its line: it never reported that allocation. Cut the bytes off (kept in the
    // repair record for audit) and say so.
    const fd = openSync(logPath, 'r+');
    try {
      ftruncateSync(fd, log.completeBytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const record: RepairRecord = {
      type: 'repair',
      time: now().toISOString(),
      prev: lines[lines.length - 1]?.sha256 ?? genesis,
      tornBase64: log.torn.toString('base64'),
      tornBytes: log.torn.length,
      tornSha256: sha256Hex(log.torn),
    };
    const repaired = appendRecord(dir, record);
    lines.push({ line: lines.length + 1, text: repaired.text, offset: repaired.offset, byteLength: repaired.byteLength, sha256: repaired.sha256, record });
    diagnostics.push(
      diagnostic('TRIAL_TORN_LINE_REPAIRED', 'warning', `The log ended in a torn line (${log.torn.length} bytes) from an enrolment that was interrupted before it was reported; it was cut off and recorded in a repair line.`),
    );
  }
  // Bring the head up to date before appending, so that however many enrolments are killed between their append and
  // their head update, the head is never more than one line behind.
  const last = lines[lines.length - 1];
  writeHead(dir, { lines: lines.length, sha256: last?.sha256 ?? genesis, bytes: last === undefined ? 0 : last.offset + last.byteLength + 1 });
  return rebuildState(dir, lines, genesis, armNames, factors);
}

function minimisationState(decision: NonNullable<ReturnType<LiveAllocator['decide']>['minimisation']>, arms: readonly ArmRatio[]): NonNullable<AllocationRecord['minimisation']> {
  const scores: Record<string, number> = {};
  const probabilities: Record<string, number> = {};
  arms.forEach((arm, k) => {
    scores[arm.name] = decision.scores[k] as number;
    probabilities[arm.name] = decision.probabilities[k] as number;
  });
  return { scores, probabilities, preferred: decision.preferred >= 0 ? (arms[decision.preferred] as ArmRatio).name : null };
}

/** Publish the seed at unblinding: a reveal record in the log and D/seed.revealed. Enrolment then closes. */
export function reveal(options: { dir: string; now?: () => Date; lock?: LockOptions }): { seed: string; commitment: string } {
  const { dir } = options;
  checkTrialDir(dir);
  const { config, text: configText } = readConfig(dir);
  const genesis = genesisOf(configText);
  return withTrialLock(
    dir,
    () => {
      const log = parseLog(dir, genesis);
      const problem = firstProblem(log);
      if (problem !== undefined) throw allocationErrors.logCorrupt(join(dir, LOG_FILE), problem.line, `The enrolment log is corrupt: ${problem.message}`);
      const already = log.lines.map((l) => l.record).find((r): r is RevealRecord => r?.type === 'reveal');
      const seed = already?.seed ?? readSeed(dir, SEED_FILE);
      if (seed === undefined) throw allocationErrors.seedUnavailable(dir);
      if (sha256Hex(seed) !== config.commitment) throw allocationErrors.logCorrupt(join(dir, SEED_FILE), undefined, 'The secret seed does not match the published commitment');
      if (already === undefined) {
        if (log.torn !== undefined) throw allocationErrors.logCorrupt(join(dir, LOG_FILE), log.lines.length + 1, 'The log ends in a torn line; run an enrolment or verify first');
        const lastLine = log.lines[log.lines.length - 1];
        const lastHash = lastLine === undefined ? genesis : lineSha256(lastLine);
        const appended = appendRecord(dir, { type: 'reveal', time: (options.now ?? (() => new Date()))().toISOString(), prev: lastHash, seed });
        writeHead(dir, { lines: log.lines.length + 1, sha256: appended.sha256, bytes: appended.logBytes });
      }
      if (!existsSync(join(dir, REVEALED_FILE))) writeDurably(dir, REVEALED_FILE, `${seed}\n`);
      return { seed, commitment: config.commitment };
    },
    options.lock,
  );
}

export interface AnalysisAssignments {
  readonly ids: readonly (string | null)[];
  readonly assignments: readonly (string | null)[];
  readonly idColumn?: string;
  readonly assignmentColumn?: string;
  readonly file?: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly dir: string;
  readonly scheme: string;
  readonly schemeVersion: string;
  readonly allocations: number;
  readonly countsByArm: Readonly<Record<string, number>>;
  readonly checks: {
    readonly chain: boolean;
    readonly head: boolean;
    readonly commitment: boolean | null;
    readonly regenerated: boolean | null;
    readonly data: boolean | null;
  };
  readonly seedSource: 'revealed' | 'log' | 'secret' | null;
  readonly problems: readonly LogProblem[];
  readonly notes: readonly LogProblem[];
  readonly data?: {
    readonly compared: number;
    readonly mismatches: readonly { id: string; logged: string; data: string | null; row: number }[];
    readonly missing: readonly string[];
    readonly extra: readonly { id: string; row: number }[];
    readonly duplicates: readonly { id: string; row: number }[];
  };
}

/** Check a trial's log end to end; never writes. Problems are listed, not thrown (except a missing trial). */
export function verifyTrial(options: { dir: string; data?: AnalysisAssignments }): VerifyReport {
  const { dir } = options;
  checkTrialDir(dir);
  const { config, text: configText } = readConfig(dir);
  const arms = checkArms(config.arms);
  const genesis = genesisOf(configText);
  const log = parseLog(dir, genesis);
  const problems: LogProblem[] = [...log.problems];
  const notes: LogProblem[] = [...log.notes];
  if (log.torn !== undefined) {
    notes.push({ code: 'LOG_TORN_LINE', line: log.lines.length + 1, message: `the log ends in a torn line of ${log.torn.length} bytes (an enrolment interrupted before it was reported); it is not counted and the next enrolment will cut it off` });
  }
  const chainOk = !problems.some((p) => p.code.startsWith('LOG_') && p.code !== 'LOG_HEAD_MISMATCH' && p.code !== 'LOG_HEAD_MISSING');
  const headOk = !problems.some((p) => p.code === 'LOG_HEAD_MISMATCH' || p.code === 'LOG_HEAD_MISSING');
  // Commitment and the seed.
  const published = readCommitment(dir);
  let commitmentOk: boolean | null = null;
  if (published !== config.commitment) {
    problems.push({ code: 'COMMITMENT_MISMATCH', message: `commitment.txt (${published ?? 'missing'}) differs from the commitment in trial.json (${config.commitment})` });
    commitmentOk = false;
  }
  const revealRecord = log.lines.map((l) => l.record).find((r): r is RevealRecord => r?.type === 'reveal');
  const candidates: [VerifyReport['seedSource'], string | undefined][] = [
    ['revealed', readSeed(dir, REVEALED_FILE)],
    ['log', revealRecord?.seed],
    ['secret', readSeed(dir, SEED_FILE)],
  ];
  let seed: string | undefined;
  let seedSource: VerifyReport['seedSource'] = null;
  for (const [source, value] of candidates) {
    if (value === undefined) continue;
    if (sha256Hex(value) !== config.commitment) {
      problems.push({ code: 'SEED_NOT_COMMITTED', message: `the ${source} seed does not hash to the published commitment` });
      commitmentOk = false;
    } else if (seed === undefined) {
      seed = value;
      seedSource = source;
    }
  }
  if (seed !== undefined && commitmentOk === null) commitmentOk = true;
  if (seed === undefined) notes.push({ code: 'SEED_UNAVAILABLE', message: 'no seed is available (not revealed, no secret here): allocations could not be regenerated' });
  // Regenerate every allocation.
  const allocations: { record: AllocationRecord; line: number }[] = [];
  for (const l of log.lines) if (l.record?.type === 'allocation') allocations.push({ record: l.record, line: l.line });
  let regenerated: boolean | null = null;
  if (seed !== undefined) {
    regenerated = true;
    const allocator = new LiveAllocator(config, arms, seed);
    const armIndex = new Map(arms.map((a, k) => [a.name, k]));
    const stratumCount = new Map<string, number>();
    for (const { record, line } of allocations) {
      const inputs = record.inputs ?? {};
      let stratum: string;
      try {
        stratum = checkInputs(config, record.id, inputs);
      } catch {
        problems.push({ code: 'REGENERATE_BAD_INPUTS', line, message: `line ${line}: the logged inputs do not match the trial's columns` });
        regenerated = false;
        continue;
      }
      const stratumSeq = (stratumCount.get(stratum) ?? 0) + 1;
      stratumCount.set(stratum, stratumSeq);
      if (record.stratum !== stratum || record.stratumSeq !== stratumSeq) {
        problems.push({ code: 'REGENERATE_STRATUM', line, message: `line ${line}: stratum ${JSON.stringify(record.stratum)} #${record.stratumSeq} was logged, the inputs give ${JSON.stringify(stratum)} #${stratumSeq}` });
        regenerated = false;
      }
      const decision = allocator.decide(record.seq, stratum, stratumSeq, inputs);
      const arm = (arms[decision.arm] as ArmRatio).name;
      if (arm !== record.arm) {
        problems.push({ code: 'REGENERATE_ARM', line, message: `line ${line}: ${JSON.stringify(record.id)} is logged in ${record.arm} but the seed allocates ${arm}` });
        regenerated = false;
      }
      if (decision.minimisation !== undefined && canonicalJson(minimisationState(decision.minimisation, arms)) !== canonicalJson(record.minimisation ?? null)) {
        problems.push({ code: 'REGENERATE_STATE', line, message: `line ${line}: the logged minimisation state differs from the regenerated one` });
        regenerated = false;
      }
      allocator.observe(inputs, armIndex.get(record.arm) ?? decision.arm);
    }
  }
  const countsByArm: Record<string, number> = {};
  for (const arm of arms) countsByArm[arm.name] = 0;
  for (const { record } of allocations) countsByArm[record.arm] = (countsByArm[record.arm] ?? 0) + 1;
  // Compare the analysis dataset.
  let data: VerifyReport['data'];
  let dataOk: boolean | null = null;
  if (options.data !== undefined) {
    const d = options.data;
    if (d.ids.length !== d.assignments.length) throw allocationErrors.lengthMismatch('assignments', d.ids.length, d.assignments.length);
    const names = arms.map((a) => a.name);
    const logged = new Map(allocations.map(({ record }) => [record.id, record.arm]));
    const seen = new Map<string, number>();
    const mismatches: { id: string; logged: string; data: string | null; row: number }[] = [];
    const extra: { id: string; row: number }[] = [];
    const duplicates: { id: string; row: number }[] = [];
    d.ids.forEach((id, i) => {
      const row = i + 1;
      if (id === null || id === '') {
        extra.push({ id: '', row });
        return;
      }
      const value = d.assignments[i] ?? null;
      if (value !== null && !names.includes(value)) {
        throw allocationErrors.unknownArm(value, names, { row, ...(d.assignmentColumn !== undefined ? { column: d.assignmentColumn } : {}), ...(d.file !== undefined ? { file: d.file } : {}) });
      }
      if (seen.has(id)) {
        duplicates.push({ id, row });
        return;
      }
      seen.set(id, row);
      const arm = logged.get(id);
      if (arm === undefined) extra.push({ id, row });
      else if (arm !== value) mismatches.push({ id, logged: arm, data: value, row });
    });
    const missing = [...logged.keys()].filter((id) => !seen.has(id));
    data = { compared: seen.size, mismatches, missing, extra, duplicates };
    dataOk = mismatches.length === 0 && missing.length === 0 && extra.length === 0 && duplicates.length === 0;
  }
  const ok = problems.length === 0 && dataOk !== false;
  return {
    ok,
    dir,
    scheme: config.scheme,
    schemeVersion: config.schemeVersion,
    allocations: allocations.length,
    countsByArm,
    checks: { chain: chainOk, head: headOk, commitment: commitmentOk, regenerated, data: dataOk },
    seedSource,
    problems,
    notes,
    ...(data !== undefined ? { data } : {}),
  };
}
