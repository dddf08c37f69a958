import { buildBaselineStatistics } from '../../../../shared/judge/drift/baseline';
import { binIndex, countBins, quantileEdges, quantileOfSorted } from '../../../../shared/judge/drift/histogram';
import { isNumericFeature, parseBaselineStatistics } from '../../../../shared/judge/drift/statistics';

const ONE_TO_TEN = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
/** Edges such as 4.6 come out of the interpolation as 4.6000000000000005. */
const expectClose = (actual: number[], expected: number[]) => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, 12));
};

describe('quantile edges and bins', () => {
  it.each<[number, number]>([
    [0, 1],
    [0.2, 2.8],
    [0.5, 5.5],
    [0.95, 9.55],
    [1, 10],
  ])('quantile %p of 1..10 is %p (linear between order statistics, as numpy)', (p, expected) => {
    expect(quantileOfSorted(ONE_TO_TEN, p)).toBeCloseTo(expected, 12);
  });

  it('5 equal-frequency buckets of 1..10 and a discrete feature whose ties merge buckets', () => {
    expectClose(quantileEdges(ONE_TO_TEN, 5), [1, 2.8, 4.6, 6.4, 8.2, 10]);
    // h = 9p: 0 up to p = 0.6, then 0.3, 1, 1.2 and 3.
    expectClose(quantileEdges([0, 0, 0, 0, 0, 0, 0, 1, 1, 3], 10), [0, 0.3, 1, 1.2, 3]);
    expect(quantileEdges([7, 7, 7], 10)).toEqual([7, 7]);
    expect(quantileEdges([], 10)).toEqual([]);
  });

  it.each<[number, number]>([
    [0.5, 0], // underflow
    [1, 1], // first bucket holds its lower bound
    [2.79, 1],
    [2.8, 2], // an upper bound belongs to the next bucket
    [9.9, 5],
    [10, 5], // except the last bucket's, which it holds
    [10.01, 6], // overflow
  ])('value %p falls in bin %p of [1, 2.8, 4.6, 6.4, 8.2, 10]', (x, bin) => {
    expect(binIndex([1, 2.8, 4.6, 6.4, 8.2, 10], x)).toBe(bin);
  });

  it('a constant baseline [7, 7] has one bucket holding 7', () => {
    expect(countBins([7, 7], [6, 7, 7, 8])).toEqual([1, 2, 1]);
  });
});

describe('Function: buildBaselineStatistics', () => {
  const schema = { numeric: ['x'], categorical: { colour: ['red', 'blue', 'green'] } };
  const rows = [
    ...ONE_TO_TEN.map((x, i) => ({ x, colour: i < 6 ? 'red' : 'blue' })),
    { x: undefined, colour: undefined },
    { x: Number.NaN, colour: 'red' },
  ];

  const stats = buildBaselineStatistics(rows, schema, { buckets: 5 });

  it('numeric: Model Monitor layout, population standard deviation, equal-frequency buckets of 2 values each', () => {
    expect(stats.version).toBe(0);
    expect(stats.dataset.item_count).toBe(12);
    const x = stats.features[0]!;
    expect(x).toMatchObject({ name: 'x', inferred_type: 'Integral' });
    if (!isNumericFeature(x)) throw new Error('numeric expected');
    const s = x.numerical_statistics;
    expect(s.common).toEqual({ num_present: 10, num_missing: 2 });
    expect([s.mean, s.sum, s.min, s.max]).toEqual([5.5, 55, 1, 10]);
    expect(s.std_dev).toBeCloseTo(Math.sqrt(8.25), 12);
    const buckets = s.distribution.kll.buckets;
    expectClose(buckets.map((b) => b.lower_bound), [1, 2.8, 4.6, 6.4, 8.2]);
    expectClose(buckets.map((b) => b.upper_bound), [2.8, 4.6, 6.4, 8.2, 10]);
    expect(buckets.map((b) => b.count)).toEqual([2, 2, 2, 2, 2]);
  });

  it('categorical: observed categories with their counts, missing counted apart', () => {
    expect(stats.features[1]).toEqual({
      name: 'colour',
      inferred_type: 'String',
      string_statistics: {
        common: { num_present: 11, num_missing: 1 },
        distinct_count: 2,
        distribution: { categorical: { buckets: [{ value: 'red', count: 7 }, { value: 'blue', count: 4 }] } },
      },
    });
  });

  it('is what the parser accepts, unchanged', () => {
    expect(parseBaselineStatistics(JSON.parse(JSON.stringify(stats)))).toEqual(stats);
  });

  it('a fractional feature and an empty data set', () => {
    const fractional = buildBaselineStatistics([{ x: 0.5 }, { x: 2 }], { numeric: ['x'], categorical: {} });
    expect(fractional.features[0]!.inferred_type).toBe('Fractional');
    const empty = buildBaselineStatistics([], schema);
    expect(empty.features[0]).toMatchObject({ numerical_statistics: { common: { num_present: 0, num_missing: 0 }, mean: 0, std_dev: 0, distribution: { kll: { buckets: [] } } } });
    expect(parseBaselineStatistics(empty)).toEqual(empty);
  });
});

describe('Function: parseBaselineStatistics', () => {
  // Shaped as Model Monitor writes it: KLL sketch, extra keys we do not read.
  const modelMonitor = {
    version: 0,
    dataset: { item_count: 3 },
    features: [
      {
        name: 'annual_income',
        inferred_type: 'Fractional',
        numerical_statistics: {
          common: { num_present: 3, num_missing: 0 },
          mean: 2,
          sum: 6,
          std_dev: 0.816,
          min: 1,
          max: 3,
          approximate_num_distinct_values: 3,
          distribution: { kll: { buckets: [{ lower_bound: 1, upper_bound: 2, count: 1 }, { lower_bound: 2, upper_bound: 3, count: 2 }], sketch: { parameters: { c: 0.64, k: 2048 }, data: [[1, 2, 3]] } } },
        },
      },
    ],
  };

  it('accepts Model Monitor statistics and keeps what it does not read', () => {
    const parsed = parseBaselineStatistics(modelMonitor);
    expect(parsed.features[0]).toMatchObject({ numerical_statistics: { approximate_num_distinct_values: 3 } });
  });

  it.each<[string, (s: typeof modelMonitor) => void, RegExp]>([
    ['overlapping buckets', (s) => (s.features[0]!.numerical_statistics.distribution.kll.buckets[1]!.lower_bound = 1.5), /ordered and not overlap/],
    ['a negative count', (s) => (s.features[0]!.numerical_statistics.common.num_missing = -1), /num_missing/],
    ['no dataset', (s) => delete (s as Partial<typeof modelMonitor>).dataset, /dataset/],
  ])('refuses %s, naming it', (_, edit, message) => {
    const broken = structuredClone(modelMonitor);
    edit(broken);
    expect(() => parseBaselineStatistics(broken)).toThrow(message);
  });
});
