/**
 * The streaming window accumulator: captured records go in one at a time and only counts stay — per numeric
 * feature the bins of its baseline buckets (plus underflow and overflow) and running moments, per categorical
 * feature a count per baseline category and a bounded set of out-of-domain values. Memory is O(features ×
 * buckets) whatever the window's size, so a million captured records fit a Lambda.
 */
import { decodeRow, type ModelInputSchema } from '../../contracts/model-input';
import type { RawRow } from './baseline';
import { captureInputRows } from './capture';
import { binIndex } from './histogram';
import { isNumericFeature, type BaselineStatistics } from './statistics';

/** Distinct out-of-domain values kept by name; the rest are counted under OTHER_VALUES. */
export const MAX_OUT_OF_DOMAIN_VALUES = 50;
export const OTHER_VALUES = '(other values)';

export interface NumericWindow {
  kind: 'numeric';
  /** Edges of the baseline's buckets (e0 < … < ek). */
  edges: number[];
  /** [underflow, bucket 0 … bucket k−1, overflow]. */
  bins: number[];
  present: number;
  missing: number;
  /** Cells that were neither blank nor a number. */
  typeMismatch: number;
  mean: number;
  /** Σ (x − mean)², Welford's running form. */
  m2: number;
  min: number;
  max: number;
}

export interface CategoricalWindow {
  kind: 'categorical';
  /** Count per baseline category (every baseline category present, zero or not). */
  counts: Record<string, number>;
  /** Count per value the baseline never saw. */
  outOfDomain: Record<string, number>;
  present: number;
  missing: number;
  /** Rows whose one-hot group had several columns set: not a valid application. */
  invalid: number;
}

export type FeatureWindow = NumericWindow | CategoricalWindow;

export interface WindowSummary {
  /** Capture lines read, parsed or not. */
  records: number;
  /** Lines that were not a CSV capture record. */
  unparsedRecords: number;
  /** Application rows counted. */
  rows: number;
  /** Rows with the wrong number of cells for the model's input. */
  malformedRows: number;
  features: Record<string, FeatureWindow>;
}

export class WindowAccumulator {
  private readonly summary: WindowSummary;
  private readonly numeric: [string, NumericWindow][] = [];
  private readonly categorical: [string, CategoricalWindow][] = [];
  private readonly columns: number;

  constructor(
    baseline: BaselineStatistics,
    private readonly schema: Pick<ModelInputSchema, 'numeric' | 'categorical'>,
  ) {
    this.columns = schema.numeric.length + Object.values(schema.categorical).reduce((n, values) => n + values.length, 0);
    const features: Record<string, FeatureWindow> = {};
    for (const feature of baseline.features) {
      if (isNumericFeature(feature)) {
        const buckets = feature.numerical_statistics.distribution.kll.buckets;
        const edges = buckets.length === 0 ? [] : [buckets[0]!.lower_bound, ...buckets.map((b) => b.upper_bound)];
        const window: NumericWindow = { kind: 'numeric', edges, bins: new Array<number>(edges.length + 1).fill(0), present: 0, missing: 0, typeMismatch: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity };
        features[feature.name] = window;
        this.numeric.push([feature.name, window]);
      } else {
        const counts = Object.fromEntries(feature.string_statistics.distribution.categorical.buckets.map((b) => [b.value, 0]));
        const window: CategoricalWindow = { kind: 'categorical', counts, outOfDomain: {}, present: 0, missing: 0, invalid: 0 };
        features[feature.name] = window;
        this.categorical.push([feature.name, window]);
      }
    }
    this.summary = { records: 0, unparsedRecords: 0, rows: 0, malformedRows: 0, features };
  }

  /** One line of Data Capture JSONL; returns how many application rows it carried. */
  addCaptureLine(line: string): number {
    if (line.trim() === '') return 0;
    this.summary.records += 1;
    const rows = captureInputRows(line);
    if (rows === undefined) {
      this.summary.unparsedRecords += 1;
      return 0;
    }
    for (const cells of rows) this.addEncodedRow(cells);
    return rows.length;
  }

  /** One model-input CSV row (numeric columns, then one-hot categoricals). */
  addEncodedRow(cells: readonly string[]): void {
    if (cells.length !== this.columns) {
      this.summary.malformedRows += 1;
      return;
    }
    const row = decodeRow(this.schema, cells);
    this.schema.numeric.forEach((name, i) => {
      // decodeRow folds "not a number" into missing; a data-type check needs them apart.
      if (row[name] === undefined && cells[i]!.trim() !== '') row[name] = Number.NaN;
    });
    this.addRow(row);
  }

  /** One raw application (the twin scores these directly). */
  addRow(row: RawRow): void {
    this.summary.rows += 1;
    for (const [name, w] of this.numeric) {
      const v = row[name];
      if (v === undefined || v === null || v === '') {
        w.missing += 1;
        continue;
      }
      const x = typeof v === 'number' ? v : Number(v);
      if (!Number.isFinite(x)) {
        w.missing += 1;
        w.typeMismatch += 1;
        continue;
      }
      w.present += 1;
      const delta = x - w.mean;
      w.mean += delta / w.present;
      w.m2 += delta * (x - w.mean);
      if (x < w.min) w.min = x;
      if (x > w.max) w.max = x;
      if (w.edges.length > 0) w.bins[binIndex(w.edges, x)]! += 1;
    }
    for (const [name, w] of this.categorical) {
      const v = row[name];
      if (v === null) {
        w.invalid += 1;
        w.missing += 1;
        continue;
      }
      if (v === undefined || v === '') {
        w.missing += 1;
        continue;
      }
      w.present += 1;
      const key = String(v);
      if (Object.hasOwn(w.counts, key)) w.counts[key]! += 1;
      else if (Object.hasOwn(w.outOfDomain, key) || Object.keys(w.outOfDomain).length < MAX_OUT_OF_DOMAIN_VALUES) w.outOfDomain[key] = (w.outOfDomain[key] ?? 0) + 1;
      else w.outOfDomain[OTHER_VALUES] = (w.outOfDomain[OTHER_VALUES] ?? 0) + 1;
    }
  }

  /** The window's counts (a snapshot; the accumulator may go on). */
  finish(): WindowSummary {
    return structuredClone(this.summary);
  }
}
