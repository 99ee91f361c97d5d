/**
 * `npm run bench` (full, under 20 minutes) and `npm run bench -- --quick` (under 3 minutes): runs the scenarios
 * of bench/scenarios on real parts (PostgreSQL, Redis, BullMQ, the service's own processes, fake providers on
 * 127.0.0.1), prints one table, writes `bench/results.json` and the generated table of docs/benchmarks.md.
 * `--only <scenario>` (repeatable) runs some of them; `--city <citizens>` sets the size of the `city-scale` city
 * (2.5 papers and 5/3 dossiers a citizen). Needs the services `npm test` needs.
 */
import { parseArgs } from 'node:util';
import { dataStore } from './data-store.ts';
import { type Figure, markdownTable, writeDocsTable, writeResults } from './lib/report.ts';
import { cityScale } from './scenarios/city-scale.ts';
import { endToEnd } from './scenarios/end-to-end.ts';
import { engineOnly } from './scenarios/engine-only.ts';
import { engineVsGrammy } from './scenarios/engine-vs-grammy.ts';
import { intake } from './scenarios/intake.ts';
import { memory } from './scenarios/memory.ts';
import { registration } from './scenarios/registration.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true },
    city: { type: 'string' },
  },
});
const quick = values.quick === true;

/** The city of the `city-scale` scenario: the issue's, a smaller one in quick mode, or `--city <citizens>`. */
function citySizes() {
  const citizens = values.city ? Number(values.city) : quick ? 50_000 : 1_200_000;
  if (!Number.isInteger(citizens) || citizens < 1000) throw new Error('--city takes at least 1000 citizens');
  return { citizens, papers: Math.round(citizens * 2.5), dossiers: Math.round(citizens * (5 / 3)) };
}

/** Every scenario, with its sizes in quick and full mode. */
const SCENARIOS: Record<string, () => Promise<Figure[]>> = {
  engine: async () => [
    ...(await engineOnly(quick ? 200 : 1000)),
    ...(await engineVsGrammy(quick ? 500 : 3000)),
  ],
  intake: () => intake(quick ? 3000 : 20_000),
  'end-to-end': () => endToEnd(quick ? 1000 : 5000, quick ? 5 : 20),
  registration: () => registration(quick ? 200 : 1000),
  memory: () => memory(quick ? 500 : 2000),
  'city-scale': () =>
    cityScale(
      quick
        ? {
            sizes: citySizes(),
            turns: 200,
            turnsOneAtATime: 50,
            sharedPapers: 30,
            pageViews: 200,
            dossierUpdates: 200,
          }
        : {
            sizes: citySizes(),
            turns: 1000,
            turnsOneAtATime: 300,
            sharedPapers: 200,
            pageViews: 500,
            dossierUpdates: 500,
          },
    ),
  'data-store': async () => {
    if (!quick) await dataStore();
    return [];
  },
};

const chosen = values.only ?? Object.keys(SCENARIOS);
const unknown = chosen.filter((name) => !(name in SCENARIOS));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown scenario ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}\n`,
  );
  process.exit(2);
}

const startedAt = new Date();
const figures: Figure[] = [];
for (const name of chosen) {
  const t0 = performance.now();
  process.stdout.write(`▶ ${name}\n`);
  const found = await SCENARIOS[name]?.();
  figures.push(...(found ?? []));
  process.stdout.write(`  done in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
}
process.stdout.write(`\n${markdownTable(figures)}\n`);
const run = { mode: quick ? 'quick' : 'full', startedAt, figures };
await writeResults('bench/results.json', run);
if (values.only === undefined) await writeDocsTable('docs/benchmarks.md', run);
process.stdout.write(
  `\nwrote bench/results.json${values.only === undefined ? ' and the table of docs/benchmarks.md' : ''}\n`,
);
process.exit(0);
