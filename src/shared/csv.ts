/** A cell of a CSV table: text, a number, or nothing (an empty cell). */
export type CsvCell = string | number | null;

/** The byte-order mark that tells spreadsheet programs (Excel) the file is UTF-8, so Vietnamese reads right. */
export const UTF8_BOM = '\uFEFF';

/** Text a spreadsheet would read as a formula (or a DDE command): starts with = + - @, a tab or a carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: a text cell that could be read as a formula gets a leading `'`; quoted when RFC 4180 requires it. */
function cell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A CSV file (RFC 4180): the header row then one line per row, fields separated by commas, lines ended by CRLF,
 * a field quoted (its quotes doubled) when it holds a comma, a quote or a line break; UTF-8 with a byte-order mark.
 * Safe to open in a spreadsheet: a text cell starting with = + - @ (or a tab or carriage return) is prefixed with
 * `'`, so it is never run as a formula. Numbers are written as they are.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return UTF8_BOM + [header, ...rows].map((row) => `${row.map(cell).join(',')}\r\n`).join('');
}
