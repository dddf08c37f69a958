/**
 * Real data for the drift-check tests: the twin's seeded synthetic applications (scripts/twin/ml/synthetic.ts), a
 * training baseline built from them with the drift check's own builder, and the production traffic of an hour as
 * SageMaker Data Capture writes it (JSON lines, a few CSV rows per captured invocation) into the world's capture
 * objects. The drifted traffic is DESIGN §9's scenario: income centre 450,000 → 520,000, employment years bimodal.
 */
import { explainerSchema, type Explainer } from '../../../shared/contracts/explainer';
import { applicationsToCsv, encodedColumns } from '../../../shared/contracts/model-input';
import { buildBaselineStatistics, captureLine, type BaselineStatistics } from '../../../shared/judge/drift';
import { VARIANT_NAME } from '../../../shared/lifecycle/decide';
import { MODEL_SCHEMA } from '../../../scripts/twin/ml/schema';
import { syntheticApplications, type SyntheticApplication } from '../../../scripts/twin/ml/synthetic';
import type { FakeWorld } from '../../support/fake-world';

export const SCHEMA = MODEL_SCHEMA;
export const CAPTURE_URI = 's3://creditai-capture/endpoints';
export const REPORTS_URI = 's3://creditai-artifacts/drift';
/** Rows scored per captured invocation (the scorer batches a few applications per call). */
const ROWS_PER_CALL = 4;

/** The training split's baseline (2,000 rows, seed 7). */
export function trainingBaseline(): BaselineStatistics {
  return buildBaselineStatistics(syntheticApplications({ rows: 2000, seed: 7 }), SCHEMA);
}

/**
 * An explainer whose model uses annual income only (every other coefficient 0): each feature's share of the
 * importance is then known without computing it, 1 for annual_income and 0 for the rest.
 */
export function incomeOnlyExplainer(): Explainer {
  const features = encodedColumns(SCHEMA);
  return explainerSchema.parse({
    kind: 'linear-logit',
    features,
    intercept: -2.3,
    coefficients: features.map((f) => (f === 'annual_income' ? -0.000004 : 0)),
    baseline: features.map((f) => (f === 'annual_income' ? 450_000 : 0.1)),
    schema: { numeric: SCHEMA.numeric, categorical: SCHEMA.categorical },
    fidelity: { r2: 1, rows: 2000 },
    label: 'default_90d',
  });
}

export type TrafficKind = 'steady' | 'drifted';

/** One hour's applications: the training distribution (steady) or the drift scenario's (drifted). */
export function applications(kind: TrafficKind, seed: number, rows = 400): SyntheticApplication[] {
  return syntheticApplications({ rows, seed, ...(kind === 'drifted' ? { incomeMean: 520_000, employmentBimodal: true } : {}) });
}

/** `<capture uri>/<endpoint>/AllTraffic/yyyy/mm/dd/hh/` of the hour starting at `hourStart`. */
export function hourFolder(endpoint: string, hourStart: string): string {
  const [date, time] = hourStart.split('T') as [string, string];
  return `${CAPTURE_URI}/${endpoint}/${VARIANT_NAME}/${date.replaceAll('-', '/')}/${time.slice(0, 2)}/`;
}

/** Writes `rows` as two capture files of the hour (SageMaker rolls files within an hour). */
export function capture(world: FakeWorld, endpoint: string, hourStart: string, rows: readonly SyntheticApplication[]): void {
  const lines: string[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_CALL) {
    lines.push(captureLine(applicationsToCsv(SCHEMA, rows.slice(i, i + ROWS_PER_CALL)), `${hourStart}-${i}`, hourStart, '0.12'));
  }
  const half = Math.ceil(lines.length / 2);
  const folder = hourFolder(endpoint, hourStart);
  world.captureObjects.set(`${folder}part-0.jsonl`, lines.slice(0, half));
  world.captureObjects.set(`${folder}part-1.jsonl`, lines.slice(half));
}
