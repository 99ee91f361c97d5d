import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The dependency rules of reference/style.md (a), checked on the relative imports of all non-test code.
const ROOT = path.resolve(import.meta.dirname, '..');
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s*)['"]([^'"]+)['"]/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(file);
    return file.endsWith('.ts') && !file.endsWith('.test.ts') ? [file] : [];
  });
}

/** Every import as [importing file, specifier]; relative ones resolved against the repository root. */
const imports = ['src', 'flows', 'adapters']
  .flatMap(sourceFiles)
  .flatMap((file) =>
    [...readFileSync(path.join(ROOT, file), 'utf8').matchAll(IMPORT)].map(([, spec = '']) =>
      spec.startsWith('.')
        ? ([file, path.posix.normalize(path.posix.join(path.posix.dirname(file), spec))] as const)
        : ([file, `npm:${spec}`] as const),
    ),
  );
const edges = imports.filter(([, to]) => !to.startsWith('npm:'));
const INFRASTRUCTURE = /^npm:(fastify|@fastify\/.*|bullmq|ioredis|pg|@electric-sql\/.*)$/;

const under = (file: string, ...folders: string[]) => folders.some((f) => file.startsWith(`${f}/`));
const ownAdapter = (from: string, to: string) => from.split('/')[1] === to.split('/')[1];

/** Each rule: which importing files it covers, and whether an import is allowed for them. */
const RULES: [string, (from: string) => boolean, (to: string, from: string) => boolean][] = [
  [
    'adapters import only src/messaging, src/shared and their own folder',
    (f) => under(f, 'adapters'),
    (to, from) => under(to, 'src/messaging', 'src/shared') || (under(to, 'adapters') && ownAdapter(from, to)),
  ],
  [
    'flows never import storage, queues, http, app, registry or adapters',
    (f) => under(f, 'flows'),
    (to) => !under(to, 'src/storage', 'src/queues', 'src/http', 'src/app', 'src/registry', 'adapters'),
  ],
  [
    'src/engine imports only src/engine, src/messaging and src/shared',
    (f) => under(f, 'src/engine'),
    (to) => under(to, 'src/engine', 'src/messaging', 'src/shared'),
  ],
  [
    'src/domain imports only src/domain and src/shared',
    (f) => under(f, 'src/domain'),
    (to) => under(to, 'src/domain', 'src/shared'),
  ],
  [
    'src/messaging imports only src/messaging and src/shared',
    (f) => under(f, 'src/messaging'),
    (to) => under(to, 'src/messaging', 'src/shared'),
  ],
  [
    'src/pipeline never imports src/app or src/http',
    (f) => under(f, 'src/pipeline'),
    (to) => !under(to, 'src/app', 'src/http'),
  ],
  ['src/shared imports only src/shared', (f) => under(f, 'src/shared'), (to) => under(to, 'src/shared')],
  ['nothing outside src/app imports src/app', (f) => !under(f, 'src/app'), (to) => !under(to, 'src/app')],
];

describe('architecture', () => {
  it('finds the code it checks: every relative import points at a file that exists', () => {
    expect(edges.length).toBeGreaterThan(50);
    expect(edges.filter(([, to]) => !existsSync(path.join(ROOT, to))).map((e) => e.join(' -> '))).toEqual([]);
  });

  it.each(RULES)('%s', (_rule, covers, allowed) => {
    const violations = edges.filter(([from, to]) => covers(from) && !allowed(to, from));
    expect(violations.map(([from, to]) => `${from} imports ${to}`)).toEqual([]);
  });

  it('catches an adapter that imports the engine (the rules are not vacuous)', () => {
    const [, covers, allowed] = RULES[0] ?? [];
    expect(covers?.('adapters/zalo-oa/zalo-oa.adapter.ts')).toBe(true);
    expect(allowed?.('src/engine/run-turn.ts', 'adapters/zalo-oa/zalo-oa.adapter.ts')).toBe(false);
    expect(allowed?.('adapters/twilio-sms/x.ts', 'adapters/zalo-oa/zalo-oa.adapter.ts')).toBe(false);
  });

  it('keeps fastify, BullMQ, Redis and database clients out of adapters, flows, engine, domain and messaging', () => {
    const pure = ['adapters', 'flows', 'src/engine', 'src/domain', 'src/messaging', 'src/shared'];
    const violations = imports.filter(([from, to]) => under(from, ...pure) && INFRASTRUCTURE.test(to));
    expect(violations.map(([from, to]) => `${from} imports ${to}`)).toEqual([]);
  });

  it('compares secrets in one place: node:crypto’s timingSafeEqual only in src/shared/crypto.ts', () => {
    const comparing = ['src', 'flows', 'adapters']
      .flatMap(sourceFiles)
      .filter((file) => /\btimingSafeEqual\(/.test(readFileSync(path.join(ROOT, file), 'utf8')));
    expect(comparing).toEqual(['src/shared/crypto.ts']);
  });

  it('catches a pipeline stage that imports the composition root (the rule is not vacuous)', () => {
    const rule = RULES.find(([name]) => name.startsWith('src/pipeline'));
    expect(rule?.[1]('src/pipeline/notify.ts')).toBe(true);
    expect(rule?.[2]('src/app/services.ts', 'src/pipeline/notify.ts')).toBe(false);
    expect(rule?.[2]('src/domain/citizens/citizen.ts', 'src/pipeline/notify.ts')).toBe(true);
  });

  it.each(['src', 'flows', 'adapters', 'test', 'docker', 'docs', 'src/pipeline'])(
    '%s/ has a README.md',
    (folder) => {
      expect(existsSync(path.join(ROOT, folder, 'README.md'))).toBe(true);
    },
  );
});
