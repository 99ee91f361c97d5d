import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCitizen } from '../contracts/citizen-repository.contract.ts';
import { ADMIN_TOKEN, AppHarness } from '../support/app-harness.ts';
import { multipart, type Part } from '../support/multipart.ts';

/**
 * Malformed input to the agency and admin APIs, class by class: every forbidden character in every text an
 * agency (or an administrator) sends, every impossible date, broken multipart and JSON bodies, and body types a
 * route does not take. Each is answered 4xx with `{ "error": { "code", "message" } }` (never 5xx, which an
 * agency would retry forever) and leaves nothing stored: no paper, dossier or agency row, no file.
 */

/** Characters no text may hold, by name. A note may hold line feeds: it is tested without them. */
const FORBIDDEN: readonly (readonly [name: string, character: string])[] = [
  ['NUL U+0000', '\u0000'],
  ['U+0001', '\u0001'],
  ['tab U+0009', '\t'],
  ['line feed U+000A', '\n'],
  ['vertical tab U+000B', '\u000b'],
  ['carriage return U+000D', '\r'],
  ['escape U+001B', '\u001b'],
  ['DEL U+007F', '\u007f'],
  ['C1 next line U+0085', '\u0085'],
  ['C1 CSI U+009B', '\u009b'],
  ['soft hyphen U+00AD', '\u00ad'],
  ['Arabic letter mark U+061C', '\u061c'],
  ['zero width space U+200B', '\u200b'],
  ['zero width non-joiner U+200C', '\u200c'],
  ['zero width joiner U+200D', '\u200d'],
  ['left-to-right mark U+200E', '\u200e'],
  ['right-to-left mark U+200F', '\u200f'],
  ['line separator U+2028', '\u2028'],
  ['paragraph separator U+2029', '\u2029'],
  ['left-to-right embedding U+202A', '\u202a'],
  ['right-to-left embedding U+202B', '\u202b'],
  ['pop directional formatting U+202C', '\u202c'],
  ['left-to-right override U+202D', '\u202d'],
  ['right-to-left override U+202E', '\u202e'],
  ['word joiner U+2060', '\u2060'],
  ['left-to-right isolate U+2066', '\u2066'],
  ['right-to-left isolate U+2067', '\u2067'],
  ['first strong isolate U+2068', '\u2068'],
  ['pop directional isolate U+2069', '\u2069'],
  ['private use U+E000', '\ue000'],
  ['byte order mark U+FEFF', '\ufeff'],
  ['replacement character U+FFFD', '\ufffd'],
  ['tag letter U+E0041', '\u{e0041}'],
];

/** A lone surrogate: JSON can carry it (`"\ud800"`), UTF-8 cannot. */
const LONE_SURROGATE = ['lone surrogate U+D800', '\ud800'] as const;

/** Dates that are not real, not YYYY-MM-DD, or out of the years 1900-2100. */
const IMPOSSIBLE_DATES = [
  '0000-01-01',
  '2026-02-30',
  '2025-02-29',
  '2100-02-29',
  '2026-04-31',
  '2026-13-01',
  '2026-00-10',
  '2026-01-00',
  '2026-01-32',
  '10000-01-01',
  '+002026-01-01',
  '-002026-01-01',
  '1899-12-31',
  '2101-01-01',
  '9999-12-31',
  '2026-1-01',
  '2026-01-1',
  '26-01-01',
  '2026-01-01T00:00:00Z',
  ' 2026-01-01',
  '2026-01-01 ',
  '2026/01/01',
  '01/06/2025',
  '20260101',
  '２０２６-01-01',
  '2026-01-01\u0000',
  'today',
];

/** Dates at the edges of what is accepted. */
const EDGE_DATES = ['1900-01-01', '2024-02-29', '2000-02-29', '2100-12-31'];

type Answer = { statusCode: number; json(): unknown; body: string };

/** The status and body of an answer, as the assertions compare them. */
const seen = (response: Answer) => {
  let body: unknown = response.body;
  try {
    body = response.json();
  } catch {}
  return { status: response.statusCode, body };
};

/** A 4xx answer `{ error: { code, message } }` whose message names `field`. */
const refused = (status: number, code: string, field?: string) => ({
  status,
  body: {
    error: {
      code,
      message:
        field === undefined ? expect.any(String) : expect.stringMatching(new RegExp(`(^|; )${field}: `)),
    },
  },
});

describe('agency API: malformed input', () => {
  let h: AppHarness;
  let dataDir: string;
  let key: string;
  let accountCode: string;
  let pdf: Buffer;
  let n = 0;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'dcz-agency-input-'));
    h = await AppHarness.start({ env: { DATA_DIR: dataDir }, workers: 0 });
    pdf = await readFile(new URL('../fixtures/documents/paper.pdf', import.meta.url));
    const created = await adminPost({ code: 'UBND-INPUT', name: 'UBND phường Đầu Vào' });
    expect(created.statusCode).toBe(201);
    key = created.json<{ apiKey: string }>().apiKey;
    const outcome = await h.services.citizens.create(
      newCitizen({ phone: '+84905550001', cccd: '048090550001', accountCode: 'NPVW2345' }),
    );
    if (outcome.type !== 'created') throw new Error(`could not open an account: ${outcome.type}`);
    await h.services.citizens.recordVerification(outcome.citizen.id, { outcome: 'verified' });
    accountCode = 'NPVW-2345';
  });
  afterAll(async () => {
    await h?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** What is stored: rows of papers, dossiers and agencies, and every file under the papers' directory. */
  async function stored() {
    const count = async (table: string) =>
      (await h.services.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n;
    const files = await readdir(path.join(dataDir, 'documents'), { recursive: true }).catch(() => []);
    return {
      documents: await count('documents'),
      dossiers: await count('dossiers'),
      agencies: await count('agencies'),
      files: files.length,
    };
  }

  /** Runs `send` and expects it to have stored nothing. */
  async function storingNothing<T>(send: () => Promise<T>): Promise<T> {
    const before = await stored();
    const result = await send();
    expect(await stored()).toEqual(before);
    return result;
  }

  function adminPost(body: unknown, headers: Record<string, string> = {}, raw?: string | Buffer) {
    return h.app.inject({
      method: 'POST',
      url: '/api/v1/admin/agencies',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...headers },
      ...(raw === undefined ? { payload: body as Record<string, unknown> } : { payload: raw }),
    });
  }

  const paper = (overrides: Record<string, string> = {}): Part[] => {
    n += 1;
    return Object.entries({
      citizen: accountCode,
      typeCode: 'KHAISINH',
      title: 'Giấy khai sinh',
      number: `KS-INPUT-${n}`,
      issuedAt: '2025-06-01',
      ...overrides,
    }).map(([name, value]) => ({ name, value }));
  };
  const file: Part = { name: 'file', filename: 'paper.pdf', type: 'application/pdf', bytes: Buffer.alloc(0) };
  const withFile = (parts: Part[]) => [...parts, { ...file, bytes: pdf }];

  const postRaw = (contentType: string | null, payload: string | Buffer) =>
    h.app.inject({
      method: 'POST',
      url: '/api/v1/agency/documents',
      headers: {
        authorization: `Bearer ${key}`,
        ...(contentType === null ? {} : { 'content-type': contentType }),
      },
      payload,
    });
  const upload = (parts: readonly Part[]) => {
    const { payload, contentType } = multipart(parts);
    return postRaw(contentType, payload);
  };

  const dossier = (overrides: Record<string, unknown> = {}) => ({
    citizen: accountCode,
    procedure: 'Đăng ký khai sinh',
    status: 'received',
    expectedAt: '2025-06-10',
    note: 'Mang theo bản chính',
    ...overrides,
  });
  const putRaw = (code: string, headers: Record<string, string>, payload?: string | Buffer) =>
    h.app.inject({
      method: 'PUT',
      url: `/api/v1/agency/dossiers/${encodeURIComponent(code)}`,
      headers: { authorization: `Bearer ${key}`, ...headers },
      ...(payload === undefined ? {} : { payload }),
    });
  const put = (code: string, body: unknown) =>
    putRaw(code, { 'content-type': 'application/json' }, JSON.stringify(body));
  const getDossier = (code: string) =>
    h.app.inject({
      method: 'GET',
      url: `/api/v1/agency/dossiers/${encodeURIComponent(code)}`,
      headers: { authorization: `Bearer ${key}` },
    });

  /** Every text an agency or an administrator sends, each sent with `value` in it and everything else valid. */
  const TEXT_FIELDS: readonly {
    route: string;
    field: string;
    multiline?: boolean;
    json?: boolean;
    send: (text: (around: string) => string) => Promise<Answer>;
  }[] = [
    ...(['citizen', 'typeCode', 'title', 'number'] as const).map((field) => ({
      route: 'POST /api/v1/agency/documents',
      field,
      send: (text: (around: string) => string) => {
        const valid = { citizen: accountCode, typeCode: 'KHAISINH', title: 'Giấy khai sinh', number: 'KS-1' };
        return upload(withFile(paper({ [field]: text(valid[field]) })));
      },
    })),
    ...(['citizen', 'procedure', 'note'] as const).map((field) => ({
      route: 'PUT /api/v1/agency/dossiers/{code}',
      field,
      multiline: field === 'note',
      json: true,
      send: (text: (around: string) => string) =>
        put(`HS-TEXT-${field}`, dossier({ [field]: text(String(dossier()[field])) })),
    })),
    {
      route: 'PUT /api/v1/agency/dossiers/{code}',
      field: 'code',
      send: (text) => put(text('HS-0001'), dossier()),
    },
    {
      route: 'GET /api/v1/agency/dossiers/{code}',
      field: 'code',
      send: (text) => getDossier(text('HS-0001')),
    },
    ...(['code', 'name'] as const).map((field) => ({
      route: 'POST /api/v1/admin/agencies',
      field,
      json: true,
      send: (text: (around: string) => string) => {
        const valid = { code: 'UBND-TEXT', name: 'UBND phường Văn Bản' };
        return adminPost({ ...valid, [field]: text(valid[field]) });
      },
    })),
  ];

  describe('text', () => {
    it.each(TEXT_FIELDS)(
      '$route refuses every control, bidirectional, invisible or format character in $field (400 VALIDATION naming it), storing nothing',
      async ({ field, multiline, json, send }) => {
        const cases = [...FORBIDDEN, ...(json ? [LONE_SURROGATE] : [])].filter(
          ([, character]) => !(multiline && character === '\n'),
        );
        const answers: Record<string, unknown> = {};
        await storingNothing(async () => {
          for (const [name, character] of cases) {
            // In the middle: surrounding whitespace is trimmed, as it is from any text.
            const answer = await send((valid) => `${valid.slice(0, 2)}${character}${valid.slice(2)}`);
            answers[name] = seen(answer);
          }
        });

        expect(answers).toEqual(
          Object.fromEntries(cases.map(([name]) => [name, refused(400, 'VALIDATION', field)])),
        );
      },
    );

    it('refuses a dossier code in the URL that is not valid percent-encoding or not UTF-8', async () => {
      const answers = await storingNothing(async () => {
        const all = [];
        for (const raw of ['HS%ZZ1', 'HS%E0%A4%A', 'HS%C3%28', 'HS%FF1', 'HS%']) {
          const url = `/api/v1/agency/dossiers/${raw}`;
          const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
          all.push(seen(await h.app.inject({ method: 'GET', url, headers })));
          all.push(
            seen(await h.app.inject({ method: 'PUT', url, headers, payload: JSON.stringify(dossier()) })),
          );
        }
        return all;
      });

      expect(answers).toEqual(Array(10).fill(refused(400, 'VALIDATION', 'url')));
    });

    it('refuses bytes that are not UTF-8 in a form field or a JSON body', async () => {
      const boundary = 'dcz-not-utf8';
      const part = (name: string, value: Buffer) =>
        Buffer.concat([
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
          value,
          Buffer.from('\r\n'),
        ]);
      const form = Buffer.concat([
        ...paper().map((p) =>
          'value' in p && p.name === 'title'
            ? part('title', Buffer.from([0x47, 0x69, 0xc3, 0x28, 0xff]))
            : part(p.name, Buffer.from('value' in p ? p.value : '')),
        ),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n` +
            'Content-Type: application/pdf\r\n\r\n',
        ),
        pdf,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const json = Buffer.concat([
        Buffer.from(`{"citizen":"${accountCode}","procedure":"Đăng `),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('","status":"received"}'),
      ]);

      const answers = await storingNothing(async () => [
        seen(await postRaw(`multipart/form-data; boundary=${boundary}`, form)),
        seen(await putRaw('HS-NOT-UTF8', { 'content-type': 'application/json' }, json)),
      ]);

      expect(answers).toEqual([refused(400, 'VALIDATION', 'title'), refused(400, 'VALIDATION', 'procedure')]);
    });

    it('takes line feeds in a note (a CRLF becomes LF) and Vietnamese in any Unicode form, stored as NFC', async () => {
      const created = await put('HS-TEXT-OK-1', dossier({ note: 'Cần mang:\r\n- bản chính\n- bản sao' }));
      const decomposed = await put(
        'HS-TEXT-OK-2',
        dossier({ procedure: 'Đăng ký khai sinh'.normalize('NFD'), note: null }),
      );

      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ note: 'Cần mang:\n- bản chính\n- bản sao' });
      expect(decomposed.statusCode).toBe(201);
      expect(decomposed.json()).toMatchObject({ procedure: 'Đăng ký khai sinh'.normalize('NFC') });
    });
  });

  describe('dates', () => {
    /** Every date an agency sends, each with `date` and everything else valid. */
    const DATE_FIELDS: readonly { route: string; field: string; send: (date: unknown) => Promise<Answer> }[] =
      [
        {
          route: 'POST /api/v1/agency/documents',
          field: 'issuedAt',
          send: (date) => upload(withFile(paper({ issuedAt: String(date) }))),
        },
        {
          route: 'POST /api/v1/agency/documents',
          field: 'expiresAt',
          send: (date) => upload(withFile(paper({ issuedAt: '1900-01-01', expiresAt: String(date) }))),
        },
        {
          route: 'PUT /api/v1/agency/dossiers/{code}',
          field: 'expectedAt',
          send: (date) => put('HS-DATE-0001', dossier({ expectedAt: date })),
        },
      ];

    it.each(DATE_FIELDS)(
      '$route refuses every impossible $field (400 VALIDATION naming it), storing nothing',
      async ({ field, send }) => {
        const answers: Record<string, unknown> = {};
        await storingNothing(async () => {
          for (const date of IMPOSSIBLE_DATES) answers[JSON.stringify(date)] = seen(await send(date));
        });

        expect(answers).toEqual(
          Object.fromEntries(
            IMPOSSIBLE_DATES.map((date) => [JSON.stringify(date), refused(400, 'VALIDATION', field)]),
          ),
        );
      },
    );

    it('refuses a date that is not a string in JSON', async () => {
      const answers = await storingNothing(async () => {
        const all = [];
        for (const date of [20260101, true, {}, ['2026-01-01'], ''])
          all.push(seen(await put('HS-DATE-0002', dossier({ expectedAt: date }))));
        return all;
      });

      expect(answers).toEqual(Array(5).fill(refused(400, 'VALIDATION', 'expectedAt')));
    });

    it('takes the first and last days of the years 1900-2100 and 29 February of leap years', async () => {
      const answers: Record<string, number[]> = {};
      for (const date of EDGE_DATES) {
        answers[date] = [
          (await upload(withFile(paper({ issuedAt: date })))).statusCode,
          (await put(`HS-DATE-${date}`, dossier({ expectedAt: date }))).statusCode,
        ];
        // expiresAt must come after issuedAt.
        if (date > '1900-01-01') {
          answers[date].push(
            (await upload(withFile(paper({ issuedAt: '1900-01-01', expiresAt: date })))).statusCode,
          );
        }
      }

      expect(answers).toEqual(
        Object.fromEntries(
          EDGE_DATES.map((date) => [date, date > '1900-01-01' ? [201, 201, 201] : [201, 201]]),
        ),
      );
    });
  });

  describe('multipart', () => {
    const boundary = 'dcz-boundary-0123';
    const field = (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const fields = () =>
      paper()
        .map((p) => field(p.name, 'value' in p ? p.value : ''))
        .join('');
    const filePart = (disposition = 'form-data; name="file"; filename="paper.pdf"') =>
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: application/pdf\r\n\r\n`,
        ),
        pdf,
        Buffer.from('\r\n'),
      ]);
    const end = `--${boundary}--\r\n`;
    const form = (...chunks: (string | Buffer)[]) =>
      Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
    const typed = `multipart/form-data; boundary=${boundary}`;
    const complete = () => form(fields(), filePart(), end);

    const CASES: readonly [name: string, contentType: string | null, body: () => Buffer, expected: object][] =
      [
        ['no boundary', 'multipart/form-data', complete, refused(400, 'VALIDATION')],
        ['an empty boundary', 'multipart/form-data; boundary=', complete, refused(400, 'VALIDATION')],
        [
          'another boundary than the body’s',
          'multipart/form-data; boundary=something-else',
          complete,
          refused(400, 'VALIDATION'),
        ],
        ['a boundary that never closes', typed, () => form(fields(), filePart()), refused(400, 'VALIDATION')],
        [
          'a body cut in the middle of the file',
          typed,
          () => complete().subarray(0, fields().length + 200),
          refused(400, 'VALIDATION'),
        ],
        [
          'a body cut in the middle of a part’s headers',
          typed,
          () => form(fields(), `--${boundary}\r\nContent-Disposition: form-da`),
          refused(400, 'VALIDATION'),
        ],
        [
          'a part without a name',
          typed,
          () =>
            form(
              `--${boundary}\r\nContent-Disposition: form-data\r\n\r\nvalue\r\n`,
              fields(),
              filePart(),
              end,
            ),
          refused(400, 'VALIDATION', 'body'),
        ],
        [
          'a file part without a name',
          typed,
          () => form(fields(), filePart('form-data; filename="paper.pdf"'), end),
          refused(400, 'VALIDATION', 'body'),
        ],
        [
          'a field after the file',
          typed,
          () => form(fields(), filePart(), field('expiresAt', '2030-01-01'), end),
          refused(400, 'VALIDATION', 'expiresAt'),
        ],
        [
          'a second file',
          typed,
          () => form(fields(), filePart(), filePart(), end),
          refused(400, 'VALIDATION'),
        ],
        [
          'the file under another name',
          typed,
          () => form(fields(), filePart('form-data; name="paper"; filename="paper.pdf"'), end),
          refused(400, 'VALIDATION', 'file'),
        ],
        [
          'a text field sent as a file',
          typed,
          () => form(filePart('form-data; name="title"; filename="title.txt"'), fields(), filePart(), end),
          refused(400, 'VALIDATION'),
        ],
        ['no file', typed, () => form(fields(), end), refused(400, 'VALIDATION', 'file')],
        ['an empty body', typed, () => Buffer.alloc(0), refused(400, 'VALIDATION')],
        ['only the closing boundary', typed, () => form(end), refused(400, 'VALIDATION')],
        ['garbage', typed, () => Buffer.from('not a form at all'), refused(400, 'VALIDATION')],
        [
          'too many parts',
          typed,
          () => form(...Array.from({ length: 13 }, (_, i) => field(`extra${i}`, 'x')), filePart(), end),
          refused(400, 'VALIDATION'),
        ],
        [
          'a field value over 2 KiB',
          typed,
          () => form(field('title', 'x'.repeat(3000)), fields(), filePart(), end),
          refused(400, 'VALIDATION', 'title'),
        ],
        [
          'a field given twice',
          typed,
          () => form(fields(), field('title', 'Again'), filePart(), end),
          refused(400, 'VALIDATION', 'title'),
        ],
        ['no content type', null, complete, refused(415, 'UNSUPPORTED_MEDIA_TYPE')],
        [
          'JSON',
          'application/json',
          () => Buffer.from('{"citizen":"x"}'),
          refused(415, 'UNSUPPORTED_MEDIA_TYPE'),
        ],
        ['text/plain', 'text/plain', complete, refused(415, 'UNSUPPORTED_MEDIA_TYPE')],
        [
          'form-encoded',
          'application/x-www-form-urlencoded',
          () => Buffer.from(`citizen=${accountCode}&title=x`),
          refused(415, 'UNSUPPORTED_MEDIA_TYPE'),
        ],
        ['raw bytes', 'application/pdf', () => pdf, refused(415, 'UNSUPPORTED_MEDIA_TYPE')],
        [
          'multipart/mixed',
          `multipart/mixed; boundary=${boundary}`,
          complete,
          refused(415, 'UNSUPPORTED_MEDIA_TYPE'),
        ],
      ];

    it.each(CASES)('refuses %s with 4xx, storing nothing', async (_name, contentType, body, expected) => {
      const answer = await storingNothing(async () => seen(await postRaw(contentType, body())));

      expect(answer).toEqual(expected);
    });

    it('still takes a well-formed form (the control case of the table)', async () => {
      const answer = await postRaw(typed, complete());

      expect(answer.statusCode).toBe(201);
    });
  });

  describe('JSON', () => {
    const deep = (depth: number, leaf = '0') => `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`;
    const valid = () => JSON.stringify(dossier());
    const BODIES: readonly [name: string, body: () => string][] = [
      ['truncated', () => valid().slice(0, 25)],
      ['a string', () => '"received"'],
      ['a number', () => '42'],
      ['true', () => 'true'],
      ['null', () => 'null'],
      ['an empty array', () => '[]'],
      ['an array of the body', () => `[${valid()}]`],
      ['a byte order mark before it', () => `\ufeff${valid()}`],
      ['something after it', () => `${valid()} x`],
      ['two objects', () => `${valid()}${valid()}`],
      ['single quotes', () => valid().replaceAll('"', "'")],
      ['a trailing comma', () => `${valid().slice(0, -1)},}`],
      ['deep nesting', () => deep(100_000)],
      ['deep nesting in a field', () => valid().replace(`"${accountCode}"`, deep(50_000, '"x"'))],
      ['empty', () => ''],
      ['whitespace', () => '  \n '],
    ];

    it.each(BODIES)(
      'refuses a JSON body that is %s with 400 VALIDATION on every JSON route, storing nothing',
      async (_name, body) => {
        const answers = await storingNothing(async () => [
          seen(await putRaw('HS-JSON-0001', { 'content-type': 'application/json' }, body())),
          seen(await adminPost(undefined, { 'content-type': 'application/json' }, body())),
        ]);

        expect(answers).toEqual([refused(400, 'VALIDATION'), refused(400, 'VALIDATION')]);
      },
    );

    it('takes duplicate keys (the last wins) and a __proto__ key as plain data', async () => {
      const duplicated = `{"status":"rejected",${valid().slice(1)}`;
      const proto = `{"__proto__":{"status":"completed"},${valid().slice(1)}`;

      const first = await putRaw('HS-JSON-DUP', { 'content-type': 'application/json' }, duplicated);
      const second = await putRaw('HS-JSON-PROTO', { 'content-type': 'application/json' }, proto);

      expect([first.statusCode, first.json().status]).toEqual([201, 'received']);
      expect([second.statusCode, second.json().status]).toEqual([201, 'received']);
    });
  });

  describe('body types', () => {
    const form = multipart([{ name: 'citizen', value: 'x' }]);
    const TYPES: readonly [name: string, headers: Record<string, string>, body: string | Buffer][] = [
      [
        'form-encoded',
        { 'content-type': 'application/x-www-form-urlencoded' },
        'citizen=NPVW-2345&procedure=x&status=received&code=UBND-FORM&name=Form',
      ],
      ['text/plain', { 'content-type': 'text/plain' }, '{"citizen":"NPVW-2345"}'],
      ['multipart', { 'content-type': form.contentType }, form.payload],
      ['no content type, with a body', {}, '{"citizen":"NPVW-2345"}'],
      ['no content type, no body', {}, ''],
      ['XML', { 'content-type': 'application/xml' }, '<dossier/>'],
      ['a JSON look-alike type', { 'content-type': 'application/json-patch+json' }, '[]'],
    ];

    it.each(TYPES)(
      'refuses %s on every JSON route with 415 UNSUPPORTED_MEDIA_TYPE, storing nothing',
      async (_name, headers, body) => {
        const answers = await storingNothing(async () => [
          seen(await putRaw('HS-TYPE-0001', headers, body)),
          seen(await adminPost(undefined, headers, body)),
        ]);

        expect(answers).toEqual([
          refused(415, 'UNSUPPORTED_MEDIA_TYPE'),
          refused(415, 'UNSUPPORTED_MEDIA_TYPE'),
        ]);
      },
    );

    it('takes application/json with a charset', async () => {
      const headers = { 'content-type': 'application/json; charset=utf-8' };

      const dossierPut = await putRaw('HS-TYPE-CHARSET', headers, JSON.stringify(dossier()));
      const agency = await adminPost(
        undefined,
        headers,
        JSON.stringify({ code: 'UBND-CHARSET', name: 'Charset' }),
      );

      expect([dossierPut.statusCode, agency.statusCode]).toEqual([201, 201]);
    });

    it('still answers a route that takes no body, with no body or an empty JSON one', async () => {
      const agencyId = (await adminPost({ code: 'UBND-NOBODY', name: 'Không thân' })).json<{ id: string }>()
        .id;
      const addKey = (headers: Record<string, string>, payload?: string) =>
        h.app.inject({
          method: 'POST',
          url: `/api/v1/admin/agencies/${agencyId}/keys`,
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...headers },
          ...(payload === undefined ? {} : { payload }),
        });

      const answers = [
        (await addKey({})).statusCode,
        (await addKey({ 'content-type': 'application/json' }, '')).statusCode,
        (await addKey({ 'content-type': 'application/json' }, '{}')).statusCode,
      ];

      expect(answers).toEqual([201, 201, 201]);
    });
  });
});
