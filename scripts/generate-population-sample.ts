/**
 * Writes data/population-sample.csv: 300 FICTIONAL residents for development, demos and tests.
 * Nobody in it is a real person; the CCCD numbers are made up but consistent with the CCCD rules
 * (province code, century/gender digit, two-digit birth year, 6-digit serial) and unique.
 *
 * Deterministic (a seeded PRNG, never Math.random): running it again gives the same file byte for byte.
 * Run: npx tsx scripts/generate-population-sample.ts
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** One row of the sample. */
export interface SamplePerson {
  cccd: string;
  fullName: string;
  dateOfBirth: string;
  gender: 'male' | 'female';
}

/**
 * The fixed test people, always the first rows in this order: tests and demos elsewhere rely on them exactly.
 * Phạm Văn Dũng's number was first drafted as 048170004567, whose 4th digit (1) means a woman born in the
 * 1900s; it is 048070004567 (0: a man born in the 1900s).
 */
export const FIXED_TEST_PEOPLE: readonly SamplePerson[] = [
  { cccd: '048090001234', fullName: 'Nguyễn Văn An', dateOfBirth: '1990-02-15', gender: 'male' },
  { cccd: '048185000321', fullName: 'Trần Thị Bình', dateOfBirth: '1985-07-03', gender: 'female' },
  { cccd: '048201000777', fullName: 'Lê Minh Châu', dateOfBirth: '2001-11-20', gender: 'male' },
  { cccd: '048070004567', fullName: 'Phạm Văn Dũng', dateOfBirth: '1970-01-01', gender: 'male' },
];

/** How many people the sample holds, fixed test people included. */
export const SAMPLE_SIZE = 300;

const SEED = 0x0da7a48;

/** mulberry32: a small, fast, seeded PRNG giving floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Weighted<T> = readonly (readonly [T, number])[];

// Family names with rough frequencies; Huỳnh and Võ are common in central Vietnam.
const FAMILY_NAMES: Weighted<string> = [
  ['Nguyễn', 34],
  ['Trần', 11],
  ['Lê', 10],
  ['Phạm', 7],
  ['Huỳnh', 6],
  ['Võ', 6],
  ['Phan', 5],
  ['Hoàng', 4],
  ['Vũ', 3],
  ['Đặng', 3],
  ['Bùi', 2],
  ['Đỗ', 2],
  ['Hồ', 2],
  ['Ngô', 2],
  ['Dương', 2],
  ['Lý', 1],
];

const MIDDLE_NAMES = {
  male: [
    ['Văn', 10],
    ['Hữu', 3],
    ['Minh', 4],
    ['Đức', 3],
    ['Quang', 3],
    ['Công', 2],
    ['Thanh', 2],
    ['Ngọc', 1],
    ['Tấn', 2],
    ['Xuân', 1],
  ],
  female: [
    ['Thị', 12],
    ['Ngọc', 3],
    ['Thanh', 2],
    ['Minh', 1],
    ['Thu', 2],
    ['Kim', 2],
    ['Bảo', 1],
    ['Mỹ', 1],
    ['Hoài', 1],
    ['Phương', 1],
  ],
} as const satisfies Record<'male' | 'female', Weighted<string>>;

// Given names, space-separated (each is one word).
const GIVEN_NAMES = {
  male: (
    'An Bảo Cường Dũng Đạt Định Đức Hải Hiếu Hòa Hoàng Hùng Huy Khánh Khoa Lâm Lộc Long Minh Nam Nhân Phong ' +
    'Phúc Quân Quang Sơn Tài Tâm Thắng Thành Thịnh Tín Toàn Trí Trung Tuấn Tùng Việt Vinh Vũ'
  ).split(' '),
  female: (
    'Anh Bích Bình Châu Chi Diễm Dung Giang Hà Hạnh Hằng Hiền Hoa Huệ Hương Lan Liên Linh Loan Mai My Nga ' +
    'Ngân Nhung Oanh Phương Quỳnh Sương Tâm Thảo Thủy Trang Trinh Tuyết Uyên Vân Xuân Yến'
  ).split(' '),
};

// Second middle names some younger women carry after Thị, as in "Nguyễn Thị Thu Hà".
const SECOND_MIDDLE_NAMES = ['Thu', 'Ngọc', 'Thanh', 'Kim', 'Hồng', 'Mỹ'];

// Where the birth was registered: mostly Đà Nẵng, then Quảng Nam, Thừa Thiên Huế, Hà Nội, TP Hồ Chí Minh.
const PROVINCES: Weighted<string> = [
  ['048', 80],
  ['049', 10],
  ['046', 4],
  ['001', 3],
  ['079', 3],
];

/** Generates the sample rows: the fixed test people, then generated people up to {@link SAMPLE_SIZE}. */
export function generatePopulationSample(): SamplePerson[] {
  const random = mulberry32(SEED);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
  const weighted = <T>(items: Weighted<T>): T => {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = random() * total;
    for (const [item, weight] of items) {
      roll -= weight;
      if (roll < 0) return item;
    }
    return (items[items.length - 1] as readonly [T, number])[0];
  };

  const people: SamplePerson[] = [...FIXED_TEST_PEOPLE];
  const used = new Set(people.map((person) => person.cccd));
  while (people.length < SAMPLE_SIZE) {
    const gender = random() < 0.5 ? 'male' : 'female';
    const year = int(1940, 2008);
    const month = int(1, 12);
    const day = int(1, new Date(Date.UTC(year, month, 0)).getUTCDate());
    const family = weighted(FAMILY_NAMES);
    const middle = weighted(MIDDLE_NAMES[gender]);
    const given = pick(GIVEN_NAMES[gender]);
    const second =
      gender === 'female' && year >= 1970 && middle === 'Thị' && random() < 0.25
        ? ` ${pick(SECOND_MIDDLE_NAMES)}`
        : '';
    const fullName = `${family} ${middle}${second} ${given}`;

    const centuryGender = (year < 2000 ? 0 : 2) + (gender === 'female' ? 1 : 0);
    const serial = String(int(0, 999_999)).padStart(6, '0');
    const cccd = `${weighted(PROVINCES)}${centuryGender}${String(year % 100).padStart(2, '0')}${serial}`;
    if (used.has(cccd)) continue;
    used.add(cccd);

    const dateOfBirth = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    people.push({ cccd, fullName, dateOfBirth, gender });
  }
  return people;
}

/** The sample as CSV text: header, one person per line, LF line endings, final newline. */
export function renderPopulationSample(people: readonly SamplePerson[]): string {
  const lines = people.map((p) => `${p.cccd},${p.fullName},${p.dateOfBirth},${p.gender}`);
  return `cccd,full_name,date_of_birth,gender\n${lines.join('\n')}\n`;
}

/** Where the sample is written, relative to the repository root. */
export const SAMPLE_PATH = resolve(
  fileURLToPath(new URL('..', import.meta.url)),
  'data/population-sample.csv',
);

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(SAMPLE_PATH, renderPopulationSample(generatePopulationSample()), 'utf8');
  process.stdout.write(`wrote ${SAMPLE_SIZE} fictional residents to ${SAMPLE_PATH}\n`);
}
