import { parse } from 'csv-parse/sync';
import { AppError } from '../../shared/errors.ts';
import type { Ward, WardKind } from './wards.ts';

/** The header a wards file must start with, in this order. */
export const WARDS_CSV_COLUMNS = ['code', 'name', 'kind'] as const;

/** The word each kind's official name opens with ("Phường Hải Châu", "Xã Bà Nà", "Đặc khu Hoàng Sa"). */
export const KIND_WORDS: Readonly<Record<WardKind, string>> = {
  phuong: 'Phường',
  xa: 'Xã',
  dac_khu: 'Đặc khu',
};

const CODE = /^\d{5}$/;

/** A parsed CSV record with the line it ended on (`info: true` in csv-parse). */
interface ParsedLine {
  info: { lines: number };
  record: string[];
}

function isKind(kind: string): kind is WardKind {
  return Object.hasOwn(KIND_WORDS, kind);
}

function invalid(source: string, line: number, problem: string): AppError {
  return new AppError('WARDS_FILE_INVALID', `Wards file ${source}: line ${line}: ${problem}`, {
    context: { source, line },
  });
}

/**
 * Parses the text of a wards file (`code,name,kind`, UTF-8, one commune-level unit a row; format in
 * data/danang-wards.md) into wards, in file order. The whole file is rejected at the first bad row with an
 * `AppError` `WARDS_FILE_INVALID` naming `source` and the line: a header other than `code,name,kind`, a code
 * that is not 5 digits, a kind other than `phuong`/`xa`/`dac_khu`, a name that does not open with its kind's
 * word, a repeated code or name, or text that is not CSV. Names come back in NFC.
 */
export function parseWardsCsv(text: string, source: string): Ward[] {
  let lines: ParsedLine[];
  try {
    lines = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      record_delimiter: ['\r\n', '\n'],
    }) as unknown as ParsedLine[];
  } catch (error) {
    const line = typeof error === 'object' && error !== null && 'lines' in error ? Number(error.lines) : 0;
    const code =
      typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown';
    throw invalid(source, line, `not valid CSV (${code})`);
  }

  const [header, ...rows] = lines;
  if (header === undefined || header.record.join(',') !== WARDS_CSV_COLUMNS.join(',')) {
    throw invalid(
      source,
      header?.info.lines ?? 1,
      `the header must be exactly ${WARDS_CSV_COLUMNS.join(',')}`,
    );
  }

  const wards: Ward[] = [];
  const codes = new Set<string>();
  const names = new Set<string>();
  for (const { info, record } of rows) {
    if (record.length !== WARDS_CSV_COLUMNS.length) {
      throw invalid(
        source,
        info.lines,
        `expected ${WARDS_CSV_COLUMNS.length} columns, found ${record.length}`,
      );
    }
    const [code = '', rawName = '', kind = ''] = record;
    const name = rawName.normalize('NFC');
    if (!CODE.test(code)) throw invalid(source, info.lines, 'code must be 5 digits');
    if (!isKind(kind)) throw invalid(source, info.lines, 'kind must be phuong, xa or dac_khu');
    if (!name.startsWith(`${KIND_WORDS[kind]} `) || name.length <= KIND_WORDS[kind].length + 1) {
      throw invalid(source, info.lines, `name must be "${KIND_WORDS[kind]}" followed by the unit's name`);
    }
    if (codes.has(code)) throw invalid(source, info.lines, `code ${code} is repeated`);
    if (names.has(name)) throw invalid(source, info.lines, `name ${name} is repeated`);
    codes.add(code);
    names.add(name);
    wards.push({ code, name, kind });
  }
  return wards;
}
