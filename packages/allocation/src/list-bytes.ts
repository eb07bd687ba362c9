/**
 * The list's CSV bytes and its input-hash bytes, written in one pass over the columns (ids, stratum index, arm index)
 * into two Buffers — no row objects, no per-row strings (the million-row list in well under a second).
 *
 * The bytes are exactly those of `listToCsv(rows)` and of `hashInputs` for lists without factors or covariates
 * (list.ts is the specification; the golden lists and a seeded property test hold the two to each other):
 *   CSV line:        csvField(id) "," csvField(stratum) "," sequence "," csvField(arm) ["," csvField(cluster)] "\n"
 *   input-hash line: jsonString(id) "," jsonString(stratum) "," (jsonString(cluster) | "null") "\n"
 * An id (or cluster) of printable ASCII that needs neither CSV quoting nor JSON escaping is copied byte by byte
 * (the same bytes in both encodings); any other takes the general csvField / jsonString path. Stratum and arm fields
 * are encoded once each.
 */
import { createHash } from 'node:crypto';
import { csvField, inputsHeader, jsonString } from './list.js';

export interface ListColumns {
  readonly ids: readonly string[];
  readonly strataOrder: readonly string[];
  readonly stratumIndex: Int32Array;
  readonly armIndex: Uint8Array;
  readonly armNames: readonly string[];
  readonly clusters?: readonly string[] | undefined;
}

/** True when every character is printable ASCII other than `"`, `,` and `\` (then CSV and JSON leave it as is). */
function plain(text: string): boolean {
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x2c || c === 0x5c) return false;
  }
  return true;
}

const CHUNK = 1 << 16;

/**
 * Write the list's CSV bytes to `onCsv` and (when given) its input-hash bytes to `onInputs`, in chunks of about 64 kB
 * from two reused buffers (a sink must consume or copy a chunk before returning). Returns each row's sequence number
 * within its stratum and the CSV's length. Streaming matters: on this kind of machine merely touching the pages of a
 * fresh 30 MB buffer costs about 0.1 s.
 */
export function writeListBytes(columns: ListColumns, onCsv: (chunk: Buffer) => void, onInputs?: (chunk: Buffer) => void): { sequence: Int32Array; csvLength: number } {
  const { ids, stratumIndex, armIndex, clusters } = columns;
  const n = ids.length;
  const withCluster = clusters !== undefined;
  const header = withCluster ? 'id,stratum,sequence,arm,cluster\n' : 'id,stratum,sequence,arm\n';
  // Per stratum: CSV ",<stratum>," and input-hash ",<"stratum">,"; per arm: CSV ",<arm>" + ("\n" | ",").
  const csvStratum = columns.strataOrder.map((s) => Buffer.from(`,${csvField(s)},`, 'utf8'));
  const jsonStratum = columns.strataOrder.map((s) => Buffer.from(`,${jsonString(s)},`, 'utf8'));
  const csvArm = columns.armNames.map((a) => Buffer.from(`,${csvField(a)}${withCluster ? ',' : '\n'}`, 'utf8'));
  const jsonNullLine = Buffer.from('null\n');
  let csv = Buffer.allocUnsafe(CHUNK);
  let inputs = Buffer.allocUnsafe(CHUNK);
  let c = csv.write(header, 0, 'latin1');
  let j = 0;
  let csvLength = 0;
  const sequence = new Int32Array(n);
  const counter = new Int32Array(columns.strataOrder.length);
  for (let i = 0; i < n; i++) {
    const id = ids[i] as string;
    const s = stratumIndex[i] as number;
    const seq = ((counter[s] as number) + 1) | 0;
    counter[s] = seq;
    sequence[i] = seq;
    const stratumCsv = csvStratum[s] as Buffer;
    const stratumJson = jsonStratum[s] as Buffer;
    const armCsv = csvArm[armIndex[i] as number] as Buffer;
    const cluster = withCluster ? (clusters[i] as string) : '';
    // Room for this row in the worst case (3 UTF-8 bytes per UTF-16 unit, doubled quotes or \u escapes ×2 more).
    const room = 6 * (id.length + cluster.length) + stratumCsv.length + stratumJson.length + armCsv.length + 48;
    if (c + room > csv.length) {
      onCsv(csv.subarray(0, c));
      csvLength += c;
      c = 0;
      if (room > csv.length) csv = Buffer.allocUnsafe(room);
    }
    if (j + room > inputs.length) {
      onInputs?.(inputs.subarray(0, j));
      j = 0;
      if (room > inputs.length) inputs = Buffer.allocUnsafe(room);
    }
    if (plain(id)) {
      inputs[j++] = 0x22;
      for (let k = 0; k < id.length; k++) {
        const code = id.charCodeAt(k);
        csv[c++] = code;
        inputs[j++] = code;
      }
      inputs[j++] = 0x22;
    } else {
      c += csv.write(csvField(id), c, 'utf8');
      j += inputs.write(jsonString(id), j, 'utf8');
    }
    for (let k = 0; k < stratumCsv.length; k++) csv[c++] = stratumCsv[k] as number;
    for (let k = 0; k < stratumJson.length; k++) inputs[j++] = stratumJson[k] as number;
    // The sequence number's decimal digits.
    let digits = 1;
    for (let v = seq; v >= 10; v = (v / 10) | 0) digits++;
    for (let v = seq, at = c + digits - 1; at >= c; v = (v / 10) | 0, at--) csv[at] = 48 + (v % 10);
    c += digits;
    for (let k = 0; k < armCsv.length; k++) csv[c++] = armCsv[k] as number;
    if (withCluster) {
      if (plain(cluster)) {
        inputs[j++] = 0x22;
        for (let k = 0; k < cluster.length; k++) {
          const code = cluster.charCodeAt(k);
          csv[c++] = code;
          inputs[j++] = code;
        }
        inputs[j++] = 0x22;
      } else {
        c += csv.write(csvField(cluster), c, 'utf8');
        j += inputs.write(jsonString(cluster), j, 'utf8');
      }
      csv[c++] = 0x0a;
      inputs[j++] = 0x0a;
    } else {
      for (let k = 0; k < jsonNullLine.length; k++) inputs[j++] = jsonNullLine[k] as number;
    }
  }
  onCsv(csv.subarray(0, c));
  csvLength += c;
  onInputs?.(inputs.subarray(0, j));
  return { sequence, csvLength };
}

/** The list's SHA-256, its input hash (lists without factors or covariates) and sequence numbers, in one pass. */
export function hashList(columns: ListColumns): { sequence: Int32Array; csvLength: number; listSha256: string; inputSha256: string } {
  const listHash = createHash('sha256');
  const inputHash = createHash('sha256');
  inputHash.update(inputsHeader([]));
  const written = writeListBytes(columns, (chunk) => listHash.update(chunk), (chunk) => inputHash.update(chunk));
  return { ...written, listSha256: listHash.digest('hex'), inputSha256: inputHash.digest('hex') };
}

/** The list's CSV bytes in one Buffer of `length` bytes (from `hashList`). */
export function listCsvBytes(columns: ListColumns, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  writeListBytes(columns, (chunk) => {
    at += chunk.copy(out, at);
  });
  return out;
}
