import { describe, expect, it } from 'vitest';
import { csvCell, majorUnits, toCsv } from './csv.js';

describe('CSV export', () => {
  it('quotes fields with commas, quotes and line breaks, doubling the quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('Dhaka, Gulshan')).toBe('"Dhaka, Gulshan"');
    expect(csvCell('The "Best" Show')).toBe('"The ""Best"" Show"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded ')).toBe('" padded "');
    expect(csvCell('মেঘদল কনসার্ট')).toBe('মেঘদল কনসার্ট');
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('42');
  });

  it('defuses text a spreadsheet would run as a formula, but leaves numbers alone', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","click")')).toBe(
      `"'=HYPERLINK(""http://evil.example"",""click"")"`,
    );
    expect(csvCell('+1 555')).toBe("'+1 555");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvCell(-5)).toBe('-5');
  });

  it('writes a byte-order mark, a header and CRLF-terminated rows', () => {
    expect(
      toCsv(
        ['Title', 'Net'],
        [
          ['A, B', 10],
          ['=x', null],
        ],
      ),
    ).toBe('\uFEFFTitle,Net\r\n"A, B",10\r\n\'=x,\r\n');
  });

  it('writes money in major units with the currency’s own decimals', () => {
    expect(majorUnits(150000, 'BDT')).toBe('1500.00');
    expect(majorUnits(5, 'USD')).toBe('0.05');
    expect(majorUnits(1500, 'JPY')).toBe('1500');
    expect(majorUnits(1234, 'KWD')).toBe('1.234');
    expect(majorUnits(-250, 'EUR')).toBe('-2.50');
  });
});
