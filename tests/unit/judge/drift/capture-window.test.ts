import { buildBaselineStatistics } from '../../../../shared/judge/drift/baseline';
import { captureInputRows, captureLine } from '../../../../shared/judge/drift/capture';
import { MAX_OUT_OF_DOMAIN_VALUES, OTHER_VALUES, WindowAccumulator } from '../../../../shared/judge/drift/window';

const SCHEMA = { numeric: ['income', 'years'], categorical: { home: ['rent', 'own'] } };
const TIME = '2026-11-28T10:00:00Z';

describe('Function: captureInputRows', () => {
  it('splits a CSV capture into rows of cells (several rows per invocation, CRLF too)', () => {
    expect(captureInputRows(captureLine('1,2,1,0\r\n3,,0,1\n', 'e1', TIME, '0.2\n0.7'))).toEqual([
      ['1', '2', '1', '0'],
      ['3', '', '0', '1'],
    ]);
  });

  it('decodes a BASE64 capture (no CaptureContentTypeHeader)', () => {
    const line = JSON.stringify({ captureData: { endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: btoa('5,6,0,1'), encoding: 'BASE64' } }, eventMetadata: { eventId: 'e', inferenceTime: TIME }, eventVersion: '0' });
    expect(captureInputRows(line)).toEqual([['5', '6', '0', '1']]);
  });

  it.each([
    ['not JSON', '{"captureData": '],
    ['not a capture record', JSON.stringify({ hello: 'world' })],
    ['a JSON body', JSON.stringify({ captureData: { endpointInput: { observedContentType: 'application/json', mode: 'INPUT', data: '{"a":1}', encoding: 'JSON' } } })],
    ['a base64 body that is not CSV', JSON.stringify({ captureData: { endpointInput: { observedContentType: 'application/x-npy', mode: 'INPUT', data: 'AAAA', encoding: 'BASE64' } } })],
    ['broken base64', JSON.stringify({ captureData: { endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: '%%%', encoding: 'BASE64' } } })],
  ])('is undefined for %s', (_, line) => {
    expect(captureInputRows(line)).toBeUndefined();
  });
});

describe('Class: WindowAccumulator', () => {
  const baseline = buildBaselineStatistics(
    [1, 2, 3, 4].map((i) => ({ income: i * 10, years: i, home: i % 2 ? 'rent' : 'own' })),
    SCHEMA,
    { buckets: 2 },
  );
  // income buckets: [10, 25) and [25, 40]; years: [1, 2.5) and [2.5, 4].

  it('counts capture lines into baseline bins, with missing, non-numeric, malformed and unparsed apart', () => {
    const acc = new WindowAccumulator(baseline, SCHEMA);
    expect(acc.addCaptureLine(captureLine('5,1,1,0\n10,2,0,1\n30,,1,0', 'a', TIME))).toBe(3);
    expect(acc.addCaptureLine(captureLine('40,abc,1,1\n99,4,0,0\n1,2,3', 'b', TIME))).toBe(3);
    expect(acc.addCaptureLine('garbage')).toBe(0);
    expect(acc.addCaptureLine('   ')).toBe(0);

    const w = acc.finish();
    expect(w).toMatchObject({ records: 3, unparsedRecords: 1, rows: 5, malformedRows: 1 });
    expect(w.features.income).toMatchObject({ bins: [1, 1, 2, 1], present: 5, missing: 0, min: 5, max: 99 });
    expect(w.features.years).toMatchObject({ bins: [0, 2, 1, 0], present: 3, missing: 2, typeMismatch: 1 });
    expect(w.features.home).toEqual({ kind: 'categorical', counts: { rent: 2, own: 1 }, outOfDomain: {}, present: 3, missing: 2, invalid: 1 });
  });

  it('keeps running mean and variance (Welford) without keeping values', () => {
    const acc = new WindowAccumulator(baseline, SCHEMA);
    [2, 4, 4, 4, 5, 5, 7, 9].forEach((income) => acc.addRow({ income, years: 1, home: 'rent' }));
    const income = acc.finish().features.income!;
    if (income.kind !== 'numeric') throw new Error('numeric expected');
    expect(income.mean).toBeCloseTo(5, 12);
    expect(Math.sqrt(income.m2 / income.present)).toBeCloseTo(2, 12);
  });

  it('counts raw categories the baseline never saw, keeping at most MAX_OUT_OF_DOMAIN_VALUES by name', () => {
    const acc = new WindowAccumulator(baseline, SCHEMA);
    for (let i = 0; i < MAX_OUT_OF_DOMAIN_VALUES + 5; i += 1) acc.addRow({ income: 10, years: 1, home: `castle-${i}` });
    acc.addRow({ income: 10, years: 1, home: 'castle-0' });
    acc.addRow({ income: 10, years: 1, home: 'constructor' });
    const home = acc.finish().features.home!;
    if (home.kind !== 'categorical') throw new Error('categorical expected');
    expect(Object.keys(home.outOfDomain)).toHaveLength(MAX_OUT_OF_DOMAIN_VALUES + 1);
    expect(home.outOfDomain['castle-0']).toBe(2);
    expect(home.outOfDomain[OTHER_VALUES]).toBe(6);
    expect(home.counts).toEqual({ rent: 0, own: 0 });
  });

  it('finish() is a snapshot: counting goes on without changing it', () => {
    const acc = new WindowAccumulator(baseline, SCHEMA);
    acc.addRow({ income: 10, years: 1, home: 'rent' });
    const first = acc.finish();
    acc.addRow({ income: 10, years: 1, home: 'rent' });
    expect(first.rows).toBe(1);
    expect(acc.finish().rows).toBe(2);
  });
});
