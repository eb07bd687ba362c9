/**
 * The enrolment state: what `enrol` needs to allocate the next person without re-reading the log, so that an
 * enrolment costs the same whether the log holds ten lines or a million.
 *
 *   D/log.state            JSON: position of the log's end (lines, bytes, last line's offset and hash), allocations so
 *                          far, allocations per stratum, minimisation counts (factor → level → per arm), whether the
 *                          seed was revealed, the name of the id index, and the log's fingerprint when it was written
 *   D/index-<generation>/  the id index: 256 append-only bucket files (by the first byte of SHA-256(id)), one line per
 *                          allocation, "<byte offset> <byte length> <JSON id>", pointing at the allocation's log line
 *
 * The state is a cache derived from the log, never a source of truth, and never holds anything secret (no stream
 * state: the seed stays the only input to the draws). It is trusted only when the log's fingerprint — size, mtime and
 * ctime (ns), inode, and the boot id — is exactly what the last enrolment recorded after its own write, and the last
 * line still hashes to the recorded hash. Anything else (another writer, an edit, a process killed between its append
 * and its state update, a torn line, a reboot after which unsynced files may have lost writes) sends `enrol` down the
 * full path: parse and check the whole log, then rebuild the state and a fresh index generation. So the state and index
 * need no fsync of their own; they are written with temp + rename (state) and single appends (index), and a stale or
 * half-written one is detected and rebuilt, never used.
 */
import { readFileSync, renameSync, writeFileSync, openSync, closeSync, writeSync, readSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import type { BigIntStats } from 'node:fs';
import { randomBytes, createHash } from 'node:crypto';
import { uptime } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '@trialkit/core';
import { LOG_FILE } from './log.js';
import type { AllocationRecord, LogLine } from './log.js';

export const STATE_FILE = 'log.state';
const INDEX_PREFIX = 'index-';

export interface LogFingerprint {
  readonly size: string;
  readonly mtimeNs: string;
  readonly ctimeNs: string;
  readonly ino: string;
  readonly boot: string;
}

export interface LiveState {
  readonly format: 'trialkit-log-state@1';
  /** Complete lines in the log, its length in bytes, and its last line (offset, byte length, SHA-256). */
  lines: number;
  bytes: number;
  lastOffset: number;
  lastLength: number;
  lastHash: string;
  allocations: number;
  revealed: boolean;
  /** Allocations per stratum label. */
  strata: Record<string, number>;
  /** Minimisation: factor → level → allocations per arm (in the trial's arm order). */
  counts: Record<string, Record<string, number[]>>;
  /** Directory name of the current id index generation. */
  index: string;
  log: LogFingerprint;
}

let bootIdCache: string | undefined;
/** An identifier of the running boot: after a reboot (e.g. a power cut) unsynced state files are not trusted. */
function bootId(): string {
  if (bootIdCache === undefined) {
    try {
      bootIdCache = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      // Elsewhere: the boot time to 10 s. A spurious mismatch only costs a rebuild.
      bootIdCache = `boot-${Math.round((Date.now() / 1000 - uptime()) / 10)}`;
    }
  }
  return bootIdCache;
}

export function logFingerprint(dir: string): LogFingerprint {
  const stats: BigIntStats = statSync(join(dir, LOG_FILE), { bigint: true });
  return { size: stats.size.toString(), mtimeNs: stats.mtimeNs.toString(), ctimeNs: stats.ctimeNs.toString(), ino: stats.ino.toString(), boot: bootId() };
}

function sameFingerprint(a: LogFingerprint, b: LogFingerprint): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.ino === b.ino && a.boot === b.boot;
}

function readRange(dir: string, offset: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const fd = openSync(join(dir, LOG_FILE), 'r');
  try {
    let read = 0;
    while (read < length) {
      const n = readSync(fd, buffer, read, length - read, offset + read);
      if (n === 0) break;
      read += n;
    }
    return read === length ? buffer : buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/**
 * The state, if it can be trusted for the log as it is now (fingerprint unchanged since the last enrolment wrote it,
 * the last line still hashes to the recorded hash); undefined otherwise — the caller then takes the full path.
 */
export function loadState(dir: string, genesis: string): LiveState | undefined {
  let state: LiveState;
  try {
    state = JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8')) as LiveState;
  } catch {
    return undefined;
  }
  if (state?.format !== 'trialkit-log-state@1' || state.log === undefined) return undefined;
  // Level and stratum labels are user text: keep them in prototype-free objects ("__proto__" is just a label).
  state.strata = Object.assign(Object.create(null) as Record<string, number>, state.strata);
  const counts = Object.create(null) as Record<string, Record<string, number[]>>;
  for (const [factor, levels] of Object.entries(state.counts ?? {})) counts[factor] = Object.assign(Object.create(null) as Record<string, number[]>, levels);
  state.counts = counts;
  let now: LogFingerprint;
  try {
    now = logFingerprint(dir);
  } catch {
    return undefined;
  }
  if (!sameFingerprint(state.log, now) || String(state.bytes) !== now.size) return undefined;
  if (state.lines === 0) return state.lastHash === genesis ? state : undefined;
  const last = readRange(dir, state.lastOffset, state.lastLength + 1);
  if (last.length !== state.lastLength + 1 || last[state.lastLength] !== 0x0a) return undefined;
  return sha256Hex(last.subarray(0, state.lastLength)) === state.lastHash ? state : undefined;
}

export function saveState(dir: string, state: LiveState): void {
  state.log = logFingerprint(dir);
  const temporary = join(dir, `.${STATE_FILE}.${process.pid}.tmp`);
  writeFileSync(temporary, JSON.stringify(state));
  renameSync(temporary, join(dir, STATE_FILE));
}

function bucketOf(id: string): string {
  return createHash('sha256').update(id).digest('hex').slice(0, 2);
}

function indexEntry(offset: number, length: number, id: string): string {
  return `${offset} ${length} ${JSON.stringify(id)}\n`;
}

/** Add an allocation line to the current index generation (one append to one bucket file). */
export function indexAllocation(dir: string, state: LiveState, id: string, offset: number, length: number): void {
  const fd = openSync(join(dir, state.index, bucketOf(id)), 'a');
  try {
    writeSync(fd, indexEntry(offset, length, id));
  } finally {
    closeSync(fd);
  }
}

/**
 * The log line allocating `id`, found through the index and read back from the log (so what is returned is what the
 * log says, with its hash as the receipt); undefined when the id was never allocated. Throws when the index points at
 * a line that does not allocate this id (the caller rebuilds).
 */
export function findAllocation(dir: string, state: LiveState, id: string): { record: AllocationRecord; sha256: string } | undefined {
  let bucket: string;
  try {
    bucket = readFileSync(join(dir, state.index, bucketOf(id)), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const wanted = ` ${JSON.stringify(id)}\n`;
  let at = bucket.indexOf(wanted);
  while (at >= 0) {
    const lineStart = bucket.lastIndexOf('\n', at - 1) + 1;
    const [offsetText, lengthText, ...rest] = bucket.slice(lineStart, at).split(' ');
    if (rest.length === 0 && offsetText !== undefined && lengthText !== undefined) {
      const text = readRange(dir, Number(offsetText), Number(lengthText));
      const record = JSON.parse(text.toString('utf8')) as AllocationRecord;
      if (record.type !== 'allocation' || record.id !== id) throw new Error(`index entry for ${id} does not match the log`);
      return { record, sha256: sha256Hex(text) };
    }
    at = bucket.indexOf(wanted, at + 1);
  }
  return undefined;
}

/** Build the state and a fresh index generation from a fully checked log; older generations are removed. */
export function rebuildState(dir: string, lines: readonly LogLine[], genesis: string, armNames: readonly string[], factors: readonly string[]): LiveState {
  const index = `${INDEX_PREFIX}${randomBytes(6).toString('hex')}`;
  mkdirSync(join(dir, index));
  const buckets = new Map<string, string[]>();
  const strata = Object.create(null) as Record<string, number>;
  const counts = Object.create(null) as Record<string, Record<string, number[]>>;
  for (const factor of factors) counts[factor] = Object.create(null) as Record<string, number[]>;
  let allocations = 0;
  let revealed = false;
  for (const line of lines) {
    const record = line.record;
    if (record?.type === 'reveal') revealed = true;
    if (record?.type !== 'allocation') continue;
    allocations++;
    strata[record.stratum] = (strata[record.stratum] ?? 0) + 1;
    const arm = armNames.indexOf(record.arm);
    for (const factor of factors) countAllocation(counts, factor, record.inputs[factor] as string, arm, armNames.length);
    const bucket = bucketOf(record.id);
    let entries = buckets.get(bucket);
    if (entries === undefined) buckets.set(bucket, (entries = []));
    entries.push(indexEntry(line.offset, line.byteLength, record.id));
  }
  for (const [bucket, entries] of buckets) writeFileSync(join(dir, index, bucket), entries.join(''));
  const last = lines[lines.length - 1];
  const state: LiveState = {
    format: 'trialkit-log-state@1',
    lines: lines.length,
    bytes: last === undefined ? 0 : last.offset + last.byteLength + 1,
    lastOffset: last?.offset ?? 0,
    lastLength: last?.byteLength ?? 0,
    lastHash: last?.sha256 ?? genesis,
    allocations,
    revealed,
    strata,
    counts,
    index,
    log: logFingerprint(dir),
  };
  saveState(dir, state);
  for (const name of readdirSync(dir)) {
    if (name.startsWith(INDEX_PREFIX) && name !== index) rmSync(join(dir, name), { recursive: true, force: true });
  }
  return state;
}

export function countAllocation(counts: Record<string, Record<string, number[]>>, factor: string, level: string, arm: number, armCount: number): void {
  const byLevel = (counts[factor] ??= Object.create(null) as Record<string, number[]>);
  const levelCounts = (byLevel[level] ??= new Array<number>(armCount).fill(0));
  if (arm >= 0) levelCounts[arm] = (levelCounts[arm] as number) + 1;
}
