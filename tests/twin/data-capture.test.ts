/**
 * SageMaker Data Capture in the twin: an endpoint whose config has a DataCaptureConfig records every answered
 * InvokeEndpoint (input, output, content types, InferenceId, an eventId) and writes the JSON lines to
 * `<DestinationS3Uri>/<EndpointName>/<VariantName>/yyyy/mm/dd/hh/<id>.jsonl` once a virtual minute. Production
 * configs get one from the control plane's policy (100 % by default); staging's get none.
 */
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointConfigCommand,
  UpdateEndpointCommand,
  type DataCaptureConfig,
} from '@aws-sdk/client-sagemaker';
import { sageMakerClient } from '../../shared/aws/clients';
import { applicationsToCsv, decodeRow, type Application } from '../../shared/contracts/model-input';
import { captureInputRows } from '../../shared/judge/drift';
import { endpointName } from '../../shared/lifecycle/names';
import { parsePolicy } from '../../shared/lifecycle/policy';
import { pushCommit } from '../../scripts/twin/ml/push';
import { MODEL_SCHEMA } from '../../scripts/twin/ml/schema';
import { syntheticApplications } from '../../scripts/twin/ml/synthetic';
import { s3PipelineStorage } from '../../scripts/twin/services/sagemaker-pipeline-storage';
import { startTraffic } from '../../scripts/twin/traffic';
import { createTwinWorld, TWIN_REGION, type TwinWorld } from '../../scripts/twin/world';

const GROUP = 'credit-risk-retail';
const COMMIT = '4be1c0d3a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4';
const MINUTE = 60_000;
const JANE = 'arn:aws:sts::111122223333:assumed-role/RiskOfficer/jane.doe@example.com';
const ROLE = 'arn:aws:iam::111122223333:role/creditai-mlops-sagemaker-execution';

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

/** A seeded stream of applicants that remembers every one it handed out, in order. */
function recordingApplicants(seed: number) {
  const sent: Application[] = [];
  let batch: Application[] = [];
  let next = seed;
  return {
    sent,
    take(count: number): Application[] {
      while (batch.length < count) batch = [...batch, ...syntheticApplications({ rows: 200, seed: next++ })];
      const taken = batch.splice(0, count);
      sent.push(...taken);
      return taken;
    },
  };
}

interface CaptureLine {
  captureData: { endpointInput: { observedContentType: string; mode: string; data: string; encoding: string }; endpointOutput?: { observedContentType: string; data: string; encoding: string } };
  eventMetadata: { eventId: string; inferenceId?: string; inferenceTime: string };
  eventVersion: string;
}

/** Every capture file under `prefix` with its parsed lines. */
async function captureFiles(world: TwinWorld, prefix: string): Promise<{ uri: string; lines: string[] }[]> {
  const uris = await s3PipelineStorage(world.s3).list(world.twin.context, prefix);
  return uris.map((uri) => ({ uri, lines: text(world.s3.read(uri)).split('\n').filter((l) => l !== '') }));
}

/** A model (a plain container: the runtime's stand-in scorer) and an endpoint config with `capture`. */
async function deployDirectly(world: TwinWorld, config: string, capture: DataCaptureConfig | undefined, instances = 1): Promise<void> {
  const sagemaker = sageMakerClient({ region: TWIN_REGION });
  world.twin.install(sagemaker);
  await sagemaker.send(new CreateModelCommand({ ModelName: `${config}-model`, PrimaryContainer: { Image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/scorer:1' }, ExecutionRoleArn: ROLE }));
  await sagemaker.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: config,
      ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: `${config}-model`, InstanceType: 'ml.m5.large', InitialInstanceCount: instances }],
      ...(capture ? { DataCaptureConfig: capture } : {}),
    }),
  );
}

const captureTo = (destination: string, percent: number): DataCaptureConfig => ({
  EnableCapture: true,
  InitialSamplingPercentage: percent,
  DestinationS3Uri: destination,
  CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
  CaptureContentTypeHeader: { CsvContentTypes: ['text/csv'] },
});

/** `count` requests of one application each, with InferenceIds `<tag>-<n>`. */
async function invoke(world: TwinWorld, endpoint: string, count: number, tag: string): Promise<void> {
  const applications = syntheticApplications({ rows: count, seed: 77 });
  for (let i = 0; i < count; i++) {
    const body = applicationsToCsv(MODEL_SCHEMA, [applications[i]!]);
    await world.scoring.operations.InvokeEndpoint!({ EndpointName: endpoint, ContentType: 'text/csv', Body: body, InferenceId: `${tag}-${i}` }, world.twin.context);
  }
}

describe('Twin: endpoints capture their traffic to S3', () => {
  let world: TwinWorld;
  afterEach(() => world?.stop());

  it('captures production traffic of a Live version at the keys SageMaker uses, decoding to the applications sent; staging captures nothing', async () => {
    // Prepare: v1 trained, staged and approved; it goes Live through the real functions
    world = await createTwinWorld();
    await world.manage(GROUP);
    const destination = world.runtime.environment.DATA_CAPTURE_S3_URI!;
    await pushCommit(world, { commit: COMMIT, groups: [GROUP] });
    await world.advance(45 * MINUTE);
    const staging = endpointName(GROUP, 'staging', parsePolicy({}));
    const stagingTraffic = startTraffic(world, { endpointName: staging, schema: MODEL_SCHEMA, applications: recordingApplicants(5).take });
    await world.advance(5 * MINUTE);
    stagingTraffic.stop();
    world.sagemaker.updateAsHuman(world.twin.context, JANE, {
      ModelPackageArn: `arn:aws:sagemaker:${TWIN_REGION}:111122223333:model-package/${GROUP}/1`,
      ModelApprovalStatus: 'Approved',
      ApprovalDescription: 'Validation pack VP-301 reviewed',
    });
    await world.advance(15 * MINUTE);
    expect((await world.state.load(GROUP)).versions.map((v) => v.phase)).toEqual(['Live']);
    const production = endpointName(GROUP, 'production', parsePolicy({}));

    // Assess: the control plane's production config captures everything, to the functions' capture URI
    expect(world.scoring.invocations().filter((i) => i.endpointName === production)).toEqual([]);
    const configName = world.sagemaker.route(production)!.endpointConfigName;
    const described = await sageMakerClient({ region: TWIN_REGION }).send(new DescribeEndpointConfigCommand({ EndpointConfigName: configName }));
    expect(described.DataCaptureConfig).toMatchObject({ EnableCapture: true, InitialSamplingPercentage: 100, DestinationS3Uri: destination });
    // The staging traffic answered (60 requests) and left nothing in the capture bucket.
    expect(stagingTraffic.stats).toMatchObject({ requests: 60, refused: 0, unavailable: 0 });
    expect(await captureFiles(world, `${destination}/${staging}/`)).toEqual([]);

    // Act: 10 minutes of applicants, 12 requests of 5 a minute; the last minute's lines are written at the next tick
    const applicants = recordingApplicants(900);
    const traffic = startTraffic(world, { endpointName: production, schema: MODEL_SCHEMA, applications: applicants.take });
    await world.advance(10 * MINUTE);
    traffic.stop();
    await world.advance(MINUTE);

    // Assess: one file per virtual minute that had requests (the minute's tick writes them), under
    // <destination>/<endpoint>/<variant>/yyyy/mm/dd/hh/
    const invocations = world.scoring.invocations().filter((i) => i.endpointName === production);
    const variant = invocations[0]!.variantName;
    const files = await captureFiles(world, `${destination}/${production}/`);
    expect(files.length).toBe(new Set(invocations.map((i) => Math.floor(i.atMs / MINUTE))).size);
    const start = new Date(world.twin.clock.nowMs() - 11 * MINUTE);
    const hour = `${start.toISOString().slice(0, 10).replaceAll('-', '/')}/${start.toISOString().slice(11, 13)}`;
    for (const file of files) expect(file.uri).toMatch(new RegExp(`^${destination}/${production}/${variant}/${hour}/capture-\\d{6}\\.jsonl$`));
    const lines = files.flatMap((f) => f.lines);
    expect(lines).toHaveLength(120);

    // Assess: each line is SageMaker's record: CSV input and output, the request's InferenceId, a unique eventId
    const records = lines.map((l) => JSON.parse(l) as CaptureLine);
    expect(records.map((r) => r.eventMetadata.inferenceId)).toEqual(Array.from({ length: 120 }, (_, i) => `req-${String(i + 1).padStart(8, '0')}`));
    expect(new Set(records.map((r) => r.eventMetadata.eventId)).size).toBe(120);
    expect(records[0]!.captureData.endpointInput).toMatchObject({ observedContentType: 'text/csv', mode: 'INPUT', encoding: 'CSV' });
    expect(records[0]!.captureData.endpointOutput).toMatchObject({ observedContentType: 'text/csv; charset=utf-8', encoding: 'CSV' });
    expect(records.every((r) => r.eventVersion === '0' && Date.parse(r.eventMetadata.inferenceTime) >= start.getTime())).toBe(true);

    // Assess: the captured inputs decode to the applications sent, in order; the outputs are the scores answered
    const decoded = lines.flatMap((l) => captureInputRows(l)!.map((cells) => decodeRow(MODEL_SCHEMA, cells)));
    const features = [...MODEL_SCHEMA.numeric, ...Object.keys(MODEL_SCHEMA.categorical)];
    expect(decoded).toEqual(applicants.sent.map((a) => Object.fromEntries(features.map((f) => [f, a[f]]))));
    const scores = records.flatMap((r) => r.captureData.endpointOutput!.data.split('\n').map(Number));
    expect(scores).toEqual(traffic.decisions().map((d) => d.score));
    expect(scores.every((s) => s > 0 && s < 1)).toBe(true);
  });

  it('samples per InitialSamplingPercentage, and an endpoint without DataCaptureConfig writes nothing', async () => {
    // Prepare: one endpoint capturing half its requests, one capturing none
    world = await createTwinWorld();
    const destination = 's3://capture-test-bucket/capture';
    world.s3.createBucket('capture-test-bucket');
    const sagemaker = sageMakerClient({ region: TWIN_REGION });
    await deployDirectly(world, 'half-config', captureTo(destination, 50));
    await deployDirectly(world, 'none-config', undefined);
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: 'half', EndpointConfigName: 'half-config' }));
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: 'none', EndpointConfigName: 'none-config' }));
    await world.advance(7 * MINUTE);

    // Act
    await invoke(world, 'half', 40, 'half');
    await invoke(world, 'none', 40, 'none');
    await world.advance(MINUTE);

    // Assess: half of 40, every other request, deterministically; nothing at all for the other endpoint
    const files = await captureFiles(world, `${destination}/`);
    expect(files.map((f) => f.uri.split('/').slice(4, 6).join('/'))).toEqual(['half/AllTraffic']);
    const ids = files.flatMap((f) => f.lines).map((l) => (JSON.parse(l) as CaptureLine).eventMetadata.inferenceId);
    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => `half-${2 * i + 1}`));
    expect(world.scoring.invocations().filter((i) => i.captured).length).toBe(20);
  });

  it('captures each request with the config of the fleet that served it during a blue/green canary', async () => {
    // Prepare: blue captures to one place; green (two instances, a one-instance canary) to another
    world = await createTwinWorld();
    world.s3.createBucket('capture-test-bucket');
    const sagemaker = sageMakerClient({ region: TWIN_REGION });
    await deployDirectly(world, 'blue', captureTo('s3://capture-test-bucket/blue', 100));
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: 'ep', EndpointConfigName: 'blue' }));
    await world.advance(7 * MINUTE);
    await deployDirectly(world, 'green', captureTo('s3://capture-test-bucket/green', 100), 2);
    await sagemaker.send(
      new UpdateEndpointCommand({
        EndpointName: 'ep',
        EndpointConfigName: 'green',
        DeploymentConfig: { BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'CANARY', CanarySize: { Type: 'INSTANCE_COUNT', Value: 1 }, WaitIntervalInSeconds: 600 } } },
      }),
    );
    await world.advance(7 * MINUTE);

    // Act: during the canary's bake
    await invoke(world, 'ep', 20, 'canary');
    await world.advance(MINUTE);

    // Assess: each request is in the files of the config that answered it, and the canary took half
    const servedBy = new Map(world.scoring.invocations().map((i) => [i.inferenceId, i.endpointConfigName]));
    const blue = (await captureFiles(world, 's3://capture-test-bucket/blue/')).flatMap((f) => f.lines).map((l) => (JSON.parse(l) as CaptureLine).eventMetadata.inferenceId);
    const green = (await captureFiles(world, 's3://capture-test-bucket/green/')).flatMap((f) => f.lines).map((l) => (JSON.parse(l) as CaptureLine).eventMetadata.inferenceId);
    expect(blue.length + green.length).toBe(20);
    expect(green.length).toBe(10);
    expect(blue.every((id) => servedBy.get(id) === 'blue')).toBe(true);
    expect(green.every((id) => servedBy.get(id) === 'green')).toBe(true);
  });
});
