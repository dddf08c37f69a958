/**
 * End to end on the twin: the real functions (their handlers, wiring and adapters, real SDK clients) carry a
 * registered version to production. SageMaker events, the reconcile queue, the smoke test against the staging
 * endpoint and the human approval with its CloudTrail record all go through the twin's services.
 */
import { dynamoDbDocumentClient, s3Client } from '../../shared/aws/clients';
import { makeDynamoDbStateStore } from '../../shared/aws/dynamodb-state-store';
import { makeS3Ledger } from '../../shared/aws/s3-ledger-store';
import { auditVerify } from '../../scripts/mlops/commands/audit-verify';
import { createTwinWorld, TWIN_REGION, type TwinWorld } from '../../scripts/twin/world';

const GROUP = 'credit-risk-retail';
const MINUTE = 60_000;
const JANE = 'arn:aws:sts::111122223333:assumed-role/RiskOfficer/jane.doe@example.com';
const REPORTS = {
  evaluation: `s3://creditai-artifacts/${GROUP}/v1/evaluation.json`,
  bias: `s3://creditai-artifacts/${GROUP}/v1/bias/analysis.json`,
  explainability: `s3://creditai-artifacts/${GROUP}/v1/explainability/analysis.json`,
};

async function seedReports(world: TwinWorld, auc: number): Promise<void> {
  const ctx = world.twin.context;
  await world.s3.putJson(ctx, REPORTS.evaluation, { binary_classification_metrics: { auc: { value: auc }, ks: { value: 0.44 } } });
  await world.s3.putJson(ctx, REPORTS.bias, {
    post_training_bias_metrics: {
      facets: { age_group: [{ value_or_threshold: '18-25', metrics: [{ name: 'DI', value: 0.91 }, { name: 'DPPL', value: 0.04 }] }] },
    },
  });
  await world.s3.putJson(ctx, REPORTS.explainability, {
    explanations: { kernel_shap: { label0: { global_shap_values: { annual_income: 0.2, debt_to_income: 0.15 } } } },
  });
}

const lineage = {
  trainingDataUri: `s3://creditai-data/applications/${GROUP}/2026-11.csv`,
  trainingDataHash: 'sha256:7c1e9a0b5d3f2e4c6a8b0d2f4e6a8c0b1d3f5e7a9c1b3d5f7e9a1c3b5d7f9e1a',
  commitId: '4be1c0d3a9f8',
  hyperparameters: { max_depth: '5', eta: '0.1' },
};

async function phaseOf(version: number): Promise<string | undefined> {
  const store = makeDynamoDbStateStore(dynamoDbDocumentClient({ region: TWIN_REGION }), { tableName: process.env.STATE_TABLE! });
  return (await store.load(GROUP)).versions.find((v) => v.version === version)?.phase;
}

describe('Twin: a registered version reaches production through the real functions', () => {
  let world: TwinWorld;
  afterEach(() => world?.stop());

  it('gates, deploys staging, smoke-tests, waits for a human, and goes Live', async () => {
    // Prepare
    world = await createTwinWorld();
    await world.manage(GROUP);
    await seedReports(world, 0.874);

    // Act: the training pipeline registers version 1
    const arn = world.sagemaker.registerPackage(world.twin.context, GROUP, { reports: REPORTS, lineage });
    await world.runtime.drain();

    // Assess: gated and on its way to staging
    expect(await phaseOf(1)).toBe('DeployingStaging');

    // Act: staging comes up (virtual minutes), the smoke test runs against it
    await world.advance(10 * MINUTE);

    // Assess
    expect(await phaseOf(1)).toBe('AwaitingApproval');
    expect(world.scoring.invocations().length).toBeGreaterThan(0);

    // Act: a risk officer approves in the console
    world.sagemaker.updateAsHuman(world.twin.context, JANE, { ModelPackageArn: arn, ModelApprovalStatus: 'Approved', ApprovalDescription: 'Validation pack VP-118 reviewed' });
    await world.runtime.drain();
    expect(await phaseOf(1)).toBe('Canary');
    await world.advance(10 * MINUTE);

    // Assess: Live, with the approver of record from CloudTrail, and every call valid against the API models
    expect(await phaseOf(1)).toBe('Live');
    const status = await makeDynamoDbStateStore(dynamoDbDocumentClient({ region: TWIN_REGION }), { tableName: process.env.STATE_TABLE! }).load(GROUP);
    expect(status.versions[0]!.approval?.actor).toMatchObject({ arn: JANE, kind: 'human' });
    const failed = world.runtime.invocations.filter((i) => i.outcome === 'error');
    expect(failed).toEqual([]);
    const published = world.eventBridge.log.map((b) => b.event).filter((e) => e.source === 'creditai.mlops').map((e) => e['detail-type']);
    expect(published).toEqual(expect.arrayContaining(['ModelGated', 'DeploymentStarted', 'StagingVerified', 'ModelApproved', 'ModelPromoted']));
    // The approvers were asked, on their own topic.
    expect(world.sns.published.filter((m) => m.topicArn.endsWith(':creditai-mlops-approvals')).map((m) => [m.attributes.detailType, m.subject])).toEqual(
      expect.arrayContaining([['ApprovalRequested', `[approval needed] ${GROUP} v1 for production`]]),
    );
  });

  it('rejects a version below the AUC policy without creating any endpoint', async () => {
    // Prepare
    world = await createTwinWorld();
    await world.manage(GROUP);
    await seedReports(world, 0.82);

    // Act
    const arn = world.sagemaker.registerPackage(world.twin.context, GROUP, { reports: REPORTS, lineage });
    await world.runtime.drain();

    // Assess
    expect(await phaseOf(1)).toBe('Rejected');
    expect(world.twin.calls.filter((c) => c.operation === 'CreateEndpoint')).toEqual([]);
    const described = world.twin.calls.filter((c) => c.operation === 'UpdateModelPackage').map((c) => c.input);
    expect(described).toEqual([expect.objectContaining({ ModelPackageArn: arn, ModelApprovalStatus: 'Rejected' })]);
  });
});

describe('Twin: a Live version is rolled back on a latency alarm', () => {
  let world: TwinWorld;
  afterEach(() => world?.stop());

  async function release(version: number): Promise<void> {
    await seedReports(world, 0.88);
    const arn = world.sagemaker.registerPackage(world.twin.context, GROUP, { reports: REPORTS, lineage });
    await world.runtime.drain();
    await world.advance(10 * MINUTE);
    world.sagemaker.updateAsHuman(world.twin.context, JANE, { ModelPackageArn: arn, ModelApprovalStatus: 'Approved', ApprovalDescription: `VP-${version}` });
    await world.runtime.drain();
    await world.advance(30 * MINUTE);
  }

  it('redeploys the last-known-good at once and keeps the ledger whole', async () => {
    // Prepare: v1 Live, then v2 through a canary
    world = await createTwinWorld();
    await world.manage(GROUP);
    const alarm = `creditai-${GROUP}-prod-p99-latency`;
    world.cloudwatch.defineAlarm(world.twin.context, {
      name: alarm,
      metric: { namespace: 'AWS/SageMaker', name: 'ModelLatency', dimensions: { EndpointName: `${GROUP}-prod`, VariantName: 'AllTraffic' }, stat: 'p99', period: 60 },
      threshold: 200_000,
    });
    await release(1);
    await release(2);
    expect(await phaseOf(2)).toBe('Live');

    // Act: the alarm fires while v2 is Live
    await world.advance(20 * MINUTE);
    world.cloudwatch.setAlarmState(world.twin.context, alarm, 'ALARM', 'Threshold Crossed: 3 datapoints were greater than the threshold (200000.0).');
    await world.runtime.drain();
    await world.advance(15 * MINUTE);

    // Assess
    expect(await phaseOf(2)).toBe('RolledBack');
    expect(await phaseOf(1)).toBe('Live');
    expect(world.runtime.invocations.filter((i) => i.outcome === 'error')).toEqual([]);
    const verdict = await auditVerify({ ledger: makeS3Ledger(s3Client({ region: TWIN_REGION }), { bucket: world.runtime.environment.AUDIT_BUCKET! }) }, {});
    expect(verdict.exitCode).toBe(0);
    expect(verdict.output).toContain('chain whole');
  });
});
