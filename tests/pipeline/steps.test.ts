/**
 * The pipeline's step scripts, run for real on a small seeded synthetic data set (3,000 applications) with
 * Debian's /usr/bin/python3 (pandas, scikit-learn, xgboost) in a temporary directory:
 * synthetic.py → prep.py → train_local.py (stand-in for the built-in XGBoost container, which cannot run here;
 * same hyperparameters, same model.tar.gz layout) → evaluate.py. Also checks the drift baseline (statistics.json,
 * read by shared/judge/drift) and the explainer (explainer.json, read by reason codes) the scripts write. Skipped, with the reason in the title, only when
 * /usr/bin/python3 cannot import the three packages (tests/pipeline/python.ts).
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATA, HYPERPARAMETERS, encodedFeatures } from '../../scripts/pipeline/definition';
import { explainerSchema } from '../../shared/contracts/explainer';
import { decodeRow } from '../../shared/contracts/model-input';
import { evaluationReportSchema } from '../../shared/contracts/reports';
import { buildBaselineStatistics } from '../../shared/judge/drift/baseline';
import { checkDrift } from '../../shared/judge/drift/check';
import { WindowAccumulator } from '../../shared/judge/drift/window';
import { isNumericFeature, parseBaselineStatistics } from '../../shared/judge/drift/statistics';
import { describeWithPython, runPython, runPythonOk, STEPS_DIR } from './python';

const CONFIG = join(STEPS_DIR, 'config.json');
const TEMPLATE = join(STEPS_DIR, 'analysis_config.json');
const TRAIN_LOCAL = join(__dirname, 'train_local.py');
const INPUT_URI = 's3://creditai-mlops-dev-data-123456789012/applications/';
/** CustomerMetadataProperties values (aws-facts §4.2). */
const METADATA_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;

const csvRows = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split(','));
const readJson = <T = Record<string, unknown>>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

describeWithPython('Pipeline step scripts on synthetic data', () => {
  jest.setTimeout(180_000);
  let dir: string;
  const path = (...p: string[]) => join(dir, ...p);
  const prep = (args: string[]) => runPython(join(STEPS_DIR, 'prep.py'), args, dir);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'creditai-pipeline-'));
    runPythonOk(join(STEPS_DIR, 'synthetic.py'), ['--rows', '3000', '--seed', '7', '--output', path('in', 'applications.csv')], dir);
    runPythonOk(join(STEPS_DIR, 'prep.py'), ['--input-uri', INPUT_URI, '--input-dir', path('in'), '--output-dir', path('out')], dir);
    runPythonOk(TRAIN_LOCAL, ['--train-dir', path('out', 'train'), '--validation-dir', path('out', 'validation'), '--model-dir', path('model'), '--config', CONFIG], dir);
    runPythonOk(
      join(STEPS_DIR, 'evaluate.py'),
      ['--model-name', 'pipelines-k3xz9q1m2abc-ClarifyModel-x1', '--model-dir', path('model'), '--test-dir', path('out', 'test'), '--train-dir', path('out', 'train'), '--output-dir', path('out')],
      dir,
    );
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('synthetic.py writes 3,000 plausible applications with every column the pipeline reads', () => {
    const [header, ...rows] = csvRows(path('in', 'applications.csv'));
    expect(rows).toHaveLength(3000);
    expect(header).toEqual(expect.arrayContaining([...DATA.numeric, ...Object.keys(DATA.categorical), DATA.protectedAttribute, DATA.label]));
    const col = (name: string) => rows.map((r) => r[header!.indexOf(name)]!);
    const incomes = col('annual_income').map(Number).sort((a, b) => a - b);
    expect(incomes[1500]).toBeGreaterThan(350_000);
    expect(incomes[1500]).toBeLessThan(600_000);
    const defaultRate = col(DATA.label).filter((v) => v === '1').length / rows.length;
    expect(defaultRate).toBeGreaterThan(0.03);
    expect(defaultRate).toBeLessThan(0.2);
    expect(new Set(col(DATA.protectedAttribute))).toEqual(new Set(DATA.protectedValues));
  });

  it('prep.py writes XGBoost-ready splits: label first, the encoded features, no header, stratified 70/15/15', () => {
    const features = encodedFeatures();
    const counts: Record<string, number> = {};
    for (const split of ['train', 'validation', 'test']) {
      const rows = csvRows(path('out', split, `${split}.csv`));
      counts[split] = rows.length;
      for (const row of rows) {
        expect(row).toHaveLength(1 + features.length);
        expect(['0', '1']).toContain(row[0]);
        expect(row.every((c) => c !== '' && !Number.isNaN(Number(c)))).toBe(true);
      }
    }
    expect(counts).toEqual({ train: 2100, validation: 450, test: 450 });
  });

  it('prep.py writes the test rows for Clarify with the protected attribute last, in the columns the Clarify configuration names', () => {
    const test = csvRows(path('out', 'test', 'test.csv'));
    const clarify = csvRows(path('out', 'clarify', 'clarify.csv'));
    const headers = readJson<{ headers: string[] }>(TEMPLATE).headers;
    expect(clarify).toHaveLength(test.length);
    clarify.forEach((row, i) => {
      expect(row).toHaveLength(headers.length);
      expect(row.slice(0, -1)).toEqual(test[i]);
      expect(DATA.protectedValues).toContain(row[row.length - 1]);
    });
  });

  it('prep.py records lineage: the data URI, the SHA-256 of the input file, the hyperparameters — all registrable as metadata', () => {
    const lineage = readJson<Record<string, unknown>>(path('out', 'lineage', 'lineage.json'));
    expect(lineage.training_data_uri).toBe(INPUT_URI);
    expect(lineage.training_data_hash).toBe(`sha256:${sha256(readFileSync(path('in', 'applications.csv')))}`);
    expect(lineage.hyperparameters).toEqual(HYPERPARAMETERS);
    expect(lineage.training_data_uri).toMatch(METADATA_VALUE);
    expect(lineage.training_data_hash).toMatch(METADATA_VALUE);
  });

  it('prep.py is deterministic: the same input gives byte-identical outputs', () => {
    const again = prep(['--input-uri', INPUT_URI, '--input-dir', path('in'), '--output-dir', path('again')]);
    expect(again.status).toBe(0);
    for (const file of ['train/train.csv', 'validation/validation.csv', 'test/test.csv', 'clarify/clarify.csv', 'lineage/lineage.json', 'baseline/statistics.json']) {
      expect({ file, same: readFileSync(path('again', file)).equals(readFileSync(path('out', file))) }).toEqual({ file, same: true });
    }
  });

  it('prep.py hashes several input files as their sha256sum listing, sorted by path', () => {
    const source = readFileSync(path('in', 'applications.csv'), 'utf8').split('\n');
    const [header, ...rows] = source.filter((l) => l.length > 0);
    mkdirSync(path('multi', 'b'), { recursive: true });
    const a = `${header}\n${rows.slice(0, 1500).join('\n')}\n`;
    const b = `${header}\n${rows.slice(1500).join('\n')}\n`;
    writeFileSync(path('multi', 'a.csv'), a);
    writeFileSync(path('multi', 'b', 'part.csv'), b);
    expect(prep(['--input-uri', INPUT_URI, '--input-dir', path('multi'), '--output-dir', path('multi-out')]).status).toBe(0);
    const listing = `${sha256(a)}  a.csv\n${sha256(b)}  b/part.csv\n`;
    expect(readJson(path('multi-out', 'lineage', 'lineage.json')).training_data_hash).toBe(`sha256:${sha256(listing)}`);
  });

  it('evaluate.py writes evaluation.json in the layout the gates parse, with a real AUC and KS', () => {
    const report = readJson(path('out', 'evaluation', 'evaluation.json'));
    const parsed = evaluationReportSchema.parse(report);
    const auc = parsed.binary_classification_metrics.auc.value!;
    const ks = parsed.binary_classification_metrics.ks!.value!;
    expect(auc).toBeGreaterThan(0.5);
    expect(auc).toBeLessThanOrEqual(1);
    expect(ks).toBeGreaterThan(0);
    expect(ks).toBeLessThanOrEqual(1);
    const metrics = (report as { binary_classification_metrics: Record<string, { value: number; standard_deviation: number }> }).binary_classification_metrics;
    expect(metrics.auc!.standard_deviation).toBeGreaterThan(0);
    expect(metrics.auc!.standard_deviation).toBeLessThan(0.2);
    expect(metrics.ks!.standard_deviation).toBeGreaterThan(0);
  });

  it('evaluate.py completes the Clarify configuration with the run’s model name and a one-row SHAP baseline of model features', () => {
    const template = readJson<Record<string, Record<string, unknown>>>(TEMPLATE);
    const config = readJson<{ predictor: Record<string, unknown>; methods: { shap: { baseline: number[][] } } } & Record<string, unknown>>(path('out', 'clarify_config', 'analysis_config.json'));
    expect(config.predictor.model_name).toBe('pipelines-k3xz9q1m2abc-ClarifyModel-x1');
    const [row, ...more] = config.methods.shap.baseline;
    expect(more).toEqual([]);
    expect(row).toHaveLength(encodedFeatures().length);
    // A valid one-hot pattern per categorical column.
    let offset = DATA.numeric.length;
    for (const values of Object.values(DATA.categorical)) {
      expect(row!.slice(offset, offset + values.length).reduce((a, b) => a + b, 0)).toBe(1);
      offset += values.length;
    }
    // Everything else is the generated template, untouched.
    expect({ ...config, predictor: { ...config.predictor, model_name: undefined }, methods: { ...config.methods, shap: { ...config.methods.shap, baseline: undefined } } }).toEqual(
      JSON.parse(JSON.stringify({ ...template, predictor: { ...template.predictor, model_name: undefined }, methods: { ...template.methods, shap: { ...(template.methods!.shap as object), baseline: undefined } } })),
    );
  });

  it('prep.py writes the training split’s baseline statistics.json, which the drift check parses and its TypeScript builder reproduces', () => {
    const stats = parseBaselineStatistics(readJson(path('out', 'baseline', 'statistics.json')));
    expect(stats.dataset.item_count).toBe(2100);
    expect(stats.features.map((f) => f.name)).toEqual([...DATA.numeric, ...Object.keys(DATA.categorical)]);
    // Ten equal-frequency buckets of the income (ties at an edge move a row or two).
    const income = stats.features[0]!;
    const counts = isNumericFeature(income) ? income.numerical_statistics.distribution.kll.buckets.map((b) => b.count) : [];
    expect(counts).toHaveLength(10);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(2100);
    for (const c of counts) expect(Math.abs(c - 210)).toBeLessThanOrEqual(5);
    // The same rows, decoded from train.csv (label first), through shared/judge/drift's builder.
    const schema = { numeric: [...DATA.numeric], categorical: Object.fromEntries(Object.entries(DATA.categorical).map(([k, v]) => [k, [...v]])) };
    const rows = csvRows(path('out', 'train', 'train.csv')).map((cells) => decodeRow(schema, cells.slice(1)));
    const typescript = buildBaselineStatistics(rows, schema);
    for (const [i, feature] of stats.features.entries()) {
      const ours = typescript.features[i]!;
      if (isNumericFeature(feature) && isNumericFeature(ours)) {
        expect({ name: feature.name, buckets: feature.numerical_statistics.distribution.kll.buckets }).toEqual({ name: ours.name, buckets: ours.numerical_statistics.distribution.kll.buckets });
        expect(feature.numerical_statistics.common).toEqual(ours.numerical_statistics.common);
        expect(feature.numerical_statistics.mean).toBeCloseTo(ours.numerical_statistics.mean, 6);
        expect(feature.numerical_statistics.std_dev).toBeCloseTo(ours.numerical_statistics.std_dev, 6);
        expect(feature.inferred_type).toBe(ours.inferred_type);
      } else if (!isNumericFeature(feature) && !isNumericFeature(ours)) {
        const counts = (b: { value: string; count: number }[]) => Object.fromEntries(b.map((x) => [x.value, x.count]));
        expect(counts(feature.string_statistics.distribution.categorical.buckets)).toEqual(counts(ours.string_statistics.distribution.categorical.buckets));
      } else {
        throw new Error(`${feature.name}: types differ (${feature.inferred_type}, ${ours.inferred_type})`);
      }
    }
  });

  it('the drift check reads the pipeline’s baseline: the test split (same population) shows no drift, its incomes × 1.6 do', () => {
    const stats = parseBaselineStatistics(readJson(path('out', 'baseline', 'statistics.json')));
    const schema = { numeric: [...DATA.numeric], categorical: Object.fromEntries(Object.entries(DATA.categorical).map(([k, v]) => [k, [...v]])) };
    const same = new WindowAccumulator(stats, schema);
    const shifted = new WindowAccumulator(stats, schema);
    for (const cells of csvRows(path('out', 'test', 'test.csv'))) {
      same.addEncodedRow(cells.slice(1));
      shifted.addEncodedRow([String(Number(cells[1]) * 1.6), ...cells.slice(2)]);
    }
    const unchanged = checkDrift(stats, same.finish());
    expect(unchanged.features.filter((f) => f.drifted).map((f) => f.feature)).toEqual([]);
    expect(unchanged.features.every((f) => f.counts.window === 450)).toBe(true);
    const drifted = checkDrift(stats, shifted.finish(), { comparisonThreshold: 0.2 });
    expect(drifted.features.filter((f) => f.drifted).map((f) => f.feature)).toEqual(['annual_income']);
  });

  it('evaluate.py writes explainer.json: a linear surrogate of the booster in log-odds, with its fidelity on the test set', () => {
    const explainer = explainerSchema.parse(readJson(path('out', 'explainer', 'explainer.json')));
    expect(explainer.features).toEqual(encodedFeatures());
    expect(explainer.label).toBe(DATA.label);
    expect(explainer.schema.numeric).toEqual(DATA.numeric);
    expect(explainer.fidelity.rows).toBe(450);
    // A tree ensemble is not linear; the surrogate must still explain most of its log-odds to be worth reason codes.
    console.info(`explainer.json surrogate fidelity: R² ${explainer.fidelity.r2.toFixed(3)} on ${explainer.fidelity.rows} test rows`);
    expect(explainer.fidelity.r2).toBeGreaterThan(0.5);
    expect(explainer.fidelity.r2).toBeLessThan(1);
    // The SHAP reference point is the training split's mean of each encoded feature.
    const train = csvRows(path('out', 'train', 'train.csv'));
    explainer.features.forEach((_, j) => {
      const mean = train.reduce((a, r) => a + Number(r[j + 1]), 0) / train.length;
      expect(explainer.baseline[j]).toBeCloseTo(mean, 6);
    });
    // More debt per income, more default risk: the surrogate keeps the model's direction.
    expect(explainer.coefficients[encodedFeatures().indexOf('debt_to_income')]).toBeGreaterThan(0);
  });

  describe('prep.py refuses data it cannot train on, naming every problem (exit 2)', () => {
    const variant = (name: string, edit: (header: string[], rows: string[][]) => void) => {
      const [header, ...rows] = csvRows(path('in', 'applications.csv'));
      edit(header!, rows);
      const target = path('bad', name);
      mkdirSync(target, { recursive: true });
      writeFileSync(join(target, 'applications.csv'), `${[header!, ...rows].map((r) => r.join(',')).join('\n')}\n`);
      return prep(['--input-uri', INPUT_URI, '--input-dir', target, '--output-dir', path('bad-out', name)]);
    };

    it('a missing column', () => {
      const run = variant('missing', (header, rows) => {
        const i = header.indexOf('purpose');
        header.splice(i, 1);
        rows.forEach((r) => r.splice(i, 1));
      });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/Missing columns: purpose/);
      expect(existsSync(path('bad-out', 'missing', 'train'))).toBe(false);
    });

    it('unknown categories, out-of-range numbers, labels other than 0/1, all in one report', () => {
      const run = variant('values', (header, rows) => {
        rows[0]![header.indexOf('home_ownership')] = 'castle';
        rows[1]![header.indexOf('age')] = '12';
        rows[2]![header.indexOf('annual_income')] = 'n/a';
        rows[3]![header.indexOf(DATA.label)] = 'yes';
        rows[4]![header.indexOf(DATA.protectedAttribute)] = 'unknown';
      });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/home_ownership: 1 value\(s\) outside .* \(e\.g\. \['castle'\]\), rows 2/);
      expect(run.stderr).toMatch(/age: 1 value\(s\) outside \[18, 110\], rows 3/);
      expect(run.stderr).toMatch(/annual_income: 1 empty or non-numeric value\(s\), rows 4/);
      expect(run.stderr).toMatch(/default_90d: 1 value\(s\) other than 0 or 1, rows 5/);
      expect(run.stderr).toMatch(/age_group: 1 value\(s\) outside/);
    });

    it('an input URI that cannot be registered as lineage metadata', () => {
      const run = prep(['--input-uri', 's3://bucket/applications (copy)/', '--input-dir', path('in'), '--output-dir', path('bad-out', 'uri')]);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/cannot be registered as lineage/);
    });

    it('no CSV at all', () => {
      mkdirSync(path('empty'), { recursive: true });
      const run = prep(['--input-uri', INPUT_URI, '--input-dir', path('empty'), '--output-dir', path('bad-out', 'empty')]);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/No CSV file under/);
    });
  });

  it('evaluate.py refuses a model directory without a model', () => {
    mkdirSync(path('no-model'), { recursive: true });
    copyFileSync(CONFIG, path('no-model', 'unrelated.json'));
    const run = runPython(join(STEPS_DIR, 'evaluate.py'), ['--model-name', 'm', '--model-dir', path('no-model'), '--test-dir', path('out', 'test'), '--output-dir', path('eval-out')], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/No xgboost-model/);
  });
});
