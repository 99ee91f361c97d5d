import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { PopulationRegistry, RegistryRecord } from '../domain/verification/population-registry.ts';
import { AppError } from '../shared/errors.ts';

/** The header a registry file must start with, in this order. */
export const REGISTRY_CSV_COLUMNS = ['cccd', 'full_name', 'date_of_birth', 'gender'] as const;

type Column = (typeof REGISTRY_CSV_COLUMNS)[number];

const CCCD = /^\d{12}$/;
// Control characters (newlines, tabs...) have no place in a name.
const CONTROL = /\p{Cc}/u;

/** One data row, validated column by column; messages name the problem, never the value. */
const rowSchema = z.object({
  cccd: z.string().regex(CCCD, 'must be 12 digits'),
  full_name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .refine((name) => !CONTROL.test(name), 'must not contain control characters')
    .transform((name) => name.normalize('NFC')),
  date_of_birth: z.iso.date('must be a valid date written YYYY-MM-DD'),
  gender: z.enum(['male', 'female'], 'must be male or female'),
});

/** A parsed CSV record with the line it ended on (`info: true` in csv-parse). */
interface ParsedLine {
  info: { lines: number };
  record: string[];
}

function invalid(path: string, line: number, problem: string): AppError {
  return new AppError('REGISTRY_FILE_INVALID', `Population registry file ${path}: line ${line}: ${problem}`, {
    context: { line },
  });
}

function parseLines(path: string, text: string): ParsedLine[] {
  try {
    // Without `columns`, csv-parse returns arrays; `info: true` wraps each in { info, record }.
    return parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n'],
    }) as unknown as ParsedLine[];
  } catch (error) {
    // csv-parse messages quote the offending characters: keep only the line number and the error code.
    const line = typeof error === 'object' && error !== null && 'lines' in error ? Number(error.lines) : 0;
    const code =
      typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown';
    throw invalid(path, line, `not valid CSV (${code})`);
  }
}

/**
 * Reads a CSV file into a registry record per CCCD, rejecting the whole file at the first bad row.
 * Errors name the file, the line and the column, never the value (it is personal data).
 */
async function loadRecords(path: string): Promise<Map<string, RegistryRecord>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown';
    throw new AppError(
      'REGISTRY_FILE_UNREADABLE',
      `Population registry file ${path} cannot be read (${code})`,
      {
        cause: error,
      },
    );
  }

  const [header, ...rows] = parseLines(path, text);
  if (header === undefined || header.record.join(',') !== REGISTRY_CSV_COLUMNS.join(',')) {
    throw invalid(
      path,
      header?.info.lines ?? 1,
      `the header must be exactly ${REGISTRY_CSV_COLUMNS.join(',')}`,
    );
  }

  const records = new Map<string, RegistryRecord>();
  for (const { info, record } of rows) {
    if (record.length !== REGISTRY_CSV_COLUMNS.length) {
      throw invalid(
        path,
        info.lines,
        `expected ${REGISTRY_CSV_COLUMNS.length} columns, found ${record.length}`,
      );
    }
    const fields = Object.fromEntries(REGISTRY_CSV_COLUMNS.map((column, i) => [column, record[i]]));
    const parsed = rowSchema.safeParse(fields);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const column = (issue?.path[0] ?? 'unknown') as Column | 'unknown';
      throw invalid(path, info.lines, `column ${column} ${issue?.message ?? 'is invalid'}`);
    }
    const row = parsed.data;
    if (records.has(row.cccd)) {
      throw invalid(path, info.lines, 'column cccd repeats a number already listed on an earlier line');
    }
    records.set(row.cccd, {
      cccd: row.cccd,
      fullName: row.full_name,
      dateOfBirth: row.date_of_birth,
      gender: row.gender,
    });
  }
  return records;
}

/**
 * A population registry read once from a CSV file (`POPULATION_REGISTRY=file:PATH.csv`): the synthetic sample
 * for development and demos, or an extract handed over by the registry's owner.
 *
 * Format: UTF-8 (a BOM is allowed), LF or CRLF line endings, RFC 4180 quoting, the header
 * `cccd,full_name,date_of_birth,gender` first, then one person per line: a 12-digit CCCD (unique in the file),
 * the full name with diacritics, the date of birth `YYYY-MM-DD`, and `male` or `female`. Blank lines are skipped.
 *
 * The whole file is validated at load: a bad row fails the load with an `REGISTRY_FILE_INVALID` error naming
 * the file, the line and the column (never the value); a missing file fails with `REGISTRY_FILE_UNREADABLE`.
 * Lookups are then answered from memory and never fail. Changes to the file need a restart.
 */
export async function createFileRegistry(path: string): Promise<PopulationRegistry> {
  const records = await loadRecords(path);
  return {
    async lookup(cccd: string): Promise<RegistryRecord | null> {
      const found = records.get(cccd);
      return found === undefined ? null : { ...found };
    },
  };
}
