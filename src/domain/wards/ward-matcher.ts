import { foldName } from '../../shared/text.ts';
import type { Ward, WardKind } from './wards.ts';
import { KIND_WORDS } from './wards-csv.ts';

/** Words (folded, as token sequences) that announce a unit of a kind: the word itself and its abbreviation. */
const KIND_MARKERS: readonly (readonly [WardKind, readonly string[]])[] = [
  ['dac_khu', ['dac', 'khu']],
  ['dac_khu', ['dk']],
  ['phuong', ['phuong']],
  ['phuong', ['p']],
  ['xa', ['xa']],
  ['xa', ['x']],
];

/**
 * Words that announce some other place: a name right after one of them names that place, not a commune-level
 * unit ("quận Sơn Trà", "huyện Núi Thành", "thị xã Điện Bàn", "thành phố Tam Kỳ" are the pre-2025 districts;
 * "đường Hoàng Sa", "kiệt", "hẻm" are streets and lanes; "thôn", "tổ", "khối" are villages and neighbourhoods).
 * Checked before the kind markers, so the "xã" of "thị xã" is not taken for a commune.
 */
const OTHER_PLACE_MARKERS: readonly (readonly string[])[] = [
  ['thi', 'xa'],
  ['thi', 'tran'],
  ['thanh', 'pho'],
  ['tp'],
  ['tx'],
  ['tt'],
  ['quan'],
  ['q'],
  ['huyen'],
  ['h'],
  ['tinh'],
  ['duong'],
  ['d'],
  ['kiet'],
  ['hem'],
  ['thon'],
  ['to'],
  ['khoi'],
];

/**
 * Words that, right after a name, make it a longer name: "Hòa Khánh Bắc", "An Hải Đông", "Thanh Khê Tây" were
 * wards before 1 July 2025 and not all of them went to the unit whose name they start with.
 */
const LONGER_NAME_WORDS = new Set(['bac', 'nam', 'dong', 'tay', 'trung']);

/** Separators between the parts of an address; a name never spans one. */
const SEPARATORS = /[,;/\\|()[\]{}\n\r\t-]+/g;
const SEPARATOR = '|';

/** The address as folded words, with `|` where the writer put a separator (comma, semicolon, dash...). */
function tokens(text: string): string[] {
  return foldName(text)
    .replace(SEPARATORS, ` ${SEPARATOR} `)
    .replace(/[^a-z0-9|]+/g, ' ')
    .split(' ')
    .filter((token) => token !== '');
}

/** Whether `words` appear in `list` ending just before index `end`. */
function endsAt(list: readonly string[], end: number, words: readonly string[]): boolean {
  const start = end - words.length;
  return start >= 0 && words.every((word, i) => list[start + i] === word);
}

/** Whether `words` appear in `list` from index `start`. */
function startsAt(list: readonly string[], start: number, words: readonly string[]): boolean {
  return start + words.length <= list.length && words.every((word, i) => list[start + i] === word);
}

/** One place in the address where a unit's name was found. */
interface Mention {
  start: number;
  end: number;
  /** The units it may be: one, or several that share the name (then only a kind marker can choose). */
  units: readonly Ward[];
  /** Whether a kind word or abbreviation stood right before the name. */
  marked: boolean;
}

/**
 * Builds the function behind `wardOfAddress` for a list of units: given a free-text address a person typed,
 * the one unit it names, or null when it names none or more than one.
 *
 * Matching is on folded words (no diacritics, any case; punctuation other than separators ignored, so "P.Hải
 * Châu" reads "p hai chau"). A unit is named by its name without the kind word ("Hải Châu"), either bare or
 * after a kind word or abbreviation: "phường"/"p.", "xã"/"x.", "đặc khu"/"đk". Then:
 * - a name inside a longer one found at the same place does not count ("Hội An Tây" is not also "Hội An");
 * - a name right after a word for another kind of place (quận, huyện, thị xã, thành phố, thị trấn, tỉnh, đường,
 *   kiệt, hẻm, thôn, tổ, khối, and q./h./tp/tx/tt/d.) names that place and does not count;
 * - a name followed, with no separator, by bắc/nam/đông/tây/trung (an older, longer ward name) does not count;
 * - if any name came after a kind word, only those count; a kind word also picks among units sharing a name;
 * - a bare name that several units share counts as all of them.
 * The answer is the unit if exactly one unit counts, else null.
 */
export function createWardMatcher(units: readonly Ward[]): (address: string) => Ward | null {
  const byName = new Map<string, Ward[]>();
  for (const unit of units) {
    const key = foldName(unit.name.slice(KIND_WORDS[unit.kind].length));
    byName.set(key, [...(byName.get(key) ?? []), unit]);
  }
  const names = [...byName].map(([key, named]) => ({ words: key.split(' '), units: named }));

  return (address: string): Ward | null => {
    const words = tokens(address);
    const mentions: Mention[] = [];
    for (let start = 0; start < words.length; start += 1) {
      for (const name of names) {
        if (!startsAt(words, start, name.words)) continue;
        const end = start + name.words.length;
        if (OTHER_PLACE_MARKERS.some((marker) => endsAt(words, start, marker))) continue;
        const next = words[end];
        if (next !== undefined && LONGER_NAME_WORDS.has(next)) continue;
        const kinds = KIND_MARKERS.filter(([, marker]) => endsAt(words, start, marker)).map(([kind]) => kind);
        const ofKind = name.units.filter((unit) => kinds.includes(unit.kind));
        mentions.push({
          start,
          end,
          units: ofKind.length > 0 ? ofKind : name.units,
          marked: kinds.length > 0,
        });
      }
    }

    const longest = mentions.filter(
      (mention) =>
        !mentions.some(
          (other) =>
            other !== mention &&
            other.start <= mention.start &&
            other.end >= mention.end &&
            other.end - other.start > mention.end - mention.start,
        ),
    );
    const marked = longest.filter((mention) => mention.marked);
    const counted = marked.length > 0 ? marked : longest;
    const found = new Set(counted.flatMap((mention) => mention.units));
    const [only] = found;
    return found.size === 1 && only !== undefined ? only : null;
  };
}
