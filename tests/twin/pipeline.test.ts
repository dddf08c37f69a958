/**
 * The training pipeline in the twin: a push starts creditai-training through the SageMaker API; its steps run on
 * virtual time, train a real model on the uploaded data and register it with reports computed from that data, and
 * the control plane (the real functions, in the twin) gates the version. A denied s3:GetObject fails Prep with a
 * reason the control plane diagnoses; nothing registers.
 */
import { createHash } from 'node:crypto';
import {
  DescribeModelPackageCommand,
  DescribePipelineExecutionCommand,
  ListModelPackagesCommand,
  ListPipelineExecutionStepsCommand,
  ListPipelineParametersForExecutionCommand,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
import { sageMakerClient, sageMakerRuntimeClient } from '../../shared/aws/clients';
import { LINEAGE_KEYS } from '../../shared/aws/sagemaker-registry';
import { EXPLAINER_METADATA_KEY, explainerSchema } from '../../shared/contracts/explainer';
import { applicationsToCsv } from '../../shared/contracts/model-input';
import { clarifyAnalysisSchema, evaluationReportSchema } from '../../shared/contracts/reports';
import { diagnosePipelineFailure } from '../../shared/lifecycle/pipeline-failure';
import { runTraining } from '../../scripts/twin/ml/training-run';
import { parseModelArtifact, scoreRows } from '../../scripts/twin/ml/logistic';
import { pushCommit } from '../../scripts/twin/ml/push';
import { MODEL_SCHEMA } from '../../scripts/twin/ml/schema';
import { syntheticApplications } from '../../scripts/twin/ml/synthetic';
import { createTwinWorld, TWIN_REGION, type TwinWorld } from '../../scripts/twin/world';

const GROUP = 'credit-risk-retail';
const COMMIT = '4be1c0d3a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4';
const MINUTE = 60_000;
const DATA_URI = `s3://creditai-data/applications/${GROUP}/applications.csv`;

const sagemaker = () => sageMakerClient({ region: TWIN_REGION });

async function stepsOf(executionArn: string) {
  const out = await sagemaker().send(new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: executionArn, SortOrder: 'Ascending', MaxResults: 100 }));
  return out.PipelineExecutionSteps ?? [];
}

async function statusOf(executionArn: string) {
  return sagemaker().send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: executionArn }));
}

async function versionsOf(group: string) {
  const out = await sagemaker().send(new ListModelPackagesCommand({ ModelPackageGroupName: group, ModelPackageType: 'Versioned' }));
  return out.ModelPackageSummaryList ?? [];
}

function domainEvents(world: TwinWorld, detailType: string) {
  return world.eventBridge.log.map((b) => b.event).filter((e) => e.source === 'creditai.mlops' && e['detail-type'] === detailType);
}

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

describe('Twin: the training pipeline trains, reports and registers', () => {
  let world: TwinWorld;
  afterEach(() => world?.stop());

  it('runs Prep → Register on virtual time, registers real reports and lineage, and the control plane gates the version', async () => {
    // Prepare
    world = await createTwinWorld();
    await world.manage(GROUP);

    // Act: the build of a push starts one execution for the group
    const { [GROUP]: executionArn } = await pushCommit(world, { commit: COMMIT, groups: [GROUP] });
    await world.advance(2 * MINUTE);

    // Assess: running, Prep under way
    expect((await statusOf(executionArn!)).PipelineExecutionStatus).toBe('Executing');
    expect((await stepsOf(executionArn!)).map((s) => [s.StepName, s.StepStatus])).toEqual([['Prep', 'Executing']]);

    // Act: the rest of the run
    await world.advance(40 * MINUTE);

    // Assess: every step succeeded in order, with the durations of the definition's kinds of job
    const described = await statusOf(executionArn!);
    expect(described.PipelineExecutionStatus).toBe('Succeeded');
    const steps = await stepsOf(executionArn!);
    expect(steps.map((s) => [s.StepName, s.StepStatus])).toEqual(
      ['Prep', 'Train', 'ClarifyModel', 'Evaluate', 'Clarify', 'Gate', 'Register'].map((n) => [n, 'Succeeded']),
    );
    const minutes = (name: string) => {
      const s = steps.find((x) => x.StepName === name)!;
      return (s.EndTime!.getTime() - s.StartTime!.getTime()) / MINUTE;
    };
    expect(minutes('Train')).toBe(10);
    expect(minutes('Prep')).toBe(4);
    expect(steps.find((s) => s.StepName === 'Gate')!.Metadata).toEqual({ Condition: { Outcome: 'True' } });
    expect(steps.find((s) => s.StepName === 'Prep')!.Metadata?.ProcessingJob?.Arn).toMatch(/:processing-job\/pipelines-[a-z0-9]+-prep-[0-9a-f]{10}$/);
    const parameters = await sagemaker().send(new ListPipelineParametersForExecutionCommand({ PipelineExecutionArn: executionArn, MaxResults: 100 }));
    expect(Object.fromEntries((parameters.PipelineParameters ?? []).map((p) => [p.Name, p.Value]))).toMatchObject({
      ModelPackageGroupName: GROUP,
      CommitId: COMMIT,
      InputDataUri: `s3://creditai-data/applications/${GROUP}/`,
      MinAuc: '0.85',
    });

    // Assess: the registered version's reports are the figures of a model trained on the uploaded data
    const packageArn = steps.find((s) => s.StepName === 'Register')!.Metadata!.RegisterModel!.Arn!;
    const pkg = await sagemaker().send(new DescribeModelPackageCommand({ ModelPackageName: packageArn }));
    const uploaded = world.s3.read(DATA_URI)!;
    const expected = runTraining(text(uploaded));
    const evaluation = evaluationReportSchema.parse(JSON.parse(text(world.s3.read(pkg.ModelMetrics!.ModelQuality!.Statistics!.S3Uri!))));
    expect(evaluation.binary_classification_metrics.auc.value).toBe(expected.evaluation.binary_classification_metrics.auc.value);
    expect(evaluation.binary_classification_metrics.auc.value).toBeGreaterThan(0.85);
    const analysis = clarifyAnalysisSchema.parse(JSON.parse(text(world.s3.read(pkg.ModelMetrics!.Bias!.Report!.S3Uri!))));
    expect(analysis.post_training_bias_metrics!.facets.age_group).toEqual(clarifyAnalysisSchema.parse(expected.analysis).post_training_bias_metrics!.facets.age_group);
    expect(pkg.ModelMetrics!.Explainability!.Report!.S3Uri).toBe(pkg.ModelMetrics!.Bias!.Report!.S3Uri);
    const explainer = explainerSchema.parse(JSON.parse(text(world.s3.read(pkg.CustomerMetadataProperties![EXPLAINER_METADATA_KEY]!))));
    expect(explainer.coefficients).toEqual(expected.model.coefficients);

    // Assess: lineage — data URI and the SHA-256 of the object's bytes, commit, hyperparameters, the execution
    const metadata = pkg.CustomerMetadataProperties!;
    expect(metadata[LINEAGE_KEYS.trainingDataUri]).toBe(`s3://creditai-data/applications/${GROUP}/`);
    expect(metadata[LINEAGE_KEYS.trainingDataHash]).toBe(`sha256:${createHash('sha256').update(uploaded).digest('hex')}`);
    expect(metadata[LINEAGE_KEYS.commitId]).toBe(COMMIT);
    expect(metadata[`${LINEAGE_KEYS.hyperparameterPrefix}solver`]).toBe('newton-irls');
    expect(pkg.MetadataProperties).toEqual({ GeneratedBy: executionArn, CommitId: COMMIT });
    expect(pkg.CreatedBy?.IamIdentity?.Arn).toContain(':assumed-role/creditai-mlops-training-exec/');

    // Assess: the control plane gated it with those figures and sent it to staging
    const gated = domainEvents(world, 'ModelGated');
    expect(gated).toHaveLength(1);
    expect(gated[0]!.detail).toMatchObject({ passed: true });
    expect(JSON.stringify(gated[0]!.detail)).toContain(String(Math.round(expected.evaluation.binary_classification_metrics.auc.value * 10000) / 10000));

    // Act: staging comes up and is smoke-tested; then score one application on it ourselves
    await world.advance(10 * MINUTE);
    const invoked = world.scoring.invocations();
    expect(invoked.length).toBeGreaterThan(0);
    expect((await world.state.load(GROUP)).versions.map((v) => [v.version, v.phase])).toEqual([[1, 'AwaitingApproval']]);
    const application = syntheticApplications({ seed: 501, rows: 1 })[0]!;
    const answer = await sageMakerRuntimeClient({ region: TWIN_REGION }).send(
      new InvokeEndpointCommand({ EndpointName: invoked[0]!.endpointName, ContentType: 'text/csv', Accept: 'text/csv', Body: applicationsToCsv(MODEL_SCHEMA, [application]) }),
    );

    // Assess: the endpoint scores with the registered model artefact
    const model = parseModelArtifact(world.s3.read(pkg.InferenceSpecification!.Containers![0]!.ModelDataUrl!)!)!;
    const row = applicationsToCsv(MODEL_SCHEMA, [application]).split(',').map(Number);
    expect(Number(text(answer.Body))).toBeCloseTo(scoreRows(model, [row])[0]!, 12);
    // A row the model cannot align is refused by its container.
    await expect(
      sageMakerRuntimeClient({ region: TWIN_REGION }).send(new InvokeEndpointCommand({ EndpointName: invoked[0]!.endpointName, ContentType: 'text/csv', Body: '1,2,3' })),
    ).rejects.toMatchObject({ name: 'ModelError', message: expect.stringContaining(`expected: ${MODEL_SCHEMA.features.length}, got 3`) });
  });

  it('gives the same execution for a retried start with the same ClientRequestToken', async () => {
    // Prepare
    world = await createTwinWorld();
    await world.manage(GROUP);
    const first = await pushCommit(world, { commit: COMMIT, groups: [GROUP] });

    // Act: the build is retried (same commit, same group, same token); then a start with another token
    const again = await pushCommit(world, { commit: COMMIT, groups: [GROUP] });
    const other = await sagemaker().send(
      new StartPipelineExecutionCommand({
        PipelineName: 'creditai-training',
        ClientRequestToken: 'b'.repeat(40),
        PipelineParameters: [
          { Name: 'ModelPackageGroupName', Value: GROUP },
          { Name: 'CommitId', Value: COMMIT },
          { Name: 'InputDataUri', Value: `s3://creditai-data/applications/${GROUP}/` },
        ],
      }),
    );
    await world.advance(45 * MINUTE);

    // Assess
    expect(again).toEqual(first);
    expect(other.PipelineExecutionArn).not.toBe(first[GROUP]);
    const started = world.twin.events.filter((e) => e['detail-type'] === 'SageMaker Model Building Pipeline Execution Status Change' && e.detail.currentPipelineExecutionStatus === 'Executing');
    expect(started.map((e) => e.detail.pipelineExecutionArn)).toEqual([first[GROUP], other.PipelineExecutionArn]);
    expect(await versionsOf(GROUP)).toHaveLength(2);
  });

  it('refuses a start SageMaker would refuse: an unknown pipeline, an undeclared parameter, a missing required one', async () => {
    world = await createTwinWorld();
    const start = (input: Partial<ConstructorParameters<typeof StartPipelineExecutionCommand>[0]>) =>
      sagemaker().send(new StartPipelineExecutionCommand({ PipelineName: 'creditai-training', ClientRequestToken: createHash('sha256').update(JSON.stringify(input)).digest('hex'), ...input }));

    await expect(start({ PipelineName: 'other-pipeline' })).rejects.toMatchObject({ name: 'ResourceNotFound' });
    await expect(start({ PipelineParameters: [{ Name: 'LearningRate', Value: '0.1' }] })).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('LearningRate') });
    await expect(start({ PipelineParameters: [{ Name: 'CommitId', Value: COMMIT }] })).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('ModelPackageGroupName') });
    // The API model's own limits apply first: a token shorter than 32 characters.
    await expect(sagemaker().send(new StartPipelineExecutionCommand({ PipelineName: 'creditai-training', ClientRequestToken: 'short' }))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('Twin: the training pipeline fails as SageMaker reports it', () => {
  let world: TwinWorld;
  afterEach(() => world?.stop());

  it('fails Prep when the execution role lacks s3:GetObject on the data, and the control plane diagnoses it', async () => {
    // Prepare: the role loses read access to the group's training data
    world = await createTwinWorld();
    await world.manage(GROUP);
    world.sagemaker.denyPipelineRole({ action: 's3:GetObject', prefixUri: `s3://creditai-data/applications/${GROUP}/` });

    // Act
    const { [GROUP]: executionArn } = await pushCommit(world, { commit: COMMIT, groups: [GROUP] });
    await world.advance(45 * MINUTE);

    // Assess: Prep failed with S3's AccessDenied text, nothing after it ran, nothing registered
    expect((await statusOf(executionArn!)).PipelineExecutionStatus).toBe('Failed');
    const steps = await stepsOf(executionArn!);
    expect(steps.map((s) => [s.StepName, s.StepStatus])).toEqual([['Prep', 'Failed']]);
    const diagnosis = diagnosePipelineFailure(steps[0]!.FailureReason!);
    expect(diagnosis).toMatchObject({ category: 'missing-permission', action: 's3:GetObject', resource: DATA_URI });
    expect(await versionsOf(GROUP)).toEqual([]);
    const failed = domainEvents(world, 'PipelineFailed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.detail).toMatchObject({ modelGroup: GROUP, failedStep: 'Prep', diagnosis: { category: 'missing-permission', resource: DATA_URI } });
  });

  it('stops at the Gate with the Fail step naming the figures when the commit trains a weak model', async () => {
    // Prepare: this commit's code leaves out the two strongest risk drivers
    world = await createTwinWorld();
    await world.manage(GROUP);

    // Act
    const { [GROUP]: executionArn } = await pushCommit(world, { commit: COMMIT, groups: [{ group: GROUP, training: { dropFeatures: ['delinquencies', 'debt_to_income'] } }] });
    await world.advance(45 * MINUTE);

    // Assess
    const steps = await stepsOf(executionArn!);
    expect(steps.map((s) => [s.StepName, s.StepStatus])).toEqual([
      ...['Prep', 'Train', 'ClarifyModel', 'Evaluate', 'Clarify', 'Gate'].map((n) => [n, 'Succeeded']),
      ['Fail', 'Failed'],
    ]);
    expect(steps.find((s) => s.StepName === 'Gate')!.Metadata).toEqual({ Condition: { Outcome: 'False' } });
    const reason = steps.at(-1)!.FailureReason!;
    const evaluation = JSON.parse(text(world.s3.read(`s3://creditai-artifacts/pipeline/executions/${executionArn!.split('/').pop()}/Evaluate/evaluation/evaluation.json`)));
    expect(reason).toContain(`AUC ${evaluation.binary_classification_metrics.auc.value} (minimum 0.85)`);
    expect(diagnosePipelineFailure(reason).category).toBe('condition-not-met');
    expect((await statusOf(executionArn!)).PipelineExecutionStatus).toBe('Failed');
    expect(await versionsOf(GROUP)).toEqual([]);
  });
});
