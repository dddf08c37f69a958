/**
 * What a scenario run leaves for people: `<out>/ledger/<group>/*.json` (the audit bucket's ledger, laid out so
 * `npm run mlops -- audit verify --from <out>` and `audit dossier --from <out>` read it), `report.html`,
 * `timeline.json` and `summary.json`.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { endpointName } from '../../../shared/lifecycle/names';
import { DEFAULT_POLICY } from '../../../shared/lifecycle/policy';
import { auditVerify } from '../../mlops/commands/audit-verify';
import { makeDirectoryLedger } from '../../mlops/ledger-directory';
import { VARIANT_NAME } from '../production-alarms';
import { renderReport, type DriftHistogram, type MetricSeries, type ReportData } from '../report/report-html';
import type { FeatureReport } from '../../../shared/judge/drift';
import { gateResultsOf, type ScenarioResult } from './run';

const MINUTE = 60_000;
const MARKED: Record<string, string> = { CanaryStarted: 'canary', ModelPromoted: 'promoted', RollbackPerformed: 'rollback', DriftDetected: 'drift', RetrainRequested: 'retrain' };

/** The production endpoint's minute metrics over the run, as the report charts them. */
export function productionMetrics(result: ScenarioResult): MetricSeries[] {
  const metrics = result.world.cloudwatch.metrics;
  const id = (name: string) => ({ namespace: 'AWS/SageMaker', name, dimensions: { EndpointName: endpointName(result.group, 'production', DEFAULT_POLICY), VariantName: VARIANT_NAME } });
  const series = (name: string, stat: string) => metrics.series(id(name), stat, 60, result.startMs, result.endMs + MINUTE);
  const invocations = series('Invocations', 'Sum');
  if (invocations.length === 0) return [];
  const errors = new Map(series('Invocation5XXErrors', 'Sum').map((p) => [p.atMs, p.value]));
  return [
    { label: 'p99 ModelLatency', unit: 'ms', points: series('ModelLatency', 'p99').map((p) => ({ atMs: p.atMs, value: p.value / 1000 })), threshold: 200 },
    { label: '5XX errors', unit: '% of invocations', points: invocations.map((p) => ({ atMs: p.atMs, value: p.value > 0 ? (100 * (errors.get(p.atMs) ?? 0)) / p.value : 0 })), threshold: 1 },
    { label: 'Invocations', unit: 'requests per minute', points: invocations },
  ];
}

/** The histograms of the drifted features from the first drift report of the run (what the drift check saw). */
export function driftHistograms(result: ScenarioResult): DriftHistogram[] {
  const found = result.world.eventBridge.log.find((b) => b.event.source === 'creditai.mlops' && b.event['detail-type'] === 'DriftDetected');
  const uri = found?.event.detail.reportUri;
  const bytes = typeof uri === 'string' ? result.world.s3.read(uri) : undefined;
  if (!bytes) return [];
  const report = JSON.parse(new TextDecoder().decode(bytes)) as { features: FeatureReport[] };
  return report.features
    .filter((f) => f.drift.drifted && f.drift.distance !== null)
    .map((f) => ({
      feature: f.feature,
      method: f.drift.method,
      distance: f.drift.distance!,
      threshold: f.drift.threshold,
      buckets: f.bins.map((b) => ({ label: shortLabel(b.label), baseline: b.baseline, current: b.current })),
    }));
}

/** `[385000, 421000)` → `385k–421k`: bucket labels that fit under a bar. */
function shortLabel(label: string): string {
  const k = (n: string) => (Math.abs(Number(n)) >= 10_000 ? `${Math.round(Number(n) / 1000)}k` : n);
  const range = /^\[(-?[\d.]+), (-?[\d.]+)[)\]]$/.exec(label);
  if (range) return `${k(range[1]!)}–${k(range[2]!)}`;
  return label.replace(/-?\d{5,}(\.\d+)?/g, (n) => k(n));
}

/** The first marker of each label (hourly drift findings would otherwise cover the chart). */
function firstOfEach(markers: ReportData['markers']): ReportData['markers'] {
  const seen = new Set<string>();
  return markers.filter((m) => !seen.has(m.label) && seen.add(m.label));
}

export function reportData(result: ScenarioResult, ledger: ReportData['ledger'], drift: DriftHistogram[] = driftHistograms(result)): ReportData {
  return {
    title: result.scenario.title,
    description: result.scenario.description,
    group: result.group,
    startMs: result.startMs,
    endMs: result.endMs,
    summary: result.summary,
    timeline: result.timeline,
    gates: gateResultsOf(result.world),
    metrics: productionMetrics(result),
    markers: firstOfEach(result.timeline.filter((e) => e.actor === 'control-plane' && MARKED[e.type]).map((e) => ({ atMs: e.atMs, label: `${MARKED[e.type]}${e.version ? ` v${e.version}` : ''}` }))),
    drift,
    ledger,
  };
}

/** Writes the outputs; returns the ledger's verification (exit code 0 when every chain is whole). */
export async function writeOutputs(result: ScenarioResult, outDir: string, drift: DriftHistogram[] = driftHistograms(result)): Promise<{ verified: boolean; output: string; files: string[] }> {
  rmSync(join(outDir, 'ledger'), { recursive: true, force: true });
  for (const object of result.ledger) {
    const path = join(outDir, object.key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, object.body);
  }
  const verdict = result.ledger.length > 0 ? await auditVerify({ ledger: makeDirectoryLedger(outDir) }, {}) : { exitCode: 0, output: 'No ledger records.' };
  const ledger = { records: result.ledger.length, verified: verdict.exitCode === 0, output: verdict.output };
  const files = ['report.html', 'timeline.json', 'summary.json'].map((f) => join(outDir, f));
  mkdirSync(outDir, { recursive: true });
  writeFileSync(files[0]!, renderReport(reportData(result, ledger, drift)));
  writeFileSync(files[1]!, `${JSON.stringify(result.timeline, null, 2)}\n`);
  writeFileSync(files[2]!, `${JSON.stringify({ scenario: result.scenario.name, group: result.group, ...result.summary, ledgerVerified: ledger.verified }, null, 2)}\n`);
  return { verified: ledger.verified, output: verdict.output, files: [...files, join(outDir, 'ledger')] };
}
