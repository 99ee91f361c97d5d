import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FIXED_TEST_PEOPLE,
  generatePopulationSample,
  renderPopulationSample,
  SAMPLE_PATH,
  SAMPLE_SIZE,
} from '../../scripts/generate-population-sample.ts';
import {
  type RegistryRecord,
  RegistryUnavailableError,
} from '../../src/domain/verification/population-registry.ts';
import { createPopulationRegistry, DEFAULT_POPULATION_REGISTRY } from '../../src/registry/create-registry.ts';
import { createFileRegistry } from '../../src/registry/file-registry.ts';
import { createHttpRegistry } from '../../src/registry/http-registry.ts';
import { AppError } from '../../src/shared/errors.ts';
import { describePopulationRegistryContract } from '../contracts/population-registry.contract.ts';
import { type FakeRegistryServer, startFakeRegistryServer } from '../fakes/fake-registry-server.ts';
import { InMemoryPopulationRegistry } from '../fakes/in-memory-registry.ts';

const AN: RegistryRecord = {
  cccd: '048090001234',
  fullName: 'Nguyễn Văn An',
  dateOfBirth: '1990-02-15',
  gender: 'male',
};
const BINH: RegistryRecord = {
  cccd: '048185000321',
  fullName: 'Trần Thị Bình',
  dateOfBirth: '1985-07-03',
  gender: 'female',
};

const HEADER = 'cccd,full_name,date_of_birth,gender';

/** Expects `promise` to reject with an AppError and returns that error. */
async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describePopulationRegistryContract('file registry (shipped sample)', async () => ({
  registry: await createFileRegistry(SAMPLE_PATH),
  known: AN,
  cleanup: async () => {},
}));

describePopulationRegistryContract('http registry (fake connector)', async () => {
  const server = await startFakeRegistryServer([AN, BINH]);
  return { registry: createHttpRegistry(server.url), known: BINH, cleanup: () => server.close() };
});

describePopulationRegistryContract('in-memory fake', async () => ({
  registry: new InMemoryPopulationRegistry([AN, BINH]),
  known: AN,
  cleanup: async () => {},
}));

describe('the shipped population sample', () => {
  it('holds 300 people, the fixed test people first and in order', async () => {
    const registry = await createPopulationRegistry(DEFAULT_POPULATION_REGISTRY);
    for (const person of FIXED_TEST_PEOPLE) {
      await expect(registry.lookup(person.cccd)).resolves.toEqual(person);
    }
    const lines = (await readFile(SAMPLE_PATH, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(SAMPLE_SIZE + 1);
    expect(lines.slice(0, 5)).toEqual([
      HEADER,
      '048090001234,Nguyễn Văn An,1990-02-15,male',
      '048185000321,Trần Thị Bình,1985-07-03,female',
      '048201000777,Lê Minh Châu,2001-11-20,male',
      '048070004567,Phạm Văn Dũng,1970-01-01,male',
    ]);
  });

  it('is exactly what the deterministic generator writes', async () => {
    expect(await readFile(SAMPLE_PATH, 'utf8')).toBe(renderPopulationSample(generatePopulationSample()));
  });

  it('has unique CCCDs whose century/gender digit and year digits agree with each person', () => {
    const people = generatePopulationSample();
    expect(new Set(people.map((p) => p.cccd)).size).toBe(people.length);
    for (const person of people) {
      const year = Number(person.dateOfBirth.slice(0, 4));
      const centuryGender = (year < 2000 ? 0 : 2) + (person.gender === 'female' ? 1 : 0);
      expect(person.cccd).toMatch(/^\d{12}$/);
      expect(person.cccd[3]).toBe(String(centuryGender));
      expect(person.cccd.slice(4, 6)).toBe(person.dateOfBirth.slice(2, 4));
      expect(['048', '049', '046', '001', '079']).toContain(person.cccd.slice(0, 3));
      expect(year).toBeGreaterThanOrEqual(1940);
      expect(year).toBeLessThanOrEqual(2008);
    }
  });
});

describe('file registry', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'population-registry-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function csv(name: string, text: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, text, 'utf8');
    return path;
  }

  it('reports a bad row with the file, its line number and column, without the value', async () => {
    const path = await csv(
      'bad-date.csv',
      `${HEADER}\n048090001234,Nguyễn Văn An,1990-02-15,male\n\n048185000321,Trần Thị Bình,1985-13-03,female\n`,
    );
    const error = await rejection(createFileRegistry(path));
    expect(error.code).toBe('REGISTRY_FILE_INVALID');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(path);
    expect(error.message).toContain('line 4');
    expect(error.message).toContain('date_of_birth');
    expect(error.message).not.toContain('Bình');
    expect(error.message).not.toContain('048185000321');
    expect(error.message).not.toContain('1985-13-03');
  });

  it.each([
    ['a CCCD that is not 12 digits', '04819000321', 'cccd'],
    ['an unknown gender', '048185000321', 'gender'],
    ['an empty name', '048185000321', 'full_name'],
  ])('rejects a row with %s, naming the column', async (label, cccd, column) => {
    const name = column === 'full_name' ? ' ' : 'Trần Thị Bình';
    const gender = column === 'gender' ? 'F' : 'female';
    const path = await csv('bad.csv', `${HEADER}\n${cccd},${name},1985-07-03,${gender}\n`);
    const error = await rejection(createFileRegistry(path));
    expect(error.message, label).toMatch(new RegExp(`line 2: column ${column} `));
  });

  it('rejects a row with the wrong number of columns', async () => {
    const path = await csv(
      'short.csv',
      `${HEADER}\r\n048090001234,Nguyễn Văn An,1990-02-15,male\r\n048185000321,Trần\r\n`,
    );
    await expect(createFileRegistry(path)).rejects.toThrow(/line 3: expected 4 columns, found 2/);
  });

  it('rejects a CCCD listed twice, naming the second line', async () => {
    const row = '048090001234,Nguyễn Văn An,1990-02-15,male';
    const path = await csv('dup.csv', `${HEADER}\n${row}\n${row}\n`);
    await expect(createFileRegistry(path)).rejects.toThrow(/line 3: column cccd repeats/);
  });

  it('rejects a file without the expected header', async () => {
    const path = await csv('no-header.csv', '048090001234,Nguyễn Văn An,1990-02-15,male\n');
    await expect(createFileRegistry(path)).rejects.toThrow(/line 1: the header must be exactly/);
  });

  it('reports broken CSV quoting by line without quoting the text', async () => {
    const path = await csv('quotes.csv', `${HEADER}\n048090001234,"Nguyễn "Văn An,1990-02-15,male\n`);
    const error = await rejection(createFileRegistry(path));
    expect(error.message).toMatch(/line 2: not valid CSV/);
    expect(error.message).not.toContain('Văn');
  });

  it('reports a missing file as unreadable', async () => {
    const error = await rejection(createFileRegistry(join(dir, 'missing.csv')));
    expect(error.code).toBe('REGISTRY_FILE_UNREADABLE');
    expect(error.message).toContain('ENOENT');
  });

  it('reads a file with a BOM, CRLF line endings, quoted fields and decomposed names', async () => {
    const name = 'Trần Thị Bình'.normalize('NFD');
    const path = await csv('ok.csv', `\ufeff${HEADER}\r\n"048185000321"," ${name} ",1985-07-03,female\r\n`);
    const registry = await createFileRegistry(path);
    await expect(registry.lookup('048185000321')).resolves.toEqual(BINH);
  });
});

describe('http registry', () => {
  let server: FakeRegistryServer;

  beforeAll(async () => {
    server = await startFakeRegistryServer([AN, BINH], { token: 's3cret' });
  });

  afterAll(async () => {
    await server.close();
  });

  beforeEach(() => {
    server.setMode('normal');
    server.requests.length = 0;
  });

  it('posts the CCCD as JSON to {url}/v1/lookup with the bearer token', async () => {
    const registry = createHttpRegistry(`${server.url}/`, { token: 's3cret' });
    await expect(registry.lookup(AN.cccd)).resolves.toEqual(AN);
    expect(server.requests).toEqual([
      {
        method: 'POST',
        path: '/v1/lookup',
        authorization: 'Bearer s3cret',
        contentType: 'application/json',
        body: JSON.stringify({ cccd: AN.cccd }),
      },
    ]);
  });

  it('does not call the registry for a malformed CCCD', async () => {
    const registry = createHttpRegistry(server.url, { token: 's3cret' });
    await expect(registry.lookup('12345')).resolves.toBeNull();
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    ['answers 503', 'unavailable', 'status'],
    ['answers 429', 'rate-limited', 'status'],
    ['answers a body that is not JSON', 'bad-json', 'malformed'],
    ['answers JSON of the wrong shape', 'bad-shape', 'malformed'],
  ] as const)(
    'throws RegistryUnavailableError (retryable) when the registry %s',
    async (_label, mode, reason) => {
      server.setMode(mode);
      const registry = createHttpRegistry(server.url, { token: 's3cret' });
      const error = await rejection(registry.lookup(AN.cccd));
      expect(error).toBeInstanceOf(RegistryUnavailableError);
      expect(error.code).toBe('REGISTRY_UNAVAILABLE');
      expect(error.retryable).toBe(true);
      expect(error.context.reason).toBe(reason);
      expect(error.message).not.toContain(AN.cccd);
    },
  );

  it('throws RegistryUnavailableError when the registry does not answer in time', async () => {
    server.setMode('hang');
    const registry = createHttpRegistry(server.url, { token: 's3cret', timeoutMs: 150 });
    const started = Date.now();
    const error = await rejection(registry.lookup(AN.cccd));
    expect(error).toBeInstanceOf(RegistryUnavailableError);
    expect(error.context.reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('throws RegistryUnavailableError when nothing listens at the URL', async () => {
    const closed = await startFakeRegistryServer([]);
    await closed.close();
    const error = await rejection(createHttpRegistry(closed.url).lookup(AN.cccd));
    expect(error).toBeInstanceOf(RegistryUnavailableError);
    expect(error.context.reason).toBe('network');
  });

  it('throws RegistryUnavailableError when a person comes back under another CCCD', async () => {
    const registry = createHttpRegistry('https://registry.example', {
      fetch: async () => Response.json({ found: true, person: BINH }),
    });
    await expect(registry.lookup(AN.cccd)).rejects.toBeInstanceOf(RegistryUnavailableError);
  });

  it('throws a non-retryable REGISTRY_REJECTED when the registry answers 400', async () => {
    server.setMode('bad-request');
    const error = await rejection(createHttpRegistry(server.url, { token: 's3cret' }).lookup(AN.cccd));
    expect(error).not.toBeInstanceOf(RegistryUnavailableError);
    expect(error.code).toBe('REGISTRY_REJECTED');
    expect(error.retryable).toBe(false);
    expect(error.context.status).toBe(400);
  });

  it('throws a non-retryable REGISTRY_REJECTED when the token is wrong (401)', async () => {
    const error = await rejection(createHttpRegistry(server.url, { token: 'wrong' }).lookup(AN.cccd));
    expect(error.code).toBe('REGISTRY_REJECTED');
    expect(error.retryable).toBe(false);
    expect(error.context.status).toBe(401);
  });

  it.each([
    'http://registry.example.gov.vn',
    'http://10.0.0.5:8080',
    'ftp://registry.example',
    'not a url',
    'https://user:pass@registry.example',
  ])('rejects the URL %s at creation', (url) => {
    expect(() => createHttpRegistry(url)).toThrow(
      expect.objectContaining({ code: 'REGISTRY_CONFIG_INVALID', retryable: false }),
    );
  });

  it('explains that plain http is allowed only on loopback', () => {
    expect(() => createHttpRegistry('http://registry.example.gov.vn')).toThrow(/must use https:\/\//);
  });

  it.each([
    'https://registry.example',
    'http://127.0.0.1:8080',
    'http://localhost:8080/',
    'http://[::1]:8080/registry',
  ])('accepts the URL %s', (url) => {
    expect(() => createHttpRegistry(url)).not.toThrow();
  });

  it('posts under the base path of the URL', async () => {
    const asked: string[] = [];
    const registry = createHttpRegistry('https://gw.example/registry/', {
      fetch: async (input) => {
        asked.push(String(input));
        return Response.json({ found: false });
      },
    });
    await expect(registry.lookup(AN.cccd)).resolves.toBeNull();
    expect(asked).toEqual(['https://gw.example/registry/v1/lookup']);
  });
});

describe('createPopulationRegistry', () => {
  it('opens the shipped sample by default, resolving the path from the working directory', async () => {
    expect(DEFAULT_POPULATION_REGISTRY).toBe('file:data/population-sample.csv');
    const registry = await createPopulationRegistry(DEFAULT_POPULATION_REGISTRY);
    await expect(registry.lookup(AN.cccd)).resolves.toEqual(AN);
  });

  it('opens an http registry for a loopback URL', async () => {
    const server = await startFakeRegistryServer([AN]);
    try {
      const registry = await createPopulationRegistry(server.url);
      await expect(registry.lookup(AN.cccd)).resolves.toEqual(AN);
    } finally {
      await server.close();
    }
  });

  it.each(['postgres://db/registry', 'data/population-sample.csv', 'file:', ''])(
    'rejects the value "%s" with a clear message',
    async (spec) => {
      const error = await rejection(createPopulationRegistry(spec));
      expect(error.code).toBe('REGISTRY_CONFIG_INVALID');
    },
  );

  it('does not echo a rejected value beyond its scheme', async () => {
    const error = await rejection(createPopulationRegistry('postgres://admin:hunter2@db/registry'));
    expect(error.message).toMatch(/file:PATH\.csv or an https:\/\/ URL/);
    expect(error.message).not.toContain('hunter2');
  });
});

describe('in-memory fake registry', () => {
  it('is unavailable for exactly the number of calls asked, then answers again', async () => {
    const registry = new InMemoryPopulationRegistry([AN]);
    registry.makeUnavailable(2);
    await expect(registry.lookup(AN.cccd)).rejects.toBeInstanceOf(RegistryUnavailableError);
    await expect(registry.lookup(AN.cccd)).rejects.toBeInstanceOf(RegistryUnavailableError);
    await expect(registry.lookup(AN.cccd)).resolves.toEqual(AN);
    expect(registry.lookupCount).toBe(3);
  });
});
