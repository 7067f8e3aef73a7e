import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CSV_MAX_RECORD_BYTES, csvRecords, planCsvBatches } from '../../main/datasets/importers/csvRecords';
import type { CsvRecord } from '../../main/datasets/importers/csvRecords';
import { makeTempDir } from '../support/tempDir';

const dir = makeTempDir('codepercept-csv-');
afterAll(() => dir.cleanup());

let files = 0;
function csvFile(text: string): string {
  const path = join(dir.path, `f${files++}.csv`);
  writeFileSync(path, text);
  return path;
}

/** Every row of the file, read batch by batch as the import does. */
async function readAll(path: string, perBatch: number): Promise<CsvRecord[]> {
  const signal = new AbortController().signal;
  const rows: CsvRecord[] = [];
  for (const batch of await planCsvBatches(path, perBatch, signal))
    for await (const row of csvRecords(path, batch)) rows.push(row);
  return rows;
}

/** Rows as [line, uid] for records and [line, field, reason] for errors. */
function summary(rows: CsvRecord[]): unknown[] {
  return rows.map((r) => ('record' in r ? [r.line, r.record.uid] : [r.line, r.error.field, r.error.reason]));
}

describe('CSV planner: bad rows are row errors, the rows around them are kept', () => {
  it('a stray quote inside an unquoted field costs that row only, in every batch size', async () => {
    const path = csvFile(
      'uid,image,caption\na,a.png,one\nb,b.png,two\nc,c.png,he said "hi" there\nd,d.png,"four, quoted"\ne,e.png,five\n',
    );
    const expected = [
      [2, 'a'],
      [3, 'b'],
      [
        4,
        'caption',
        'a quote inside an unquoted field: quote the whole field and write each quote in it as ""',
      ],
      [5, 'd'],
      [6, 'e'],
    ];
    for (const perBatch of [1, 2, 3, 100]) expect(summary(await readAll(path, perBatch))).toEqual(expected);
    const rows = await readAll(path, 2);
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
    expect(rows[3]).toMatchObject({ record: { uid: 'd', image: 'd.png', caption: 'four, quoted' } });
  });

  it('an unclosed quote costs its own line: reading goes on at the next one', async () => {
    const atEnd = csvFile(
      'uid,image,caption\na,a.png,one\nb,b.png,"never closed\nc,c.png,three\nd,d.png,four',
    );
    expect(summary(await readAll(atEnd, 2))).toEqual([
      [2, 'a'],
      [
        3,
        'caption',
        "the field's opening quote never closes before the end of the file; reading went on at the next line",
      ],
      [4, 'c'],
      [5, 'd'],
    ]);
    // A later quoted field ends the swallow early; the rows in between are read again.
    const later = csvFile(
      'uid,image,caption\r\nb,"b.png,two\r\nc,c.png,three\r\nd,d.png,"four, quoted"\r\ne,e.png,five\r\n',
    );
    expect(summary(await readAll(later, 1))).toEqual([
      [
        2,
        'image',
        "the field's opening quote does not close (a quote on a later line does not end it); reading went on at the next line",
      ],
      [3, 'c'],
      [4, 'd'],
      [5, 'e'],
    ]);
  });

  it('an unclosed quote swallows at most CSV_MAX_RECORD_BYTES, never the rest of a large file', async () => {
    const filler = Array.from({ length: 4500 }, (_, i) => `r${i},r.png,${'x'.repeat(4000)}`);
    const path = csvFile(`uid,image,caption\nbad,b.png,"opens\n${filler.join('\n')}\nlast,l.png,end\n`);
    expect(filler.join('\n').length).toBeGreaterThan(CSV_MAX_RECORD_BYTES);
    const rows = await readAll(path, 2000);
    expect(rows).toHaveLength(4502);
    expect(rows[0]).toEqual({
      index: 0,
      line: 2,
      error: {
        field: 'caption',
        reason: 'the row runs past 16 MiB: a quote that never closes, or a field too large for a CSV cell',
      },
    });
    expect(rows.slice(1).every((r) => 'record' in r)).toBe(true);
    expect(summary([rows[1]!, rows[4501]!])).toEqual([
      [3, 'r0'],
      [4503, 'last'],
    ]);
  }, 30_000);

  it('rows with too few or too many fields are row errors', async () => {
    const path = csvFile(
      'uid,image,caption\na,a.png,one\nb,b.png\n\nc,c.png,three,extra\nd,d.png,"multi\nline"\n',
    );
    expect(summary(await readAll(path, 2))).toEqual([
      [2, 'a'],
      [3, null, '2 field(s) where the header has 3'],
      [5, null, '4 field(s) where the header has 3'],
      [7, 'd'],
    ]);
  });

  it('gives up, naming lines, on a file whose quoting is broken throughout', async () => {
    const groups = Array.from({ length: 65 }, (_, i) => `u${i},"opens\nv${i},v.png,"quoted"`);
    const path = csvFile(`uid,image,caption\n${groups.join('\n')}\n`);
    await expect(planCsvBatches(path, 100, new AbortController().signal)).rejects.toThrow(
      /more than 64 rows have a quote that does not close \(lines 2, 4, 6, 8, 10…\)/,
    );
  });

  it('fails the file, not a row, when the header cannot be read', async () => {
    const path = csvFile('uid,"image\n');
    await expect(planCsvBatches(path, 100, new AbortController().signal)).rejects.toThrow(
      /the header row cannot be read: the field's opening quote never closes/,
    );
  });
});
