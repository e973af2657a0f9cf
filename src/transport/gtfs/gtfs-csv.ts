/**
 * RFC 4180 CSV as GTFS writes it: a header row, fields separated by commas, quoted fields that may hold
 * commas, doubled quotes and line breaks, records ended by CRLF, LF or a lone CR. Rows are handed to a
 * callback one at a time, so a 200,000-line stop_times.txt is never held as an array of arrays.
 */

export interface CsvRow {
  /** 1-based line number where the record starts (the header is line 1). */
  line: number;
  cells: string[];
}

export interface CsvProblem {
  line: number;
  message: string;
}

/**
 * Reads `text` (already decoded, without BOM) record by record. The first record goes to `onHeader`
 * (which may stop the reading by answering false); every later record goes to `onRow`. Blank lines are skipped (GTFS writers leave trailing ones).
 * An unterminated quote is reported once and ends the file.
 */
export function readCsv(
  text: string,
  handlers: { onHeader(columns: string[]): boolean; onRow(row: CsvRow): void },
): { header: string[] | undefined; problems: CsvProblem[]; lineEndings: Set<'CRLF' | 'LF' | 'CR'> } {
  const problems: CsvProblem[] = [];
  const lineEndings = new Set<'CRLF' | 'LF' | 'CR'>();
  let header: string[] | undefined;
  let line = 1;
  let i = 0;
  const length = text.length;

  while (i < length) {
    const startLine = line;
    const cells: string[] = [];
    let field = '';
    let endOfRecord = false;
    let fieldStart = i;
    let quotedField = false;
    while (i < length && !endOfRecord) {
      const ch = text.charCodeAt(i);
      if (ch === 34 /* " */ && i === fieldStart) {
        // A quoted field: read to the closing quote, "" is one quote.
        quotedField = true;
        i++;
        let closed = false;
        let chunkStart = i;
        while (i < length) {
          const c = text.charCodeAt(i);
          if (c === 34) {
            if (text.charCodeAt(i + 1) === 34) {
              field += text.slice(chunkStart, i + 1);
              i += 2;
              chunkStart = i;
              continue;
            }
            field += text.slice(chunkStart, i);
            i++;
            closed = true;
            break;
          }
          if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
          i++;
        }
        if (!closed) {
          field += text.slice(chunkStart, i);
          problems.push({ line: startLine, message: 'a quoted field is never closed' });
        }
        // Anything between the closing quote and the next separator is kept as written (lenient).
        const rest = i;
        while (i < length) {
          const c = text.charCodeAt(i);
          if (c === 44 || c === 10 || c === 13) break;
          i++;
        }
        if (i > rest) field += text.slice(rest, i);
        continue;
      }
      if (ch === 44 /* , */) {
        cells.push(quotedField ? field : field + text.slice(fieldStart, i));
        field = '';
        quotedField = false;
        i++;
        fieldStart = i;
        continue;
      }
      if (ch === 10 || ch === 13) {
        cells.push(quotedField ? field : field + text.slice(fieldStart, i));
        endOfRecord = true;
        if (ch === 10) lineEndings.add('LF');
        else if (text.charCodeAt(i + 1) === 10) lineEndings.add('CRLF');
        else lineEndings.add('CR');
        i += ch === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
        line++;
        break;
      }
      // Plain field: scan to the next separator or line end in one slice.
      let j = i + 1;
      while (j < length) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 10 || c === 13) break;
        j++;
      }
      i = j;
    }
    if (!endOfRecord) cells.push(quotedField ? field : field + text.slice(fieldStart, i));
    if (cells.length === 1 && cells[0] === '') continue; // a blank line
    if (header === undefined) {
      header = cells.map((name) => name.trim());
      if (!handlers.onHeader(header)) break;
    } else handlers.onRow({ line: startLine, cells });
  }
  return { header, problems, lineEndings };
}
