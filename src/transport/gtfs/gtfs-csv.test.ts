import { describe, expect, it } from 'vitest';
import { readCsv } from './gtfs-csv.js';

function parse(text: string) {
  const rows: { line: number; cells: string[] }[] = [];
  let header: string[] = [];
  const result = readCsv(text, {
    onHeader: (columns) => {
      header = columns;
      return true;
    },
    onRow: (row) => rows.push(row),
  });
  return { ...result, header, rows };
}

describe('readCsv (RFC 4180 as GTFS writes it)', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, and numbers lines from the header', () => {
    const { header, rows } = parse('a,b,c\n1,"x, y","say ""hi"""\n2,"two\nlines",z\n3,,\n');
    expect(header).toEqual(['a', 'b', 'c']);
    expect(rows).toEqual([
      { line: 2, cells: ['1', 'x, y', 'say "hi"'] },
      { line: 3, cells: ['2', 'two\nlines', 'z'] },
      { line: 5, cells: ['3', '', ''] },
    ]);
  });

  it('ends records at CRLF, LF or a lone CR, skips blank lines and reports mixed endings', () => {
    const { rows, lineEndings } = parse('a,b\r\n1,2\r\n\r\n3,4\r5,6\n7,8');
    expect(rows.map((row) => row.cells)).toEqual([
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
      ['7', '8'],
    ]);
    expect(rows.map((row) => row.line)).toEqual([2, 4, 5, 6]);
    expect([...lineEndings].sort()).toEqual(['CR', 'CRLF', 'LF']);
  });

  it('reports a quote that is never closed', () => {
    const { problems } = parse('a,b\n1,"open\n');
    expect(problems).toEqual([{ line: 2, message: 'a quoted field is never closed' }]);
  });

  it('stops reading when the header handler refuses', () => {
    const rows: unknown[] = [];
    readCsv('a\n1\n2\n', { onHeader: () => false, onRow: (row) => rows.push(row) });
    expect(rows).toEqual([]);
  });
});
