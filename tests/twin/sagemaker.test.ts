/**
 * The SageMaker and SageMaker Runtime twins: the model registry, endpoints with deployment guardrails, pipeline
 * executions and InvokeEndpoint. Operations are called directly with a hand-made ServiceContext (a small virtual
 * clock and an `emit` that collects events); every emitted event is parsed with its contract. The last tests run
 * the real adapters through real SDK clients and `createTwin`.
 */
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { isAlreadyExists, isInProgress, isNotFound } from '../../shared/aws/aws-errors';
import { makeSageMakerEndpoints, deploymentConfigOf } from '../../shared/aws/sagemaker-endpoints';
import { makeSageMakerPipelines } from '../../shared/aws/sagemaker-pipelines';
import { LINEAGE_KEYS, makeSageMakerRegistry } from '../../shared/aws/sagemaker-registry';
import { makeSageMakerScorer } from '../../shared/aws/sagemaker-scorer';
import {
  approverFromTrailEvent,
  endpointDeploymentStateChangeEventSchema,
  endpointStateChangeEventSchema,
  modelPackageStateChangeEventSchema,
  pipelineExecutionStatusChangeEventSchema,
  updateModelPackageTrailEventSchema,
} from '../../shared/contracts/aws-events';
import { createTwin } from '../../scripts/twin/core/twin';
import type { ServiceContext, TwinEvent } from '../../scripts/twin/core/types';
import { createCloudWatchTwin } from '../../scripts/twin/services/cloudwatch';
import { createSageMakerTwin, type SageMakerTwin } from '../../scripts/twin/services/sagemaker';
import { createSageMakerRuntimeTwin } from '../../scripts/twin/services/sagemaker-runtime';
import { fakeServiceContext } from '../support/twin-context';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const START = '2026-11-28T09:00:00.000Z';
const CONTROL_PLANE = `arn:aws:sts::${ACCOUNT}:assumed-role/creditai-reconcile/creditai-reconcile`;
const APPROVER = `arn:aws:sts::${ACCOUNT}:assumed-role/RiskOfficer/jane.doe@example.com`;
const GROUP = 'credit-risk-retail';
const MINUTE = 60_000;

const fakeContext = () => fakeServiceContext(START, ACCOUNT, REGION);

function ofType(events: TwinEvent[], detailType: string): TwinEvent[] {
  return events.filter((e) => e['detail-type'] === detailType);
}

/** Calls an operation of a twin directly. */
async function call(twin: { operations: Record<string, (input: Record<string, unknown>, ctx: ServiceContext) => Promise<Record<string, unknown>>> }, ctx: ServiceContext, operation: string, input: object): Promise<any> {
  const op = twin.operations[operation];
  if (!op) throw new Error(`no operation ${operation}`);
  return op(input as Record<string, unknown>, ctx);
}

/** The error an operation rejects with. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; $metadata?: { httpStatusCode: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string; $metadata?: { httpStatusCode: number } };
  }
  throw new Error('expected the call to fail');
}

function setup() {
  const { ctx, events } = fakeContext();
  const cloudwatch = createCloudWatchTwin();
  const sagemaker = createSageMakerTwin({ callerArn: CONTROL_PLANE, alarmState: cloudwatch.alarmState });
  const runtime = createSageMakerRuntimeTwin({ endpoints: sagemaker });
  return { ctx, events, cloudwatch, sagemaker, runtime };
}

const REPORTS = {
  evaluation: `s3://creditai-artifacts/${GROUP}/run1/evaluation/evaluation.json`,
  bias: `s3://creditai-artifacts/${GROUP}/run1/clarify-bias/analysis.json`,
  explainability: `s3://creditai-artifacts/${GROUP}/run1/clarify-explainability/analysis.json`,
};

describe('SageMaker twin: model registry', () => {
  it('registers versions numbered per group from 1, with reports, lineage and a registration event', async () => {
    // Prepare
    const { ctx, events, sagemaker } = setup();
    // Act
    const first = sagemaker.registerPackage(ctx, GROUP, {
      reports: REPORTS,
      lineage: { trainingDataUri: 's3://creditai-data/train/', trainingDataHash: 'sha256:abc', commitId: '9f1c2ab', pipelineExecutionArn: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:pipeline/p/execution/x1`, hyperparameters: { eta: '0.2' } },
    });
    const second = sagemaker.registerPackage(ctx, GROUP);
    const other = sagemaker.registerPackage(ctx, 'other-group');
    const described = await call(sagemaker, ctx, 'DescribeModelPackage', { ModelPackageName: first, IncludedData: 'MetadataOnly' });
    // Assess
    expect([first, second, other]).toEqual([
      `arn:aws:sagemaker:${REGION}:${ACCOUNT}:model-package/${GROUP}/1`,
      `arn:aws:sagemaker:${REGION}:${ACCOUNT}:model-package/${GROUP}/2`,
      `arn:aws:sagemaker:${REGION}:${ACCOUNT}:model-package/other-group/1`,
    ]);
    expect(described).toMatchObject({
      ModelPackageName: GROUP,
      ModelPackageGroupName: GROUP,
      ModelPackageVersion: 1,
      ModelApprovalStatus: 'PendingManualApproval',
      ModelPackageStatus: 'Completed',
      ModelMetrics: { ModelQuality: { Statistics: { S3Uri: REPORTS.evaluation } }, Bias: { Report: { S3Uri: REPORTS.bias } }, Explainability: { Report: { S3Uri: REPORTS.explainability } } },
      CustomerMetadataProperties: { [LINEAGE_KEYS.trainingDataUri]: 's3://creditai-data/train/', [LINEAGE_KEYS.commitId]: '9f1c2ab', 'hyperparameter:eta': '0.2' },
      CreatedBy: { IamIdentity: { Arn: CONTROL_PLANE } },
    });
    expect(described.CreationTime).toBeInstanceOf(Date);
    expect(described.LastModifiedBy).toBeUndefined();
    const registered = ofType(events, 'SageMaker Model Package State Change').map((e) => modelPackageStateChangeEventSchema.parse(e));
    expect(registered).toHaveLength(3);
    expect(registered[0]!.detail).toMatchObject({ ModelPackageVersion: 1, ModelApprovalStatus: 'PendingManualApproval', CreationTime: '2026-11-28T09:00:00.000Z' });
    expect(registered[0]!.detail.UpdatedModelPackageFields).toBeUndefined();
    expect(registered[0]!.resources).toEqual([first]);
  });

  it('CreateModelPackage: refuses a missing group and both names, and honours the ClientToken', async () => {
    // Prepare
    const { ctx, events, sagemaker } = setup();
    sagemaker.createGroup(ctx, GROUP);
    // Act
    const missing = await failure(call(sagemaker, ctx, 'CreateModelPackage', { ModelPackageGroupName: 'nope' }));
    const both = await failure(call(sagemaker, ctx, 'CreateModelPackage', { ModelPackageGroupName: GROUP, ModelPackageName: 'x' }));
    const once = await call(sagemaker, ctx, 'CreateModelPackage', { ModelPackageGroupName: GROUP, ClientToken: 'token-1', ModelApprovalStatus: 'Approved' });
    const again = await call(sagemaker, ctx, 'CreateModelPackage', { ModelPackageGroupName: GROUP, ClientToken: 'token-1', ModelApprovalStatus: 'Approved' });
    // Assess
    expect(missing).toMatchObject({ name: 'ValidationException', message: 'Model Package Group nope does not exist.' });
    expect(both).toMatchObject({ name: 'ValidationException', message: 'Both ModelPackageName and ModelPackageGroupName are provided in the input. Cannot determine which one to use.' });
    expect(again.ModelPackageArn).toBe(once.ModelPackageArn);
    expect(ofType(events, 'SageMaker Model Package State Change')).toHaveLength(1);
  });

  it('ListModelPackages: Unversioned by default, filters, sorts and pages as asked', async () => {
    // Prepare
    const { ctx, sagemaker } = setup();
    for (let i = 0; i < 3; i++) {
      sagemaker.registerPackage(ctx, GROUP, { approvalStatus: i === 1 ? 'Approved' : 'PendingManualApproval' });
      await ctx.clock.advance(MINUTE);
    }
    // Act
    const byDefault = await call(sagemaker, ctx, 'ListModelPackages', { ModelPackageGroupName: GROUP });
    const page1 = await call(sagemaker, ctx, 'ListModelPackages', { ModelPackageGroupName: GROUP, ModelPackageType: 'Versioned', SortOrder: 'Descending', MaxResults: 2 });
    const page2 = await call(sagemaker, ctx, 'ListModelPackages', { ModelPackageGroupName: GROUP, ModelPackageType: 'Versioned', SortOrder: 'Descending', MaxResults: 2, NextToken: page1.NextToken });
    const approved = await call(sagemaker, ctx, 'ListModelPackages', { ModelPackageGroupName: GROUP, ModelPackageType: 'Versioned', ModelApprovalStatus: 'Approved' });
    // Assess
    expect(byDefault.ModelPackageSummaryList).toEqual([]);
    expect(page1.ModelPackageSummaryList.map((s: any) => s.ModelPackageVersion)).toEqual([3, 2]);
    expect(page2.ModelPackageSummaryList.map((s: any) => s.ModelPackageVersion)).toEqual([1]);
    expect(page2.NextToken).toBeUndefined();
    expect(approved.ModelPackageSummaryList).toEqual([expect.objectContaining({ ModelPackageVersion: 2, ModelApprovalStatus: 'Approved', CreationTime: expect.any(Date) })]);
  });

  it('UpdateModelPackage through the SDK records the control plane as LastModifiedBy, emits the change and its CloudTrail record, once per ClientToken', async () => {
    // Prepare
    const { ctx, events, sagemaker } = setup();
    const arn = sagemaker.registerPackage(ctx, GROUP, { reports: REPORTS });
    await ctx.clock.advance(MINUTE);
    // Act
    const update = { ModelPackageArn: arn, ModelApprovalStatus: 'Rejected', ApprovalDescription: 'AUC 0.82 is below the minimum 0.85', ClientToken: 'evt-1' };
    await call(sagemaker, ctx, 'UpdateModelPackage', update);
    await call(sagemaker, ctx, 'UpdateModelPackage', update);
    const described = await call(sagemaker, ctx, 'DescribeModelPackage', { ModelPackageName: arn });
    // Assess
    expect(described).toMatchObject({
      ModelApprovalStatus: 'Rejected',
      ApprovalDescription: 'AUC 0.82 is below the minimum 0.85',
      LastModifiedBy: { IamIdentity: { Arn: CONTROL_PLANE } },
      LastModifiedTime: new Date(Date.parse(START) + MINUTE),
    });
    const changes = ofType(events, 'SageMaker Model Package State Change').map((e) => modelPackageStateChangeEventSchema.parse(e));
    expect(changes).toHaveLength(2);
    expect(changes[1]!.detail).toMatchObject({ ModelApprovalStatus: 'Rejected', UpdatedModelPackageFields: ['ModelApprovalStatus', 'ApprovalDescription'], LastModifiedTime: '2026-11-28T09:01:00.000Z' });
    // CloudTrail records both calls; the retry changed nothing, so only one state change was sent.
    const trail = ofType(events, 'AWS API Call via CloudTrail').map((e) => updateModelPackageTrailEventSchema.parse(e));
    expect(trail).toHaveLength(2);
    expect(trail[0]!.detail.requestParameters).toMatchObject({ modelPackageArn: arn, modelApprovalStatus: 'Rejected', approvalDescription: 'AUC 0.82 is below the minimum 0.85' });
    expect(approverFromTrailEvent(trail[0]!)).toMatchObject({ type: 'AssumedRole', arn: CONTROL_PLANE });
  });

  it('updateAsHuman: the approver becomes LastModifiedBy; metadata and lifecycle updates name what changed', async () => {
    // Prepare
    const { ctx, events, sagemaker } = setup();
    const arn = sagemaker.registerPackage(ctx, GROUP, { customerMetadata: { 'creditai:gate-result': 'pending', 'creditai:temp': 'x' } });
    // Act
    sagemaker.updateAsHuman(ctx, APPROVER, { ModelPackageArn: arn, ModelApprovalStatus: 'Approved', ApprovalDescription: 'MRM-2026-114' });
    await call(sagemaker, ctx, 'UpdateModelPackage', { ModelPackageArn: arn, CustomerMetadataProperties: { 'creditai:gate-result': 'passed' }, CustomerMetadataPropertiesToRemove: ['creditai:temp'] });
    await call(sagemaker, ctx, 'UpdateModelPackage', { ModelPackageArn: arn, ModelLifeCycle: { Stage: 'Staging', StageStatus: 'Approved', StageDescription: 'Smoke test passed' } });
    const described = await call(sagemaker, ctx, 'DescribeModelPackage', { ModelPackageName: arn });
    // Assess
    const changes = ofType(events, 'SageMaker Model Package State Change').map((e) => modelPackageStateChangeEventSchema.parse(e).detail);
    expect(changes.slice(1).map((d) => d.UpdatedModelPackageFields)).toEqual([['ModelApprovalStatus', 'ApprovalDescription'], ['CustomerMetadataProperties'], ['ModelLifeCycle']]);
    expect(changes[2]!.CustomerMetadataProperties).toEqual({ 'creditai:gate-result': 'passed' });
    expect(changes[3]!.ModelLifeCycle).toEqual({ Stage: 'Staging', StageStatus: 'Approved', StageDescription: 'Smoke test passed' });
    const trail = ofType(events, 'AWS API Call via CloudTrail').map((e) => updateModelPackageTrailEventSchema.parse(e));
    expect(approverFromTrailEvent(trail[0]!)).toMatchObject({ type: 'AssumedRole', arn: APPROVER });
    expect(trail[0]!.detail.userIdentity.sessionContext?.sessionIssuer?.arn).toBe(`arn:aws:iam::${ACCOUNT}:role/RiskOfficer`);
    // The last update was the control plane's: LastModifiedBy follows the latest change, not the approval.
    expect(described.LastModifiedBy.IamIdentity.Arn).toBe(CONTROL_PLANE);
    expect(described.ModelApprovalStatus).toBe('Approved');
  });

  it('refuses unknown packages as SageMaker does, and records the failed update in CloudTrail', async () => {
    // Prepare
    const { ctx, events, sagemaker } = setup();
    const arn = `arn:aws:sagemaker:${REGION}:${ACCOUNT}:model-package/${GROUP}/9`;
    // Act
    const described = await failure(call(sagemaker, ctx, 'DescribeModelPackage', { ModelPackageName: arn }));
    const updated = await failure(call(sagemaker, ctx, 'UpdateModelPackage', { ModelPackageArn: arn, ModelApprovalStatus: 'Approved' }));
    // Assess
    expect(described).toMatchObject({ name: 'ValidationException', message: `ModelPackage ${arn} does not exist.` });
    expect(updated).toMatchObject({ name: 'ValidationException', message: `ModelPackage ${arn} does not exist.` });
    const trail = updateModelPackageTrailEventSchema.parse(ofType(events, 'AWS API Call via CloudTrail')[0]);
    expect(trail.detail).toMatchObject({ errorCode: 'ValidationException', responseElements: null });
  });
});

/** A model, a config and (optionally) an endpoint for `version`. */
async function deployable(sagemaker: SageMakerTwin, ctx: ServiceContext, version: string, instances = 2) {
  const pkg = sagemaker.registerPackage(ctx, GROUP);
  await call(sagemaker, ctx, 'CreateModel', { ModelName: `${GROUP}-${version}`, PrimaryContainer: { ModelPackageName: pkg }, ExecutionRoleArn: `arn:aws:iam::${ACCOUNT}:role/sm-exec` });
  await call(sagemaker, ctx, 'CreateEndpointConfig', {
    EndpointConfigName: `${GROUP}-${version}-production`,
    ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: `${GROUP}-${version}`, InstanceType: 'ml.m5.large', InitialInstanceCount: instances }],
  });
  return pkg;
}

const TAGS = [
  { Key: 'creditai:model-group', Value: GROUP },
  { Key: 'creditai:environment', Value: 'prod' },
];

describe('SageMaker twin: models and endpoint configs', () => {
  it('creates and describes them, refusing duplicates and missing ones with SageMaker\'s messages', async () => {
    // Prepare
    const { ctx, sagemaker } = setup();
    const pkg = await deployable(sagemaker, ctx, 'v1');
    // Act
    const model = await call(sagemaker, ctx, 'DescribeModel', { ModelName: `${GROUP}-V1` });
    const config = await call(sagemaker, ctx, 'DescribeEndpointConfig', { EndpointConfigName: `${GROUP}-v1-production` });
    const duplicateModel = await failure(call(sagemaker, ctx, 'CreateModel', { ModelName: `${GROUP}-v1` }));
    const duplicateConfig = await failure(call(sagemaker, ctx, 'CreateEndpointConfig', { EndpointConfigName: `${GROUP}-v1-production`, ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: `${GROUP}-v1` }] }));
    const missingModel = await failure(call(sagemaker, ctx, 'DescribeModel', { ModelName: 'Nope' }));
    const missingConfig = await failure(call(sagemaker, ctx, 'DescribeEndpointConfig', { EndpointConfigName: 'nope' }));
    const configWithoutModel = await failure(call(sagemaker, ctx, 'CreateEndpointConfig', { EndpointConfigName: 'c2', ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'ghost' }] }));
    // Assess
    expect(model).toMatchObject({ ModelName: `${GROUP}-v1`, ModelArn: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:model/${GROUP}-v1`, PrimaryContainer: { ModelPackageName: pkg } });
    expect(config.ProductionVariants).toEqual([{ VariantName: 'AllTraffic', ModelName: `${GROUP}-v1`, InstanceType: 'ml.m5.large', InitialInstanceCount: 2, InitialVariantWeight: 1 }]);
    expect(duplicateModel.message).toBe(`Cannot create already existing model "arn:aws:sagemaker:${REGION}:${ACCOUNT}:model/${GROUP}-v1".`);
    expect(duplicateConfig.message).toBe(`Cannot create already existing endpoint configuration "arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint-config/${GROUP}-v1-production".`);
    expect([duplicateModel, duplicateConfig].every(isAlreadyExists)).toBe(true);
    expect(missingModel.message).toBe(`Could not find model "arn:aws:sagemaker:${REGION}:${ACCOUNT}:model/nope".`);
    expect(missingConfig.message).toBe(`Could not find endpoint configuration "arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint-config/nope".`);
    expect([missingModel, missingConfig, configWithoutModel].every(isNotFound)).toBe(true);
  });
});

describe('SageMaker twin: endpoints', () => {
  it('creates an endpoint: Creating, then InService after the provisioning time, with events in AWS casing', async () => {
    // Prepare
    const { ctx, events, sagemaker } = setup();
    await deployable(sagemaker, ctx, 'v1');
    // Act
    const created = await call(sagemaker, ctx, 'CreateEndpoint', { EndpointName: 'Credit-Risk-Prod', EndpointConfigName: `${GROUP}-v1-production`, Tags: TAGS });
    const creating = await call(sagemaker, ctx, 'DescribeEndpoint', { EndpointName: 'credit-risk-prod' });
    const busy = await failure(call(sagemaker, ctx, 'UpdateEndpoint', { EndpointName: 'credit-risk-prod', EndpointConfigName: `${GROUP}-v1-production` }));
    const duplicate = await failure(call(sagemaker, ctx, 'CreateEndpoint', { EndpointName: 'CREDIT-RISK-PROD', EndpointConfigName: `${GROUP}-v1-production` }));
    await ctx.clock.advance(6 * MINUTE - 1);
    const stillCreating = (await call(sagemaker, ctx, 'DescribeEndpoint', { EndpointName: 'Credit-Risk-Prod' })).EndpointStatus;
    await ctx.clock.advance(1);
    const inService = await call(sagemaker, ctx, 'DescribeEndpoint', { EndpointName: 'Credit-Risk-Prod' });
    // Assess
    expect(created.EndpointArn).toBe(`arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/credit-risk-prod`);
    expect(creating).toMatchObject({ EndpointName: 'Credit-Risk-Prod', EndpointStatus: 'Creating', EndpointConfigName: `${GROUP}-v1-production` });
    expect(busy).toMatchObject({ name: 'ValidationException', message: `Cannot update in-progress endpoint "${created.EndpointArn}".` });
    expect(isInProgress(busy)).toBe(true);
    expect(isAlreadyExists(duplicate)).toBe(true);
    expect(stillCreating).toBe('Creating');
    expect(inService).toMatchObject({
      EndpointStatus: 'InService',
      EndpointConfigName: `${GROUP}-v1-production`,
      ProductionVariants: [{ VariantName: 'AllTraffic', CurrentWeight: 1, DesiredWeight: 1, CurrentInstanceCount: 2, DesiredInstanceCount: 2 }],
    });
    expect(inService.PendingDeploymentSummary).toBeUndefined();
    const states = ofType(events, 'SageMaker Endpoint State Change').map((e) => endpointStateChangeEventSchema.parse(e));
    expect(states.map((e) => e.detail.EndpointStatus)).toEqual(['CREATING', 'IN_SERVICE']);
    expect(states[1]!.detail).toMatchObject({
      EndpointName: 'Credit-Risk-Prod',
      EndpointArn: created.EndpointArn,
      ProductionVariants: [{ DesiredWeight: 1, DesiredInstanceCount: 2 }],
      CreationTime: Date.parse(START),
      LastModifiedTime: Date.parse(START) + 6 * MINUTE,
      Tags: { 'creditai:model-group': GROUP, 'creditai:environment': 'prod' },
    });
  });

  /** An InService endpoint on v1, and v2's config ready. */
  async function liveOnV1() {
    const env = setup();
    const { ctx, sagemaker, cloudwatch } = env;
    await deployable(sagemaker, ctx, 'v1');
    const v2 = await deployable(sagemaker, ctx, 'v2');
    await call(sagemaker, ctx, 'CreateEndpoint', { EndpointName: `${GROUP}-prod`, EndpointConfigName: `${GROUP}-v1-production`, Tags: TAGS });
    await ctx.clock.advance(6 * MINUTE);
    cloudwatch.defineAlarm(ctx, { name: 'p99-latency', metric: { namespace: 'AWS/SageMaker', name: 'ModelLatency', stat: 'p99', period: 60 }, threshold: 200_000 });
    cloudwatch.setAlarmState(ctx, 'p99-latency', 'OK', 'Threshold Crossed: no datapoint above the threshold');
    env.events.length = 0;
    return { ...env, v2 };
  }

  const CANARY = deploymentConfigOf({ strategy: 'canary', trafficPercent: 10, bakeSeconds: 600, terminationWaitSeconds: 300, maxExecutionSeconds: 3600, rollbackAlarms: ['p99-latency'] });

  it('runs a canary that completes: Updating with the pending config, deployment events while baking, then the new config', async () => {
    // Prepare
    const { ctx, events, sagemaker, runtime } = await liveOnV1();
    const name = `${GROUP}-prod`;
    // Act
    await call(sagemaker, ctx, 'UpdateEndpoint', { EndpointName: name, EndpointConfigName: `${GROUP}-v2-production`, DeploymentConfig: CANARY });
    const updating = await call(sagemaker, ctx, 'DescribeEndpoint', { EndpointName: name });
    await ctx.clock.advance(6 * MINUTE + 30_000);
    const baking = await call(sagemaker, ctx, 'DescribeEndpoint', { EndpointName: name });
    const served = [];
    for (let i = 0; i < 10; i++) served.push((await call(runtime, ctx, 'InvokeEndpoint', { EndpointName: name, ContentType: 'text/csv', Body: '1,2,3' })).InvokedProductionVariant);
    await ctx.clock.advance(600_000 + 30_000 + 300_000);
    const done = await call(sagemaker, ctx, 'DescribeEndpoint', { EndpointName: name });
    // Assess
    expect(updating).toMatchObject({ EndpointStatus: 'Updating', EndpointConfigName: `${GROUP}-v1-production`, PendingDeploymentSummary: { EndpointConfigName: `${GROUP}-v2-production` } });
    expect(baking.PendingDeploymentSummary.ProductionVariants[0]).toMatchObject({
      CurrentWeight: 0.5,
      DesiredWeight: 1,
      CurrentInstanceCount: 1,
      DesiredInstanceCount: 2,
      VariantStatus: [expect.objectContaining({ Status: 'Baking' })],
    });
    // One canary instance of two takes half of the traffic, split deterministically.
    const configs = runtime.invocations().map((r) => r.endpointConfigName);
    expect(configs.filter((c) => c === `${GROUP}-v2-production`)).toHaveLength(5);
    expect(served.every((v) => v === 'AllTraffic')).toBe(true);
    expect(done).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: `${GROUP}-v2-production`, LastDeploymentConfig: CANARY });
    expect(done.FailureReason).toBeUndefined();
    const deployments = ofType(events, 'SageMaker Endpoint Deployment State Change').map((e) => endpointDeploymentStateChangeEventSchema.parse(e).detail);
    expect(deployments.map((d) => d.PendingDeploymentSummary?.ProductionVariants?.[0]?.VariantStatus?.[0]?.Status)).toEqual(['ActivatingTraffic', 'Baking', 'ActivatingTraffic', 'Baking']);
    expect(deployments[1]).toMatchObject({ EndpointStatus: 'UPDATING', EndpointConfigName: `${GROUP}-v1-production`, PendingDeploymentSummary: { EndpointConfigName: `${GROUP}-v2-production` } });
    expect(deployments[1]!.PendingDeploymentSummary!.ProductionVariants![0]!.VariantStatus![0]!.StatusMessage).toBe('Baking for 600 seconds (WaitIntervalInSeconds) with traffic enabled on canary capacity of 1 instance(s).');
    const states = ofType(events, 'SageMaker Endpoint State Change').map((e) => endpointStateChangeEventSchema.parse(e).detail);
    expect(states.map((d) => [d.EndpointStatus, d.EndpointConfigName])).toEqual([
      ['UPDATING', `${GROUP}-v1-production`],
      ['IN_SERVICE', `${GROUP}-v2-production`],
    ]);
  });

  it('reverts a canary whose rollback alarm is in ALARM at the end of the bake: InService on the old config, with a FailureReason', async () => {
    // Prepare
    const { ctx, events, sagemaker, cloudwatch } = await liveOnV1();
    const name = `${GROUP}-prod`;
    await call(sagemaker, ctx, 'UpdateEndpoint', { EndpointName: name, EndpointConfigName: `${GROUP}-v2-production`, DeploymentConfig: CANARY });
    await ctx.clock.advance(6 * MINUTE + 30_000 + 120_000);
    // Act
    cloudwatch.setAlarmState(ctx, 'p99-latency', 'ALARM', 'Threshold Crossed: 3 out of the last 3 datapoints were greater than the threshold (200000.0)');
    await ctx.clock.advance(480_000);
    const reverted = await call(sagemaker, ctx, 'DescribeEndpoint', { EndpointName: name });
    // Assess
    expect(reverted).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: `${GROUP}-v1-production` });
    expect(reverted.FailureReason).toContain('p99-latency');
    expect(reverted.PendingDeploymentSummary).toBeUndefined();
    const states = ofType(events, 'SageMaker Endpoint State Change').map((e) => endpointStateChangeEventSchema.parse(e).detail);
    expect(states.at(-1)).toMatchObject({ EndpointStatus: 'IN_SERVICE', EndpointConfigName: `${GROUP}-v1-production` });
    // Nothing more happens on the clock: the reverted rollout's timers are spent.
    await ctx.clock.advance(60 * MINUTE);
    expect((await call(sagemaker, ctx, 'DescribeEndpoint', { EndpointName: name })).EndpointConfigName).toBe(`${GROUP}-v1-production`);
  });

  it('switches all at once after the provisioning time', async () => {
    // Prepare
    const { ctx, sagemaker } = await liveOnV1();
    const name = `${GROUP}-prod`;
    // Act
    await call(sagemaker, ctx, 'UpdateEndpoint', { EndpointName: name, EndpointConfigName: `${GROUP}-v2-production`, DeploymentConfig: deploymentConfigOf({ strategy: 'all-at-once' }) });
    await ctx.clock.advance(6 * MINUTE);
    const shifting = await call(sagemaker, ctx, 'DescribeEndpoint', { EndpointName: name });
    await ctx.clock.advance(30_000);
    const done = await call(sagemaker, ctx, 'DescribeEndpoint', { EndpointName: name });
    // Assess
    expect(shifting.PendingDeploymentSummary.ProductionVariants[0].VariantStatus[0].Status).toBe('ActivatingTraffic');
    expect(done).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: `${GROUP}-v2-production` });
  });

  it('ends a create Failed when the model cannot come up; only DeleteEndpoint is accepted, then the endpoint is gone', async () => {
    // Prepare
    const { ctx, events, sagemaker } = setup();
    const pkg = await deployable(sagemaker, ctx, 'v1');
    sagemaker.setDeploymentFailure(pkg);
    const name = `${GROUP}-staging`;
    await call(sagemaker, ctx, 'CreateEndpoint', { EndpointName: name, EndpointConfigName: `${GROUP}-v1-production` });
    await ctx.clock.advance(6 * MINUTE);
    // Act
    const failed = await call(sagemaker, ctx, 'DescribeEndpoint', { EndpointName: name });
    const update = await failure(call(sagemaker, ctx, 'UpdateEndpoint', { EndpointName: name, EndpointConfigName: `${GROUP}-v1-production` }));
    await call(sagemaker, ctx, 'DeleteEndpoint', { EndpointName: name });
    const deleting = await call(sagemaker, ctx, 'DescribeEndpoint', { EndpointName: name });
    await ctx.clock.advance(MINUTE);
    const gone = await failure(call(sagemaker, ctx, 'DescribeEndpoint', { EndpointName: name }));
    const deleteAgain = await failure(call(sagemaker, ctx, 'DeleteEndpoint', { EndpointName: name }));
    // Assess
    expect(failed).toMatchObject({ EndpointStatus: 'Failed', FailureReason: expect.stringContaining('did not pass the ping health check') });
    expect(update.name).toBe('ValidationException');
    expect(deleting.EndpointStatus).toBe('Deleting');
    expect(gone).toMatchObject({ name: 'ValidationException', message: `Could not find endpoint "arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/${name}".` });
    expect(isNotFound(deleteAgain)).toBe(true);
    const states = ofType(events, 'SageMaker Endpoint State Change').map((e) => endpointStateChangeEventSchema.parse(e).detail.EndpointStatus);
    expect(states).toEqual(['CREATING', 'FAILED', 'DELETING']);
  });

  it('changes the weights and capacities of the variants an endpoint serves, one update at a time, known variants only', async () => {
    // Prepare
    const { ctx, sagemaker, events } = await liveOnV1();
    const endpoint = `${GROUP}-prod`;
    // Act
    const unknown = await failure(call(sagemaker, ctx, 'UpdateEndpointWeightsAndCapacities', { EndpointName: endpoint, DesiredWeightsAndCapacities: [{ VariantName: 'Challenger', DesiredWeight: 1 }] }));
    await call(sagemaker, ctx, 'UpdateEndpointWeightsAndCapacities', { EndpointName: endpoint, DesiredWeightsAndCapacities: [{ VariantName: 'AllTraffic', DesiredWeight: 3, DesiredInstanceCount: 4 }] });
    const updating = await call(sagemaker, ctx, 'DescribeEndpoint', { EndpointName: endpoint });
    const again = await failure(call(sagemaker, ctx, 'UpdateEndpointWeightsAndCapacities', { EndpointName: endpoint, DesiredWeightsAndCapacities: [{ VariantName: 'AllTraffic', DesiredWeight: 1 }] }));
    await ctx.clock.advance(MINUTE);
    const done = await call(sagemaker, ctx, 'DescribeEndpoint', { EndpointName: endpoint });
    // Assess
    expect(unknown.name).toBe('ValidationException');
    expect(unknown.message).toContain('"[Challenger]" is/are not present');
    expect(updating.EndpointStatus).toBe('Updating');
    expect(again.message).toMatch(/^Cannot update in-progress endpoint/);
    expect(done.EndpointStatus).toBe('InService');
    expect(done.ProductionVariants[0]).toMatchObject({ VariantName: 'AllTraffic', CurrentWeight: 3, DesiredWeight: 3, CurrentInstanceCount: 4 });
    expect(ofType(events, 'SageMaker Endpoint State Change').slice(-2).map((e) => endpointStateChangeEventSchema.parse(e).detail.EndpointStatus)).toEqual(['UPDATING', 'IN_SERVICE']);
  });

  it('fails loudly for what it does not implement', async () => {
    // Prepare
    const { ctx, sagemaker } = await liveOnV1();
    // Act
    const linear = await failure(
      call(sagemaker, ctx, 'UpdateEndpoint', {
        EndpointName: `${GROUP}-prod`,
        EndpointConfigName: `${GROUP}-v2-production`,
        DeploymentConfig: { BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'LINEAR', WaitIntervalInSeconds: 60, LinearStepSize: { Type: 'CAPACITY_PERCENT', Value: 20 } } } },
      }),
    );
    // Assess
    expect(linear.message).toMatch(/LINEAR traffic routing is not implemented/);
    expect((await call(sagemaker, ctx, 'DescribeEndpoint', { EndpointName: `${GROUP}-prod` })).EndpointStatus).toBe('InService');
  });
});

describe('SageMaker twin: pipeline executions', () => {
  it('describes a recorded execution, its steps and parameters, and emits its status change', async () => {
    // Prepare
    const { ctx, events, sagemaker } = setup();
    const arn = sagemaker.recordExecution(ctx, {
      pipelineName: 'creditai-credit-risk-retail',
      executionId: 'f7h2n4p8r6cd',
      status: 'Failed',
      failureReason: 'Step Train failed: ClientError: AccessDenied on s3://creditai-data/train/',
      parameters: { ModelPackageGroupName: GROUP, TrainDataUri: 's3://creditai-data/train/', CommitId: '9f1c2ab' },
      steps: [
        { name: 'Preprocess', status: 'Succeeded' },
        { name: 'Train', status: 'Failed', failureReason: 'ClientError: AccessDenied' },
        { name: 'Evaluate', status: 'Stopped' },
      ],
    });
    // Act
    const described = await call(sagemaker, ctx, 'DescribePipelineExecution', { PipelineExecutionArn: arn });
    const page1 = await call(sagemaker, ctx, 'ListPipelineExecutionSteps', { PipelineExecutionArn: arn, SortOrder: 'Ascending', MaxResults: 2 });
    const page2 = await call(sagemaker, ctx, 'ListPipelineExecutionSteps', { PipelineExecutionArn: arn, SortOrder: 'Ascending', MaxResults: 2, NextToken: page1.NextToken });
    const params = await call(sagemaker, ctx, 'ListPipelineParametersForExecution', { PipelineExecutionArn: arn, MaxResults: 2 });
    const missing = await failure(call(sagemaker, ctx, 'DescribePipelineExecution', { PipelineExecutionArn: `${arn}x` }));
    // Assess
    expect(arn).toBe(`arn:aws:sagemaker:${REGION}:${ACCOUNT}:pipeline/creditai-credit-risk-retail/execution/f7h2n4p8r6cd`);
    expect(described).toMatchObject({ PipelineExecutionStatus: 'Failed', FailureReason: expect.stringContaining('AccessDenied'), PipelineArn: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:pipeline/creditai-credit-risk-retail` });
    expect([...page1.PipelineExecutionSteps, ...page2.PipelineExecutionSteps].map((s: any) => [s.StepName, s.StepStatus])).toEqual([
      ['Preprocess', 'Succeeded'],
      ['Train', 'Failed'],
      ['Evaluate', 'Stopped'],
    ]);
    expect(params.PipelineParameters).toHaveLength(2);
    expect(params.NextToken).toEqual(expect.any(String));
    expect(missing.name).toBe('ResourceNotFound');
    const event = pipelineExecutionStatusChangeEventSchema.parse(ofType(events, 'SageMaker Model Building Pipeline Execution Status Change')[0]);
    expect(event.detail).toMatchObject({ currentPipelineExecutionStatus: 'Failed', previousPipelineExecutionStatus: 'Executing', pipelineExecutionArn: arn });
    expect(event.resources).toEqual([described.PipelineArn, arn]);
  });
});

describe('SageMaker Runtime twin: InvokeEndpoint', () => {
  it('scores text/csv rows with the serving model, one score in (0, 1) per row, and records the latency', async () => {
    // Prepare
    const { ctx, sagemaker, runtime } = setup();
    const pkg = await deployable(sagemaker, ctx, 'v1', 1);
    runtime.setModelBehaviour(pkg, { latencyMs: 180 });
    await call(sagemaker, ctx, 'CreateEndpoint', { EndpointName: 'staging', EndpointConfigName: `${GROUP}-v1-production` });
    const early = await failure(call(runtime, ctx, 'InvokeEndpoint', { EndpointName: 'staging', ContentType: 'text/csv', Body: '1,2' }));
    await ctx.clock.advance(6 * MINUTE);
    // Act
    const out = await call(runtime, ctx, 'InvokeEndpoint', { EndpointName: 'staging', ContentType: 'text/csv', Accept: 'text/csv', Body: '452000,6.5,38,0.28,7,0,120000,0,1\n210000,1,23,0.47,2,1,60000,1,0' });
    const bad = await failure(call(runtime, ctx, 'InvokeEndpoint', { EndpointName: 'staging', ContentType: 'text/csv', Body: '452000,,38' }));
    // Assess
    expect(early).toMatchObject({ name: 'ValidationError', message: `Endpoint staging of account ${ACCOUNT} not found.` });
    const scores = new TextDecoder().decode(out.Body).split('\n').map(Number);
    expect(scores).toHaveLength(2);
    expect(scores.every((s) => s > 0 && s < 1)).toBe(true);
    expect(scores[0]).not.toBe(scores[1]);
    expect(out.InvokedProductionVariant).toBe('AllTraffic');
    expect(bad).toMatchObject({ name: 'ModelError', $metadata: { httpStatusCode: 424 } });
    expect(runtime.invocations()[0]).toMatchObject({ endpointName: 'staging', modelKey: pkg, rows: 2, latencyMs: 180 });
  });

  it('answers ModelError (424) for a model set to refuse requests', async () => {
    // Prepare
    const { ctx, sagemaker, runtime } = setup();
    const pkg = await deployable(sagemaker, ctx, 'v1', 1);
    runtime.setModelBehaviour(pkg, { modelError: 'feature_names mismatch' });
    await call(sagemaker, ctx, 'CreateEndpoint', { EndpointName: 'staging', EndpointConfigName: `${GROUP}-v1-production` });
    await ctx.clock.advance(6 * MINUTE);
    // Act
    const refused = await failure(call(runtime, ctx, 'InvokeEndpoint', { EndpointName: 'staging', ContentType: 'text/csv', Body: '1,2' }));
    // Assess
    expect(refused).toMatchObject({ name: 'ModelError', $metadata: { httpStatusCode: 424 } });
    expect(refused.message).toMatch(/^Received client error \(500\) from primary with message "feature_names mismatch"/);
  });
});

describe('SageMaker twins through the SDK (createTwin, real clients, the real adapters)', () => {
  it('serves the registry, endpoints, scorer and pipelines adapters', async () => {
    // Prepare
    const cloudwatch = createCloudWatchTwin();
    const sagemaker = createSageMakerTwin({ callerArn: CONTROL_PLANE, alarmState: cloudwatch.alarmState });
    const runtime = createSageMakerRuntimeTwin({ endpoints: sagemaker });
    const twin = createTwin({ start: START, account: ACCOUNT, region: REGION, services: [sagemaker, runtime, cloudwatch] });
    const noCredentials = async () => {
      throw new Error('the twin must not need credentials');
    };
    const client = new SageMakerClient({ region: REGION, credentials: noCredentials });
    const runtimeClient = new SageMakerRuntimeClient({ region: REGION, credentials: noCredentials });
    twin.install(client);
    twin.install(runtimeClient);
    const arn = sagemaker.registerPackage(twin.context, GROUP, { reports: REPORTS, lineage: { commitId: '9f1c2ab' } });
    sagemaker.updateAsHuman(twin.context, APPROVER, { ModelPackageArn: arn, ModelApprovalStatus: 'Approved', ApprovalDescription: 'ok' });
    const execution = sagemaker.recordExecution(twin.context, { pipelineName: 'creditai-credit-risk-retail', status: 'Failed', failureReason: 'boom', steps: [{ name: 'Train', status: 'Failed', failureReason: 'boom' }], parameters: { A: '1' } });
    const registry = makeSageMakerRegistry(client);
    const endpoints = makeSageMakerEndpoints(client, { executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/sm-exec`, dataCaptureS3Uri: 's3://creditai-capture/prod' });
    const spec = {
      endpointName: `${GROUP}-staging`,
      endpointConfigName: `${GROUP}-v1-staging-1a2b3c4d`,
      modelName: `${GROUP}-v1-1a2b3c4d`,
      modelPackageArn: arn,
      variantName: 'AllTraffic',
      instanceType: 'ml.m5.large',
      instanceCount: 1,
      dataCaptureSamplingPercent: 100,
      tags: { 'creditai:model-group': GROUP },
      rollout: { strategy: 'all-at-once' as const },
    };
    // Act
    const packages = await registry.listPackages(GROUP);
    const described = await registry.describePackage(arn);
    await endpoints.deploy(spec as never);
    await endpoints.deploy(spec as never);
    await twin.clock.advance(6 * MINUTE);
    const observed = await endpoints.describe(spec.endpointName);
    const scored = await makeSageMakerScorer(runtimeClient).score(spec.endpointName, '1,2,3\n4,5,6');
    await registry.setApproval({ modelPackageArn: arn, status: 'Rejected', reason: 'Smoke test failed', clientToken: '5d7f9b1d-3f5b-4d9f-9b3d-5f7b9d1f3a2f' });
    const diagnosed = await makeSageMakerPipelines(client).describeExecution(execution);
    // Assess
    expect(packages).toEqual([{ version: 1, arn, createdAt: START, approvalStatus: 'Approved' }]);
    expect(described).toMatchObject({ approvalStatus: 'Approved', lastModifiedBy: APPROVER, reportUris: { evaluation: REPORTS.evaluation, bias: REPORTS.bias }, lineage: { commitId: '9f1c2ab' } });
    expect(observed).toMatchObject({ name: spec.endpointName, status: 'InService', configName: spec.endpointConfigName });
    expect(scored.failed).toBe(false);
    expect(scored.body.split('\n')).toHaveLength(2);
    expect((await registry.describePackage(arn)).approvalStatus).toBe('Rejected');
    expect(diagnosed).toMatchObject({ status: 'Failed', failureReason: 'boom', failedStep: { name: 'Train', reason: 'boom' }, parameters: { A: '1' } });
    for (const event of twin.events.filter((e) => e['detail-type'] === 'SageMaker Endpoint State Change')) endpointStateChangeEventSchema.parse(event);
    expect(twin.calls.filter((c) => c.operation === 'CreateEndpoint')).toHaveLength(1);
  });
});
