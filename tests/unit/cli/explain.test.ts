/**
 * `mlops explain`: the explainer from a file or from the package's `explainer:uri`, the application from a file,
 * reason codes printed as text or JSON, and the refusals (no explainer, bad input, a protected attribute as input).
 * `makeExplainerLocator` is checked against the SageMaker API model.
 */
import { DescribeModelPackageCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { explain, type ExplainDeps } from '../../../scripts/mlops/commands/explain';
import { makeExplainerLocator } from '../../../scripts/mlops/package-metadata';
import type { Explainer } from '../../../shared/contracts/explainer';
import { encodedColumns } from '../../../shared/contracts/model-input';
import modelInput from '../../../pipeline/steps/config.json';
import { expectValidAwsInput, recordedCallsOf } from '../../support/aws-model-validator';
import { arnOf, GROUP } from './fakes';

const ARN = arnOf(GROUP, 7);
const EXPLAINER_URI = 's3://creditai-artifacts/credit-risk-retail/v7/explainer.json';

/**
 * An explainer over the pipeline's schema: only debt_to_income (β 4, mean 0.3), delinquencies (β 0.5, mean 0.2) and
 * purpose_medical (β 0.3, mean 0.05) carry weight, so contributions are easy to compute by hand.
 */
const schema = { numeric: modelInput.numeric, categorical: modelInput.categorical };
const features = encodedColumns(schema);
const weights: Record<string, [number, number]> = { debt_to_income: [4, 0.3], delinquencies: [0.5, 0.2], purpose_medical: [0.3, 0.05] };
const EXPLAINER: Explainer = {
  kind: 'linear-logit',
  features,
  intercept: -3,
  coefficients: features.map((f) => weights[f]?.[0] ?? 0),
  baseline: features.map((f) => weights[f]?.[1] ?? 0),
  schema,
  fidelity: { r2: 0.94, rows: 4000 },
  label: 'default_90d',
};
const APPLICATION = { annual_income: 210000, employment_years: 1, age: 23, debt_to_income: 0.5, credit_lines: 2, delinquencies: 2, loan_amount: 60000, home_ownership: 'rent', purpose: 'medical' };

/** `uri` null: the package records no explainer. */
function depsOf(files: Record<string, unknown>, s3: Record<string, unknown> = { [EXPLAINER_URI]: EXPLAINER }, uri: string | null = EXPLAINER_URI) {
  const lookups: string[] = [];
  const deps: ExplainDeps = {
    readText: async (path) => {
      if (!(path in files)) throw new Error(`ENOENT: no such file, open '${path}'`);
      const value = files[path];
      return typeof value === 'string' ? value : JSON.stringify(value);
    },
    explainerUri: async (arn) => {
      lookups.push(arn);
      return uri ?? undefined;
    },
    readJson: async (u) => s3[u],
    protectedAttributes: [modelInput.protected_attribute],
  };
  return { deps, lookups };
}

describe('Command: explain', () => {
  it('prints the score and the principal reasons from the package\'s explainer', async () => {
    const { deps, lookups } = depsOf({ 'app.json': APPLICATION });

    const result = await explain(deps, { packageArn: ARN, input: 'app.json' });

    // φ: DTI 4×(0.5−0.3)=0.8, delinquencies 0.5×(2−0.2)=0.9, purpose 0.3×(1−0.05)=0.285; log-odds −3+2+1+0.3=0.3
    expect(lookups).toEqual([ARN]);
    expect(result.exitCode).toBe(0);
    expect(result.output.split('\n')).toEqual([
      `credit-risk-retail v7: probability of default_90d ${(1 / (1 + Math.exp(-0.3))).toFixed(4)} (log-odds +0.300; average applicant -1.685)`,
      `Explainer: ${EXPLAINER_URI} (fidelity R² 0.940)`,
      'Principal reasons (the features that raised the default odds most):',
      '  1. Delinquent past or present credit obligations with others  [delinquencies:high; value 2; +0.900 log-odds]',
      '  2. Debt obligations too high relative to income               [debt_to_income:high; value 0.5; +0.800 log-odds]',
      '  3. Purpose of the credit requested                            [purpose; value medical; +0.285 log-odds]',
    ]);
  });

  it('reads a local explainer with --explainer, honours --top and prints JSON with --json', async () => {
    const { deps, lookups } = depsOf({ 'app.json': APPLICATION, 'explainer.json': EXPLAINER }, {});

    const result = await explain(deps, { packageArn: ARN, input: 'app.json', explainer: 'explainer.json', top: '1', json: true });

    expect(lookups).toEqual([]);
    const printed = JSON.parse(result.output);
    expect(printed).toMatchObject({ packageArn: ARN, explainer: 'explainer.json', label: 'default_90d', reasons: [{ rank: 1, feature: 'delinquencies', code: 'delinquencies:high' }] });
    expect(printed.contributions).toHaveLength(9);
    expect(printed.logOdds).toBeCloseTo(0.3, 12);
  });

  it('says when nothing is adverse', async () => {
    const { deps } = depsOf({ 'app.json': { ...APPLICATION, debt_to_income: 0.1, delinquencies: 0, purpose: 'car' } });

    const result = await explain(deps, { packageArn: ARN, input: 'app.json' });

    expect(result.output).toContain('No feature raised the default odds above the average applicant\'s: no adverse reason to state.');
  });

  it.each<[string, Partial<Parameters<typeof explain>[1]>, Record<string, unknown>, string | null, number, string]>([
    ['no --input', { input: undefined }, {}, EXPLAINER_URI, 1, '--input <application.json> is required'],
    ['a --top of 0', { top: '0' }, { 'app.json': APPLICATION }, EXPLAINER_URI, 1, '--top must be a whole number from 1 to 10 (got 0).'],
    ['a missing input file', { input: 'nope.json' }, {}, EXPLAINER_URI, 1, "Cannot read the application file nope.json: ENOENT: no such file, open 'nope.json'"],
    ['an input that is not JSON', {}, { 'app.json': '{"age": ' }, EXPLAINER_URI, 1, 'The application file app.json is not JSON'],
    ['an input that is a list', {}, { 'app.json': [APPLICATION] }, EXPLAINER_URI, 2, 'Refused: app.json must hold one application as a JSON object.'],
    ['a package without an explainer', {}, { 'app.json': APPLICATION }, null, 2, `Refused: ${ARN} has no explainer (CustomerMetadataProperties 'explainer:uri'); pass --explainer <file>.`],
    ['an application without a feature', {}, { 'app.json': { ...APPLICATION, debt_to_income: undefined } }, EXPLAINER_URI, 2, "Refused: The application's debt_to_income must be a finite number (got undefined)"],
    ['a package ARN that is none', { packageArn: 'credit-risk-retail' }, {}, EXPLAINER_URI, 1, 'Not a versioned model package ARN'],
  ])('refuses %s', async (_, args, files, uri, exitCode, message) => {
    const { deps } = depsOf(files, { [EXPLAINER_URI]: EXPLAINER }, uri);

    const result = await explain(deps, { packageArn: ARN, input: 'app.json', ...args });

    expect(result.exitCode).toBe(exitCode);
    expect(result.output).toContain(message);
  });

  it('refuses an explainer that is not one, and one that takes the protected attribute as input', async () => {
    const leaky = { ...EXPLAINER, schema: { ...schema, categorical: { ...schema.categorical, age_group: ['18-25', '26-40'] } } };
    const files = { 'app.json': APPLICATION, 'broken.json': { kind: 'tree' }, 'leaky.json': { ...leaky, features: encodedColumns(leaky.schema), coefficients: encodedColumns(leaky.schema).map(() => 0), baseline: encodedColumns(leaky.schema).map(() => 0) } };
    const { deps } = depsOf(files);

    const broken = await explain(deps, { packageArn: ARN, input: 'app.json', explainer: 'broken.json' });
    const leaking = await explain(deps, { packageArn: ARN, input: 'app.json', explainer: 'leaky.json' });

    expect(broken).toMatchObject({ exitCode: 2, output: expect.stringMatching(/^Refused: broken.json is not an explainer: kind: /) });
    expect(leaking).toEqual({ exitCode: 2, output: 'Refused: The explainer takes the protected attribute age_group as input: no reason may rest on it' });
  });
});

describe('Function: makeExplainerLocator', () => {
  const sagemaker = mockClient(SageMakerClient);
  afterEach(() => {
    try {
      for (const command of recordedCallsOf(sagemaker)) expectValidAwsInput('sagemaker', command);
    } finally {
      sagemaker.reset();
    }
  });

  it('reads explainer:uri from the package\'s customer metadata, MetadataOnly', async () => {
    sagemaker.on(DescribeModelPackageCommand).resolves({ CustomerMetadataProperties: { 'explainer:uri': EXPLAINER_URI, 'lineage:commit': 'abc' } } as never);

    await expect(makeExplainerLocator(new SageMakerClient({}))(ARN)).resolves.toBe(EXPLAINER_URI);
    expect(sagemaker).toHaveReceivedCommandWith(DescribeModelPackageCommand, { ModelPackageName: ARN, IncludedData: 'MetadataOnly' });
  });

  it('is undefined for a package without one', async () => {
    sagemaker.on(DescribeModelPackageCommand).resolves({} as never);

    await expect(makeExplainerLocator(new SageMakerClient({}))(ARN)).resolves.toBeUndefined();
  });
});
