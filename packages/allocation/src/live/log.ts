/**
 * The enrolment log: `log.jsonl`, append-only JSON lines, each line canonical JSON (keys sorted, no spaces) with
 * `prev` = SHA-256 of the previous line's text (without its newline); the first line's `prev` is SHA-256 of
 * trial.json, binding the log to the trial's declared design. `log.head` holds the number of lines and the SHA-256
 * of the last one, so deleting or editing the final line is detected too.
 *
 * A line only counts when it ends with "\n" (each line is written with one write() call and fsync'ed before the
 * allocation is reported): bytes after the last newline are a torn line from a process that died mid-write, never
 * reported, never used.
 */
import { closeSync, existsSync, fdatasyncSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
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
  /** SHA-256 of the line's text; '' for lines inside a trusted head digest except the last (use lineSha256). */
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
  /** SHA-256 of the last line (the genesis hash when there are none). */
  readonly sha256: string;
  /** Byte length of the log and SHA-256 of all its bytes. */
  readonly bytes: number;
  readonly logSha256: string;
}

const KNOWN_TYPES = new Set(['allocation', 'repair', 'reveal']);

/** Parse and check the log against the trial's genesis hash and the head file. */
export function parseLog(dir: string, genesis: string, options: { canonical?: boolean; trustHead?: boolean } = {}): ParsedLog {
  const checkCanonical = options.canonical ?? true;
  const path = join(dir, LOG_FILE);
  const bytes = existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
  const lastNewline = bytes.lastIndexOf(0x0a);
  const completeBytes = lastNewline + 1;
  const torn = completeBytes < bytes.length ? bytes.subarray(completeBytes) : undefined;
  const text = bytes.subarray(0, completeBytes).toString('utf8');
  const rawLines = text === '' ? [] : text.slice(0, -1).split('\n');
  const problems: LogProblem[] = [];
  const notes: LogProblem[] = [];
  const lines: LogLine[] = [];
  const head = readHead(dir);
  // The head's digest of the whole log up to its last line: when it matches, those bytes are exactly what
  // trialkit wrote, and their line-by-line chain need not be recomputed (enrol's fast path; verify always checks).
  const prefixMatches =
    head !== undefined && head.bytes <= completeBytes && sha256Hex(bytes.subarray(0, head.bytes)) === head.logSha256;
  const trusted = options.trustHead === true && prefixMatches && head !== undefined ? head.lines : 0;
  let prev = genesis;
  let seq = 0;
  const ids = new Map<string, number>();
  for (let k = 0; k < rawLines.length; k++) {
    const lineText = rawLines[k] as string;
    const line = k + 1;
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
    // Trusted lines (covered by the head's digest) skip their hash, except the last, which the next line names.
    let sha256 = '';
    if (line < trusted) {
      // covered by the head digest
    } else if (line === trusted) {
      sha256 = (head as Head).sha256;
    } else {
      sha256 = sha256Hex(lineText);
      if (record !== undefined && record.prev !== prev) {
        problems.push({ code: 'LOG_CHAIN_BROKEN', line, message: `line ${line} does not follow line ${line - 1}: its "prev" hash does not match (a line was edited, deleted, inserted or moved)` });
      }
    }
    if (record?.type === 'allocation') {
      seq++;
      if (record.seq !== seq) problems.push({ code: 'LOG_SEQUENCE_GAP', line, message: `line ${line} has allocation number ${record.seq} where ${seq} was expected` });
      const first = ids.get(record.id);
      if (first !== undefined) problems.push({ code: 'LOG_DUPLICATE_ID', line, message: `line ${line} allocates id ${JSON.stringify(record.id)} again (first on line ${first})` });
      else ids.set(record.id, line);
    }
    if (line >= trusted) prev = sha256;
    lines.push({ line, text: lineText, sha256, record });
  }
  if (head !== undefined) {
    const last = lines[lines.length - 1];
    const previous = lines[lines.length - 2];
    if (head.lines === lines.length && (last === undefined ? genesis : lineSha256(last)) === head.sha256 && prefixMatches) {
      // in step
    } else if (head.lines === lines.length - 1 && (previous === undefined ? genesis : lineSha256(previous)) === head.sha256 && prefixMatches) {
      notes.push({ code: 'LOG_HEAD_BEHIND', line: lines.length, message: `log.head is one line behind: the process writing line ${lines.length} stopped before updating it (that allocation was written but may not have been reported)` });
    } else {
      problems.push({
        code: 'LOG_HEAD_MISMATCH',
        message: `log.head records ${head.lines} lines ending in ${head.sha256.slice(0, 12)}…, but the log has ${lines.length} lines${lines.length > 0 ? ` ending in ${lineSha256(last as LogLine).slice(0, 12)}…` : ''}, or its bytes differ (lines were removed or changed)`,
      });
    }
  } else if (lines.length > 0) {
    problems.push({ code: 'LOG_HEAD_MISSING', message: 'log.head is missing although the log has lines' });
  }
  return { lines, torn, completeBytes, problems, notes };
}

export function lineSha256(line: LogLine): string {
  return line.sha256 !== '' ? line.sha256 : sha256Hex(line.text);
}

export function readHead(dir: string): Head | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, HEAD_FILE), 'utf8')) as Head;
    return typeof parsed.lines === 'number' && typeof parsed.sha256 === 'string' && typeof parsed.bytes === 'number' && typeof parsed.logSha256 === 'string' ? parsed : undefined;
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
 * log.head is overwritten in place with one write of a fixed-size record (256 bytes, JSON padded with spaces), not
 * fsync'ed: it is written only after the log line it names has been fsync'ed, so it can never name a line that is not
 * durable, and a single small write is never half-applied when a process is killed (the page cache survives kill -9).
 * Avoiding a rename and an fsync here halves the cost of an enrolment; after a power cut the head may lag or be
 * stale, which verify reports.
 */
export const HEAD_BYTES = 256;

export function writeHead(dir: string, position: { lines: number; sha256: string }): void {
  const content = readFileSync(join(dir, LOG_FILE));
  const head: Head = { ...position, bytes: content.length, logSha256: sha256Hex(content) };
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
  } finally {
    closeSync(fd);
  }
}

/** Append one record as a canonical-JSON line with a single write, fsync it, and return the line's hash. */
export function appendRecord(dir: string, record: LogRecord): { text: string; sha256: string } {
  const text = canonicalJson(record);
  const fd = openSync(join(dir, LOG_FILE), 'a');
  try {
    const buffer = Buffer.from(`${text}\n`, 'utf8');
    let written = 0;
    while (written < buffer.length) written += writeSync(fd, buffer, written, buffer.length - written);
    // fdatasync: the data and the file size reach the disk before the allocation is reported.
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { text, sha256: sha256Hex(text) };
}
