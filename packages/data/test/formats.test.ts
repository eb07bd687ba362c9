import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { isTrialkitError, type Dataset } from '@trialkit/core';
import { prepareTrial, readData, toArquero, writeData } from '@trialkit/data';
import { tempDir } from './helpers.js';

const files = tempDir();

const CSV = [
  'id,arm,y,earnings,office,start',
  '007,control,1,1200.5,Leeds,2024-01-02',
  '008,whp,0,,Hull,2024-01-03',
  '009,whp,1,0,"Leeds, West",NA',
  '010,control,NA,-3.25e2,Hull,2024-02-01',
].join('\n');

/** Columns as plain JSON (NaN → null) so datasets from different formats compare with toEqual. */
function plain(data: Dataset): unknown {
  return {
    nRows: data.nRows,
    columns: data.columns.map((c) => ({
      name: c.name,
      kind: c.kind,
      values: Array.from(c.values as ArrayLike<number | string | null>, (v) => (typeof v === 'number' && Number.isNaN(v) ? null : v)),
    })),
  };
}

describe('Parquet and JSON read to the same Dataset as the CSV', () => {
  it('reads the CSV as expected', async () => {
    const data = await readData(files.write('trial.csv', `${CSV}\n`));
    expect(plain(data)).toEqual({
      nRows: 4,
      columns: [
        { name: 'id', kind: 'text', values: ['007', '008', '009', '010'] },
        { name: 'arm', kind: 'text', values: ['control', 'whp', 'whp', 'control'] },
        { name: 'y', kind: 'number', values: [1, 0, 1, null] },
        { name: 'earnings', kind: 'number', values: [1200.5, null, 0, -325] },
        { name: 'office', kind: 'text', values: ['Leeds', 'Hull', 'Leeds, West', 'Hull'] },
        { name: 'start', kind: 'text', values: ['2024-01-02', '2024-01-03', null, '2024-02-01'] },
      ],
    });
  });

  it('round-trips CSV → Parquet, JSON and JSON Lines (writeData) → the same Dataset', async () => {
    const fromCsv = await readData(files.write('source.csv', `${CSV}\n`));
    for (const name of ['copy.parquet', 'copy.json', 'copy.jsonl', 'copy.csv']) {
      const path = join(files.dir, name);
      await writeData(path, fromCsv);
      const back = await readData(path);
      expect(plain(back), name).toEqual(plain(fromCsv));
      expect(back.source?.format).toBe(name.endsWith('.parquet') ? 'parquet' : name.endsWith('.csv') ? 'csv' : 'json');
    }
  });

  it('reads a hand-written JSON array and JSON Lines file like the CSV', async () => {
    const records = [
      { id: '007', arm: 'control', y: 1, earnings: 1200.5, office: 'Leeds', start: '2024-01-02' },
      { id: '008', arm: 'whp', y: 0, earnings: null, office: 'Hull', start: '2024-01-03' },
      { id: '009', arm: 'whp', y: 1, earnings: 0, office: 'Leeds, West', start: 'NA' },
      { id: '010', arm: 'control', y: null, earnings: -325, office: 'Hull', start: '2024-02-01' },
    ];
    const fromCsv = await readData(files.write('same.csv', `${CSV}\n`));
    const fromJson = await readData(files.write('same.json', JSON.stringify(records, null, 2)));
    const fromLines = await readData(files.write('same.jsonl', `${records.map((r) => JSON.stringify(r)).join('\n')}\n`));
    expect(plain(fromJson)).toEqual(plain(fromCsv));
    expect(plain(fromLines)).toEqual(plain(fromCsv));
  });

  it('prepares the same trial from every format', async () => {
    const fromCsv = await readData(files.write('prep.csv', `${CSV}\n`));
    const parquet = join(files.dir, 'prep.parquet');
    await writeData(parquet, fromCsv);
    const roles = { outcome: 'y', assignment: 'arm', covariates: ['office'], id: 'id' };
    const a = prepareTrial(fromCsv, roles);
    const b = prepareTrial(await readData(parquet), roles);
    expect(b.outcome).toEqual(a.outcome);
    expect(b.covariates).toEqual(a.covariates);
    expect(b.missing).toEqual(a.missing);
    expect(a.covariates.map((c) => c.name)).toEqual(['office_Leeds', 'office_Leeds, West']);
  });

  it('refuses JSON that is not an array of flat records', async () => {
    for (const [name, body] of [
      ['object.json', '{"a": 1}'],
      ['nested.json', '[{"a": {"b": 1}}]'],
      ['broken.jsonl', '{"a": 1}\n{"a": \n'],
    ] as const) {
      await expect(readData(files.write(name, body))).rejects.toMatchObject({ code: 'DATA_BAD_JSON' });
    }
  });

  it('keeps a NaN stored in Parquet from passing as missing: prepareTrial says DATA_NOT_FINITE with the row', async () => {
    const path = join(files.dir, 'nan.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(
      `COPY (SELECT * FROM (VALUES (1.0::DOUBLE, 0), ('nan'::DOUBLE, 1), (NULL, 1)) AS t(y, z)) TO '${path}' (FORMAT parquet)`,
    );
    connection.closeSync();
    instance.closeSync();
    const data = await readData(path);
    expect(plain(data)).toMatchObject({ nRows: 3, columns: [{ name: 'y', kind: 'text', values: ['1.0', 'nan', null] }, { name: 'z' }] });
    expect(() => prepareTrial(data, { outcome: 'y', assignment: 'z' })).toThrow(expect.objectContaining({ code: 'DATA_NOT_FINITE', row: 2 }));
  });
});

describe('writeData', () => {
  it('writes CSV numbers that read back to the same doubles', async () => {
    const values = Float64Array.from([0.1 + 0.2, 1 / 3, -1e-300, 123456789.123456789, 2 ** 52 + 1, Number.NaN]);
    const data: Dataset = { nRows: values.length, columns: [{ kind: 'number', name: 'x', values }] };
    const path = join(files.dir, 'doubles.csv');
    await writeData(path, data);
    const back = await readData(path);
    const column = back.columns[0]!;
    expect(column.kind).toBe('number');
    expect(Array.from(column.values as Float64Array)).toEqual(Array.from(values));
  });

  it('quotes text with delimiters, quotes and line breaks', async () => {
    const data: Dataset = { nRows: 3, columns: [{ kind: 'text', name: 'note', values: ['a,b', 'say "hi"', 'two\nlines'] }] };
    const path = join(files.dir, 'quoted-out.csv');
    await writeData(path, data);
    expect(readFileSync(path, 'utf8')).toBe('note\n"a,b"\n"say ""hi"""\n"two\nlines"\n');
  });

  it('leaves no file, not even a partial one, when a write fails', async () => {
    const data: Dataset = {
      nRows: 2,
      columns: [{ kind: 'number', name: 'x', values: Float64Array.from([1, Number.POSITIVE_INFINITY]) }],
    };
    const before = readdirSync(files.dir);
    const error = await writeData(join(files.dir, 'inf.json'), data).catch((e: unknown) => e);
    expect(isTrialkitError(error) && error.code).toBe('DATA_WRITE_FAILED');
    expect(readdirSync(files.dir)).toEqual(before);
    const missingDir = await writeData(join(files.dir, 'no', 'such', 'dir.csv'), data).catch((e: unknown) => e);
    expect(isTrialkitError(missingDir) && missingDir.code).toBe('DATA_WRITE_FAILED');
  });
});

describe('toArquero', () => {
  it('gives an arquero table with the same columns and values', async () => {
    const data = await readData(files.write('aq.csv', `${CSV}\n`));
    const table = toArquero(data);
    expect(table.numRows()).toBe(4);
    expect(table.columnNames()).toEqual(['id', 'arm', 'y', 'earnings', 'office', 'start']);
    expect(table.get('id', 0)).toBe('007');
    expect(table.get('earnings', 3)).toBe(-325);
    expect(table.array('office')).toEqual(['Leeds', 'Hull', 'Leeds, West', 'Hull']);
  });
});
