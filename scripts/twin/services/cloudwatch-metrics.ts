/**
 * The CloudWatch twin's metric store: raw datapoints per metric (namespace, name, dimensions), so every statistic
 * CloudWatch offers for a period (Sum, SampleCount, Average, Minimum, Maximum, percentiles such as p99, trimmed counts
 * and percentile ranks with absolute bounds such as TC(200000:)) is computed from the values themselves, as the
 * alarms and the judge read them.
 */

/** A metric's identity: CloudWatch matches dimensions exactly (all of them, no more). */
export interface MetricId {
  namespace: string;
  name: string;
  dimensions?: Record<string, string>;
}

/** `namespace|name|k=v,…` with dimensions sorted, so the same metric always has the same key. */
export function metricKey(id: MetricId): string {
  const dims = Object.entries(id.dimensions ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return `${id.namespace}|${id.name}|${dims}`;
}

/** A bound of `TC(…)` / `PR(…)`: absolute values only (`12.5`, `-3`); empty is open. */
const ABSOLUTE_BOUND = String.raw`-?\d+(?:\.\d+)?`;
const RANGE_STATISTIC = new RegExp(`^(TC|PR)\\((${ABSOLUTE_BOUND})?:(${ABSOLUTE_BOUND})?\\)$`);

/**
 * Trimmed count `TC(a:b)` (how many values) or percentile rank `PR(a:b)` (what percentage of the values) in the
 * range a < v ≤ b, as CloudWatch's statistics definitions have it (lower bound exclusive, upper inclusive; either may
 * be left out). Undefined for any other statistic; percentage bounds (`TC(10%:90%)`, `tc90`) are refused.
 */
function rangeStatistic(stat: string, values: readonly number[]): number | undefined {
  if (!/^(TC|PR|tc|pr)/.test(stat)) return undefined;
  const match = RANGE_STATISTIC.exec(stat);
  if (!match) throw new Error(`CloudWatch twin: statistic ${stat} is not supported: TC and PR take absolute bounds only, such as TC(200000:) or PR(:300)`);
  const lower = match[2] === undefined ? -Infinity : Number(match[2]);
  const upper = match[3] === undefined ? Infinity : Number(match[3]);
  const inRange = values.filter((v) => v > lower && v <= upper).length;
  return match[1] === 'TC' ? inRange : (100 * inRange) / values.length;
}

/**
 * A statistic of values, as CloudWatch names them. Percentiles use the nearest-rank method on the raw values
 * (CloudWatch's own percentiles are approximations; close enough for alarms that compare with a threshold).
 */
export function statistic(stat: string, values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  switch (stat) {
    case 'Sum':
      return values.reduce((a, b) => a + b, 0);
    case 'SampleCount':
      return values.length;
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'Minimum':
      return values.reduce((a, b) => Math.min(a, b));
    case 'Maximum':
      return values.reduce((a, b) => Math.max(a, b));
  }
  const range = rangeStatistic(stat, values);
  if (range !== undefined) return range;
  const percentile = /^p(\d{1,2}(?:\.\d+)?)$/.exec(stat);
  if (!percentile) throw new Error(`CloudWatch twin: statistic ${stat} is not supported (Sum, SampleCount, Average, Minimum, Maximum, pNN, TC(a:b), PR(a:b))`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((Number(percentile[1]) / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** The metric store. */
export interface MetricStore {
  put(id: MetricId, atMs: number, value: number, unit?: string): void;
  /**
   * The statistic of each whole period inside [startMs, endMs), periods aligned to the epoch as CloudWatch aligns
   * them; periods without datapoints are left out (CloudWatch returns no value for them).
   */
  series(id: MetricId, stat: string, periodSeconds: number, startMs: number, endMs: number): { atMs: number; value: number }[];
}

const MINUTE_MS = 60_000;

export function createMetricStore(): MetricStore {
  // Values per metric per minute: alarms look at the last few periods every minute, so they read minutes, not
  // every datapoint ever put.
  const metrics = new Map<string, Map<number, number[]>>();
  return {
    put(id, atMs, value) {
      if (!Number.isFinite(value)) throw new Error(`CloudWatch twin: metric ${id.name} value ${value} is not a finite number`);
      const key = metricKey(id);
      const minutes = metrics.get(key) ?? new Map<number, number[]>();
      metrics.set(key, minutes);
      const minute = Math.floor(atMs / MINUTE_MS) * MINUTE_MS;
      const values = minutes.get(minute);
      if (values) values.push(value);
      else minutes.set(minute, [value]);
    },
    series(id, stat, periodSeconds, startMs, endMs) {
      if (periodSeconds % 60 !== 0) throw new Error(`CloudWatch twin: period ${periodSeconds}s is not a multiple of 60`);
      const minutes = metrics.get(metricKey(id));
      if (!minutes) return [];
      const periodMs = periodSeconds * 1000;
      const out: { atMs: number; value: number }[] = [];
      for (let period = Math.ceil(startMs / periodMs) * periodMs; period + periodMs <= endMs; period += periodMs) {
        const values: number[] = [];
        for (let m = period; m < period + periodMs; m += MINUTE_MS) values.push(...(minutes.get(m) ?? []));
        const value = statistic(stat, values);
        if (value !== undefined) out.push({ atMs: period, value });
      }
      return out;
    },
  };
}
