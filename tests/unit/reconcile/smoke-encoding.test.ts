/**
 * The smoke test speaks the model's language: the samples encode into exactly the columns the training pipeline
 * trains on, and every sample's categories are ones the model knows.
 */
import samples from '../../../events/smoke-test/applications.json';
import modelInput from '../../../pipeline/steps/config.json';
import { decodeRow, encodedColumns } from '../../../shared/contracts/model-input';
import { toCsv } from '../../../shared/reconcile/execute';

describe('Function: toCsv (smoke-test encoding)', () => {
  it('encodes into the columns the pipeline trains on, in their order', () => {
    expect(encodedColumns(modelInput)).toEqual(modelInput.features);
  });

  it('gives every sample one row of exactly those columns, with one category set per categorical', () => {
    const csv = toCsv({ schema: modelInput, applications: samples.applications }, samples.applications).split('\n');
    expect(csv).toHaveLength(samples.applications.length);
    for (const line of csv) {
      const cells = line.split(',');
      expect(cells).toHaveLength(modelInput.features.length);
      expect(cells.every((c) => c !== '' && Number.isFinite(Number(c)))).toBe(true);
      for (const [name, values] of Object.entries(modelInput.categorical)) {
        const start = modelInput.features.indexOf(`${name}_${values[0]}`);
        expect(cells.slice(start, start + values.length).filter((c) => c === '1')).toHaveLength(1);
      }
    }
  });

  it('encodes a known application as the model expects', () => {
    const [first] = toCsv({ schema: modelInput, applications: [] }, [samples.applications[0]!]).split('\n');
    expect(first).toBe('452000,6.5,38,0.28,7,0,120000,0,1,0,0,1,0,0,0,0,0,0,0');
  });
});

describe('Function: decodeRow (the encoding read back, as the drift check reads captured rows)', () => {
  it('gives back every sample application from its encoded row', () => {
    for (const application of samples.applications) {
      const cells = toCsv({ schema: modelInput, applications: [] }, [application]).split(',');
      const decoded = decodeRow(modelInput, cells);
      for (const name of [...modelInput.numeric, ...Object.keys(modelInput.categorical)]) expect(decoded[name]).toEqual((application as Record<string, unknown>)[name]);
    }
  });

  it.each([
    ['a blank numeric is missing', ['', '1'], { income: undefined, home: 'rent' }],
    ['a non-numeric cell is missing', ['abc', '1'], { income: undefined, home: 'rent' }],
    ['no hot category is missing', ['5', '0'], { income: 5, home: undefined }],
  ])('%s', (_name, cells, expected) => {
    expect(decodeRow({ numeric: ['income'], categorical: { home: ['rent'] } }, cells)).toEqual(expected);
  });

  it('marks two hot categories as invalid (null)', () => {
    expect(decodeRow({ numeric: [], categorical: { home: ['rent', 'own'] } }, ['1', '1'])).toEqual({ home: null });
  });
});
