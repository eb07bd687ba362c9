/**
 * The enrolment log: `log.jsonl`, append-only JSON lines, each line canonical JSON (keys sorted, no spaces) with
 * `prev` = SHA-256 of the previous line's text (without its newline); the first line's `prev` is SHA-256 of
 * trial.json, binding the log to the trial's declared design. `log.head` holds the number of lines, the log's length
 * and the SHA-256 of the last line, so deleting or editing the final line is detected too.
 *
 * A line only counts when it ends with "\n" (each line is written with one write() call and fsync'ed before the
 * allocation is reported): bytes after the last newline are a torn line from a process that died mid-write, never
 * reported, never used.
 */
import { closeSync, existsSync, fdatasyncSync, fstatSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, sha256Hex } from '@trialkit/core';

export const LOG_FILE = 'log.jsonl';
export const HEAD_FILE = 'log.head';

export interface AllocationRecord {
  readonly type: 'allocation';
  readonly seq: number;
  readonly id: string;
  /** Stratification / factor values as given: column → value. */
  readonly inputs: Readonly<Record<string, string>>;
  readonly stratum: string;
  readonly stratumSeq: number;
  readonly arm: string;
  readonly time: string;
  readonly prev: string;
  readonly minimisation?: {
    readonly scores: Readonly<Record<string, number>>;
    readonly preferred: string | null;
    readonly probabilities: Readonly<Record<string, number>>;
  };
}

export interface RepairRecord {
  readonly type: 'repair';
  readonly time: string;
  readonly prev: string;
  /** The torn bytes that were cut off (base64), their length and SHA-256. */
  readonly tornBase64: string;
  readonly tornBytes: number;
  readonly tornSha256: string;
}

export interface RevealRecord {
  readonly type: 'reveal';
  readonly time: string;
  readonly prev: string;
  readonly seed: string;
}

export type LogRecord = AllocationRecord | RepairRecord | RevealRecord;

export interface LogLine {
  /** 1-based line number. */
  readonly line: number;
  readonly text: string;
  /** Byte offset of the line's first byte in log.jsonl (its length in bytes is `byteLength`, without the newline). */
  readonly offset: number;
  readonly byteLength: number;
  /** SHA-256 of the line's text. */
  readonly sha256: string;
  readonly record: LogRecord | undefined;
}

export interface LogProblem {
  readonly code: string;
  readonly line?: number;
  readonly message: string;
}

export interface ParsedLog {
  readonly lines: readonly LogLine[];
  /** Bytes after the last newline (a torn line), if any. */
  readonly torn: Buffer | undefined;
  /** Byte length of the complete lines. */
  readonly completeBytes: number;
  /** Chain and format problems (a corrupt log when non-empty). */
  readonly problems: readonly LogProblem[];
  /** Notes that do not make the log corrupt (head one line behind after a crash). */
  readonly notes: readonly LogProblem[];
}

export interface Head {
  /** Number of complete lines. */
  readonly lines: number;
  /** SHA-256 of the last line (the genesis hash when there are none): through the chain it pins every line. */
  readonly sha256: string;
  /** Byte length of the log up to and including that line's newline. */
  readonly bytes: number;
}

const KNOWN_TYPES = new Set(['allocation', 'repair', 'reveal']);

/** Parse and check the whole log (every line's hash and chain link) against the trial's genesis hash and the head. */
export function parseLog(dir: string, genesis: string, options: { canonical?: boolean } = {}): ParsedLog {
  const checkCanonical = options.canonical ?? true;
  const path = join(dir, LOG_FILE);
  const bytes = existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
  const completeBytes = bytes.lastIndexOf(0x0a) + 1;
  const torn = completeBytes < bytes.length ? bytes.subarray(completeBytes) : undefined;
  const problems: LogProblem[] = [];
  const notes: LogProblem[] = [];
  const lines: LogLine[] = [];
  const head = readHead(dir);
  let prev = genesis;
  let seq = 0;
  const ids = new Map<string, number>();
  for (let offset = 0; offset < completeBytes; ) {
    const end = bytes.indexOf(0x0a, offset);
    const lineText = bytes.toString('utf8', offset, end);
    const line = lines.length + 1;
    let record: LogRecord | undefined;
    try {
      const parsed = JSON.parse(lineText) as LogRecord;
      if (checkCanonical && canonicalJson(parsed) !== lineText) {
        problems.push({ code: 'LOG_NOT_CANONICAL', line, message: `line ${line} is not in the canonical form trialkit writes (it was edited)` });
      }
      if (parsed === null || typeof parsed !== 'object' || !KNOWN_TYPES.has((parsed as { type?: string }).type ?? '')) {
        problems.push({ code: 'LOG_BAD_RECORD', line, message: `line ${line} is not an allocation, repair or reveal record` });
      } else record = parsed;
    } catch {
      problems.push({ code: 'LOG_BAD_JSON', line, message: `line ${line} is not valid JSON` });
    }
    const sha256 = sha256Hex(bytes.subarray(offset, end));
    if (record !== undefined && record.prev !== prev) {
      problems.push({ code: 'LOG_CHAIN_BROKEN', line, message: `line ${line} does not follow line ${line - 1}: its "prev" hash does not match (a line was edited, deleted, inserted or moved)` });
    }
    if (record?.type === 'allocation') {
      seq++;
      if (record.seq !== seq) problems.push({ code: 'LOG_SEQUENCE_GAP', line, message: `line ${line} has allocation number ${record.seq} where ${seq} was expected` });
      const first = ids.get(record.id);
      if (first !== undefined) problems.push({ code: 'LOG_DUPLICATE_ID', line, message: `line ${line} allocates id ${JSON.stringify(record.id)} again (first on line ${first})` });
      else ids.set(record.id, line);
    }
    prev = sha256;
    lines.push({ line, text: lineText, offset, byteLength: end - offset, sha256, record });
    offset = end + 1;
  }
  if (head !== undefined) {
    const last = lines[lines.length - 1];
    const previous = lines[lines.length - 2];
    if (head.lines === lines.length && (last?.sha256 ?? genesis) === head.sha256 && head.bytes === completeBytes) {
      // in step
    } else if (last !== undefined && head.lines === lines.length - 1 && (previous?.sha256 ?? genesis) === head.sha256 && head.bytes === last.offset) {
      notes.push({ code: 'LOG_HEAD_BEHIND', line: lines.length, message: `log.head is one line behind: the process writing line ${lines.length} stopped before updating it (that allocation was written but may not have been reported)` });
    } else {
      problems.push({
        code: 'LOG_HEAD_MISMATCH',
        message: `log.head records ${head.lines} lines (${head.bytes} bytes) ending in ${head.sha256.slice(0, 12)}…, but the log has ${lines.length} lines (${completeBytes} bytes)${last !== undefined ? ` ending in ${last.sha256.slice(0, 12)}…` : ''} (lines were removed or changed)`,
      });
    }
  } else if (lines.length > 0) {
    problems.push({ code: 'LOG_HEAD_MISSING', message: 'log.head is missing although the log has lines' });
  }
  return { lines, torn, completeBytes, problems, notes };
}

export function lineSha256(line: LogLine): string {
  return line.sha256;
}

export function readHead(dir: string): Head | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, HEAD_FILE), 'utf8')) as Head;
    return typeof parsed.lines === 'number' && typeof parsed.sha256 === 'string' && typeof parsed.bytes === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Write a small file durably and atomically: temp file, fsync, rename, fsync the directory. */
export function writeDurably(dir: string, name: string, content: string, mode = 0o644): void {
  const temporary = join(dir, `.${name}.${process.pid}.tmp`);
  const fd = openSync(temporary, 'w', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, join(dir, name));
  fsyncDir(dir);
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * log.head is overwritten in place with one write of a fixed-size record (256 bytes, JSON padded with spaces) and
 * fdatasync'ed. It is written only after the log line it names has been fdatasync'ed, so it never names a line that is
 * not durable; a single small write is never half-applied when a process is killed (the page cache survives kill -9),
 * and the fdatasync keeps it from lagging the log after a power cut. It records the log's length and the last line's
 * hash, which through the chain pins every earlier line; it costs O(1) to write (no re-reading of the log).
 */
export const HEAD_BYTES = 256;

export function writeHead(dir: string, head: Head): void {
  const text = canonicalJson(head);
  const record = Buffer.alloc(HEAD_BYTES, 0x20);
  record.write(text, 0, 'utf8');
  record[HEAD_BYTES - 1] = 0x0a;
  // 'r+' (not 'a', whose writes Linux always appends, nor 'w', which would truncate first).
  let fd: number;
  try {
    fd = openSync(join(dir, HEAD_FILE), 'r+');
  } catch {
    fd = openSync(join(dir, HEAD_FILE), 'w');
  }
  try {
    writeSync(fd, record, 0, HEAD_BYTES, 0);
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Append one record as a canonical-JSON line with a single write, fsync it, and return the line's hash. */
export function appendRecord(dir: string, record: LogRecord): { text: string; sha256: string; offset: number; byteLength: number; logBytes: number } {
  const text = canonicalJson(record);
  const fd = openSync(join(dir, LOG_FILE), 'a');
  let logBytes: number;
  const byteLength = Buffer.byteLength(text) + 1;
  try {
    const buffer = Buffer.from(`${text}\n`, 'utf8');
    let written = 0;
    while (written < buffer.length) written += writeSync(fd, buffer, written, buffer.length - written);
    // fdatasync: the data and the file size reach the disk before the allocation is reported.
    fdatasyncSync(fd);
    logBytes = fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
  return { text, sha256: sha256Hex(text), offset: logBytes - byteLength, byteLength: byteLength - 1, logBytes };
}
