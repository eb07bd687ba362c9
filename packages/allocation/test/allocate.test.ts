import { describe, expect, it } from 'vitest';
import { TrialkitError } from '@trialkit/core';
import { createHash } from 'node:crypto';
import { AllocationErrorCode, allocate, hashInputs, listToCsv, parseListCsv } from '../src/index.js';
import { firstDuplicate } from '../src/prepare.js';
import type { AllocationRequest } from '../src/index.js';

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `P${String(i + 1).padStart(5, '0')}`);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof TrialkitError ? error.code : `not a TrialkitError: ${String(error)}`;
  }
  return undefined;
}

describe('allocate: shape and metadata', () => {
  it('returns one row per id in input order, with the sequence within each stratum', () => {
    const strata = ['a', 'b', 'a', 'a', 'b'];
    const list = allocate({ ids: ids(5), arms: 'control:1,treatment:1', scheme: 'block', seed: 1, strata, blockSizes: [2] });
    expect(list.rows.map((r) => r.id)).toEqual(ids(5));
    expect(list.rows.map((r) => r.stratum)).toEqual(strata);
    expect(list.rows.map((r) => r.sequence)).toEqual([1, 1, 2, 3, 2]);
    expect(list.meta.schemeVersion).toBe('block@1');
    expect(list.meta.countsByStratum['a']).toBeDefined();
    expect(list.meta.counts['control']! + list.meta.counts['treatment']!).toBe(5);
    expect(list.meta.seed).toBe('1');
    expect(list.meta.seedCommitment).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is reproducible, and a different seed gives a different list', () => {
    const request: AllocationRequest = { ids: ids(200), arms: 'control:1,treatment:1', scheme: 'block', seed: 'whp-2026' };
    const first = allocate(request);
    expect(allocate(request).meta.listSha256).toBe(first.meta.listSha256);
    expect(allocate({ ...request, seed: 'whp-2027' }).meta.listSha256).not.toBe(first.meta.listSha256);
  });

  it('conceals the seed on request, keeping its commitment', () => {
    const list = allocate({ ids: ids(10), arms: 'a:1,b:1', scheme: 'complete', seed: 'secret', concealSeed: true });
    expect(list.meta.seed).toBeUndefined();
    expect(list.meta.seedCommitment).toBe('2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b');
  });

  it('writes CSV that parses back to the same rows, quoting only when needed', () => {
    const list = allocate({ ids: ['a,1', 'b"2', 'c3', 'd4'], arms: 'x:1,y:1', scheme: 'complete', seed: 3 });
    const csv = listToCsv(list.rows);
    expect(csv.startsWith('id,stratum,sequence,arm\n"a,1",all,1,')).toBe(true);
    expect(csv).toContain('"b""2"');
    expect(parseListCsv(csv)).toEqual(list.rows);
  });
});

describe('allocate: bad input is a TrialkitError', () => {
  const base: AllocationRequest = { ids: ids(6), arms: 'control:1,treatment:1', scheme: 'block', seed: 1 };
  it.each([
    ['duplicate ids', { ids: ['a', 'b', 'a'] }, AllocationErrorCode.duplicateId],
    ['empty participants', { ids: [] }, AllocationErrorCode.empty],
    ['a missing id', { ids: ['a', '', 'c'] }, AllocationErrorCode.missingId],
    ['missing stratum', { strata: ['x', 'y', null, 'x', 'y', 'x'] }, AllocationErrorCode.missingStratum],
    ['blank stratum', { strata: ['x', 'y', ' ', 'x', 'y', 'x'] }, AllocationErrorCode.missingStratum],
    ['strata of the wrong length', { strata: ['x'] }, AllocationErrorCode.lengthMismatch],
    ['zero ratio', { arms: 'control:0,treatment:1' }, AllocationErrorCode.badRatio],
    ['non-integer ratio', { arms: [{ name: 'c', ratio: 1.5 }, { name: 't', ratio: 1 }] }, AllocationErrorCode.badRatio],
    ['block size not a multiple of the ratio sum', { arms: 'c:2,t:1', blockSizes: [3, 4] }, AllocationErrorCode.badBlockSize],
    ['block size zero', { blockSizes: [0] }, AllocationErrorCode.badBlockSize],
    ['missing cluster value', { scheme: 'cluster', clusters: ['k1', 'k1', undefined, 'k2', 'k2', 'k3'] }, AllocationErrorCode.missingCluster],
    ['cluster scheme without clusters', { scheme: 'cluster' }, AllocationErrorCode.badOption],
    ['stratum varying in a cluster', { scheme: 'cluster', clusters: ['k1', 'k1', 'k2', 'k2', 'k3', 'k3'], strata: ['a', 'b', 'a', 'a', 'b', 'b'] }, AllocationErrorCode.stratumVariesInCluster],
    ['unknown scheme', { scheme: 'lottery' }, AllocationErrorCode.badScheme],
    ['stratified without strata', { scheme: 'stratified' }, AllocationErrorCode.badOption],
    ['bad seed', { seed: -1 }, 'CORE_BAD_SEED'],
  ] as const)('%s', (_name, change, code) => {
    expect(codeOf(() => allocate({ ...base, ...(change as Partial<AllocationRequest>) }))).toBe(code);
  });

  it('names the row of a duplicate id', () => {
    try {
      allocate({ ...base, ids: ['a', 'b', 'c', 'b'], idColumn: 'person' });
      expect.unreachable();
    } catch (error) {
      expect((error as TrialkitError).row).toBe(4);
      expect((error as TrialkitError).column).toBe('person');
      expect((error as TrialkitError).message).toContain('first in row 2');
    }
  });
});

describe('list bytes written from the columns equal the row-by-row specification (listToCsv, hashInputs)', () => {
  // Every character class the fast path must hand to csvField / jsonString: quotes, commas, backslashes, CR/LF,
  // tabs and other controls, non-ASCII, astral characters and a lone surrogate; plus plain ids of many lengths.
  const awkward = ['plain', 'with,comma', 'say "hi"', 'back\\slash', 'line\nbreak', 'cr\rhere', 'tab\there', '\u0001ctl', 'café', 'Zoë,"x"', '😀emoji', 'lone\ud800', ' lead', 'DEL\u007f'];
  const mixedIds = [...awkward, ...Array.from({ length: 300 }, (_, i) => `id-${i}-${'x'.repeat(i % 17)}`)];
  const strata = mixedIds.map((_, i) => ['north', 'south,east', 'q"uote', 'ünï'][i % 4] as string);
  const clusters = mixedIds.map((_, i) => ['c1', 'c,2', 'c"3', 'ç4'][(i >> 3) % 4] as string);
  const sha = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');
  it.each([
    ['block', { scheme: 'block', strata, blockSizes: [2, 4] }],
    ['complete, unstratified', { scheme: 'complete' }],
    ['cluster', { scheme: 'cluster', clusters, strata: clusters.map(() => 'all') }],
  ] as const)('%s', (_name, change) => {
    const list = allocate({ ids: mixedIds, arms: 'con.trol:1,t+reat:1', seed: 5, ...(change as Partial<AllocationRequest>) } as AllocationRequest);
    const rows = list.rows;
    expect(list.csv.toString('utf8')).toBe(listToCsv(rows));
    expect(list.meta.listSha256).toBe(sha(list.csv));
    expect(list.meta.inputSha256).toBe(hashInputs({ ids: mixedIds, strata: rows.map((r) => r.stratum), clusters: (change as { clusters?: string[] }).clusters }));
    expect(parseListCsv(list.csv.toString('utf8')).map((r) => r.id)).toEqual(mixedIds.map((id) => Buffer.from(id).toString())); // a lone surrogate is written as U+FFFD
  });

  it('finds the first repeated id (row of the repeat and of its first occurrence) like a Set would', () => {
    expect(firstDuplicate(mixedIds)).toBeUndefined();
    expect(firstDuplicate(['a', 'b', 'c', 'b', 'a'])).toEqual({ row: 4, first: 2 });
    expect(firstDuplicate([...mixedIds, 'café'])).toEqual({ row: mixedIds.length + 1, first: 9 });
    // Many ids, one repeat at the end: FNV collisions and linear probing wrap-around exercised.
    const many = Array.from({ length: 50_000 }, (_, i) => `P${i}`);
    expect(firstDuplicate(many)).toBeUndefined();
    expect(firstDuplicate([...many, 'P31337'])).toEqual({ row: 50_001, first: 31_338 });
  });
});

describe('sequence tables', () => {
  it('row n of a stratum table is the arm of the n-th participant of that stratum in a block list', async () => {
    const { sequenceLists } = await import('../src/index.js');
    const strata = ids(90).map((_, i) => ['a', 'b', 'c'][(i * i) % 3] as string);
    const list = allocate({ ids: ids(90), strata, arms: 'control:2,ips:1', scheme: 'block', seed: 'seq', blockSizes: [3, 6] });
    const tables = sequenceLists({ arms: 'control:2,ips:1', seed: 'seq', strata: ['a', 'b', 'c'], perStratum: 60, blockSizes: [3, 6] });
    for (const row of list.rows) {
      expect(tables.rows.find((t) => t.stratum === row.stratum && t.sequence === row.sequence)!.arm).toBe(row.arm);
    }
  });
  it('warns when a table could run out: P(Binomial(M, π) > N) from the exact binomial tail', async () => {
    const { binomialUpperTail, sequenceLists } = await import('../src/index.js');
    // P(Bin(10, 0.5) > 7) = (45 + 10 + 1) / 1024
    expect(binomialUpperTail(10, 0.5, 7)).toBeCloseTo(56 / 1024, 14);
    expect(binomialUpperTail(10, 0.5, 10)).toBe(0);
    const tables = sequenceLists({ arms: 'a:1,b:1', seed: 1, strata: ['x', 'y'], perStratum: 50, expectedRecruitment: 120, stratumShares: { x: 0.5, y: 0.5 } });
    expect(tables.diagnostics.map((d) => d.code)).toEqual(['ALLOC_SEQUENCE_LIST_MAY_RUN_OUT', 'ALLOC_SEQUENCE_LIST_MAY_RUN_OUT']);
    const enough = sequenceLists({ arms: 'a:1,b:1', seed: 1, strata: ['x', 'y'], perStratum: 100, expectedRecruitment: 120, stratumShares: { x: 0.5, y: 0.5 } });
    expect(enough.diagnostics).toEqual([]);
  });
});
