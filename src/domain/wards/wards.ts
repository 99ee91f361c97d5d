/**
 * Đà Nẵng's commune-level administrative units (đơn vị hành chính cấp xã) since 1 July 2025, when Quảng Nam
 * province was merged into the city (Resolution 1659/NQ-UBTVQH15): 94 units, 23 phường (wards), 70 xã
 * (communes) and the đặc khu (special zone) Hoàng Sa. Codes are the national administrative unit codes of the
 * statistics office (Decision 19/2025/QĐ-TTg). The list is data/danang-wards.csv, read once when this module
 * is first imported; its source is cited in data/danang-wards.md.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createWardMatcher } from './ward-matcher.ts';
import { parseWardsCsv } from './wards-csv.ts';

/** The kind of a commune-level unit: phường (urban ward), xã (rural commune) or đặc khu (special zone). */
export type WardKind = 'phuong' | 'xa' | 'dac_khu';

/** One commune-level administrative unit of Đà Nẵng. */
export interface Ward {
  /** The national administrative unit code (mã đơn vị hành chính), 5 digits, e.g. "20242". */
  code: string;
  /** The official name with its kind word and diacritics, in NFC: "Phường Hải Châu", "Xã Bà Nà". */
  name: string;
  /** Its kind: `phuong`, `xa` or `dac_khu`. */
  kind: WardKind;
}

/** Where the list is shipped: data/danang-wards.csv at the repository root. */
const WARDS_FILE = fileURLToPath(new URL('../../../data/danang-wards.csv', import.meta.url));

/** The 94 units, sorted by code, as data/danang-wards.csv lists them. Frozen. */
export const wards: readonly Ward[] = Object.freeze(
  parseWardsCsv(readFileSync(WARDS_FILE, 'utf8'), 'data/danang-wards.csv').map((ward) => Object.freeze(ward)),
);

const byCode = new Map(wards.map((ward) => [ward.code, ward]));

/** The unit with this national code ("20242" → Phường Hải Châu), or undefined if Đà Nẵng has none. */
export function findWard(code: string): Ward | undefined {
  return byCode.get(code.trim());
}

const matchAddress = createWardMatcher(wards);

/**
 * The unit named in a free-text address a citizen typed, with or without diacritics ("12 Lê Lợi, phường Hải
 * Châu, Đà Nẵng", "to 5 thon 2 xa Ba Na", "P. Hải Châu", "Hai Chau"), or null when the text names no unit or
 * more than one. A name after a kind word (phường/p., xã/x., đặc khu) wins over a bare one, the longest name
 * wins ("Hội An Tây" over "Hội An"), and a name after quận/huyện/thị xã/thành phố/đường… is not a unit; the
 * full rules are on `createWardMatcher`.
 */
export function wardOfAddress(address: string): Ward | null {
  return matchAddress(address);
}
