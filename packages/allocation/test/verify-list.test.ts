import { describe, expect, it } from 'vitest';
import { allocate, columnsOfMeta, listToCsv, verifyList } from '../src/index.js';
import type { Participants } from '../src/index.js';

const ids = Array.from({ length: 40 }, (_, i) => `P${i + 1}`);
const office = ids.map((_, i) => ['north', 'south'][i % 2] as string);
const sex = ids.map((_, i) => (i % 3 === 0 ? 'f' : 'm'));

describe('verifyList', () => {
  it('regenerates a block list from its metadata and finds it identical', () => {
    const list = allocate({ ids, strata: office, strataColumns: ['office'], idColumn: 'person', arms: 'control:1,whp:1', scheme: 'block', seed: 12, blockSizes: [4, 6] });
    expect(columnsOfMeta(list.meta)).toEqual({ id: 'person', strata: ['office'] });
    const participants: Participants = { ids, n: ids.length, idColumn: 'person', strata: office, strataColumns: ['office'] };
    const result = verifyList({ listCsv: listToCsv(list.rows), meta: list.meta, participants });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('finds an edited row, a wrong seed, changed participants and dataset mismatches', () => {
    const factors = [{ name: 'office', values: office, weight: 2 }, { name: 'sex', values: sex, weight: 1 }];
    const list = allocate({ ids, arms: 'control:2,ips:1', scheme: 'minimisation', seed: 'm', factors, concealSeed: true });
    const participants: Participants = { ids, n: ids.length, idColumn: 'id', factors };
    const csv = listToCsv(list.rows);
    expect(() => verifyList({ listCsv: csv, meta: list.meta, participants })).toThrow(/only the seed commitment/);
    expect(verifyList({ listCsv: csv, meta: list.meta, participants, seed: 'm' }).ok).toBe(true);
    const edited = csv.replace(/^(P5,all,5,)(control|ips)$/m, (_m, head: string, arm: string) => `${head}${arm === 'control' ? 'ips' : 'control'}`);
    const r = verifyList({ listCsv: edited, meta: list.meta, participants, seed: 'm' });
    expect(r.problems.map((p) => p.code)).toEqual(['LIST_FILE_CHANGED', 'LIST_ARM_MISMATCH']);
    expect(r.mismatches).toHaveLength(1);
    expect(r.mismatches[0]!.id).toBe('P5');
    expect(verifyList({ listCsv: csv, meta: list.meta, participants, seed: 'n' }).problems.map((p) => p.code)).toContain('LIST_SEED_NOT_COMMITTED');
    const changed = verifyList({ listCsv: csv, meta: list.meta, participants: { ...participants, factors: [factors[0]!, { ...factors[1]!, values: sex.map(() => 'f') }] }, seed: 'm' });
    expect(changed.problems.map((p) => p.code)).toContain('LIST_INPUTS_CHANGED');
    const arms = list.rows.map((row) => row.arm);
    const data = { ids: [...ids.slice(1), 'X9'], assignments: [...arms.slice(1).map((a, i) => (i === 0 ? (a === 'ips' ? 'control' : 'ips') : a)), 'control'] };
    const withData = verifyList({ listCsv: csv, meta: list.meta, participants, seed: 'm', data });
    expect(withData.data!.missing).toEqual(['P1']);
    expect(withData.data!.extra).toEqual([{ id: 'X9', row: 40 }]);
    expect(withData.data!.mismatches.map((m) => m.id)).toEqual(['P2']);
    expect(withData.ok).toBe(false);
  });
});
