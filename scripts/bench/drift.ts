/**
 * Drift-check throughput and memory on a window of captured records (issue 7: a million captured records must fit
 * a Lambda). Streams `records` synthetic Data Capture JSONL lines, one scored application each, generated one at a
 * time (never all in memory), through the WindowAccumulator, then runs checkDrift once. The window is the seed's
 * drift case (income 450,000 → 520,000, employment years bimodal), so the figures come with a real verdict.
 *
 * `npx tsx scripts/bench/drift.ts [records]` prints the figures as JSON.
 */
import config from '../../pipeline/steps/config.json';
import { applicationsToCsv, type Application } from '../../shared/contracts/model-input';
import { buildBaselineStatistics } from '../../shared/judge/drift/baseline';
import { captureLine } from '../../shared/judge/drift/capture';
import { checkDrift } from '../../shared/judge/drift/check';
import { seedCaseApplication, seededDraws, type SeededDraws } from '../../shared/judge/drift/seeded-draws';
import { WindowAccumulator } from '../../shared/judge/drift/window';

export interface DriftBench {
  records: number;
  /** Wall time of the whole run: generating the lines, accumulating them, checking. */
  seconds: number;
  /** Records per second of the drift check alone (parsing, decoding, counting, distances), generation excluded. */
  recordsPerSecond: number;
  /** Peak resident set size of the process over the run. */
  peakRssMb: number;
  /** Heap in use after the check, before collection. */
  heapUsedMb: number;
  /** Features found drifted (a sanity check that the figures measure a real check). */
  drifted: string[];
}

const SCHEMA = { numeric: config.numeric, categorical: config.categorical };

const application = (random: SeededDraws, drifted: boolean) => seedCaseApplication(random, drifted, config.categorical);

/** The captured lines of a window, one at a time. */
function* captureLines(records: number, random: SeededDraws): Generator<string> {
  const start = Date.parse('2026-11-28T00:00:00Z');
  for (let i = 0; i < records; i += 1) {
    const row = application(random, true);
    yield captureLine(applicationsToCsv(SCHEMA, [row]), `bench-${i}`, new Date(start + i * 86).toISOString(), '0.12');
  }
}

export async function benchDriftCheck(records = 1_000_000): Promise<DriftBench> {
  const random = seededDraws(7);
  const baseline = buildBaselineStatistics(
    Array.from({ length: 20_000 }, () => application(random, false)),
    SCHEMA,
  );
  const started = process.hrtime.bigint();
  let checking = 0n;
  const acc = new WindowAccumulator(baseline, SCHEMA);
  for (const line of captureLines(records, random)) {
    const t = process.hrtime.bigint();
    acc.addCaptureLine(line);
    checking += process.hrtime.bigint() - t;
  }
  const t = process.hrtime.bigint();
  const result = checkDrift(baseline, acc.finish(), { comparisonThreshold: 0.2 });
  checking += process.hrtime.bigint() - t;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
  return {
    records,
    seconds: Math.round(seconds * 100) / 100,
    recordsPerSecond: Math.round(records / (Number(checking) / 1e9)),
    // maxRSS is in kilobytes.
    peakRssMb: mb(process.resourceUsage().maxRSS * 1024),
    heapUsedMb: mb(process.memoryUsage().heapUsed),
    drifted: result.features.filter((f) => f.drifted).map((f) => f.feature),
  };
}

if (require.main === module) {
  const records = Number(process.argv[2] ?? 1_000_000);
  benchDriftCheck(records).then(
    (figures) => console.log(JSON.stringify(figures, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
