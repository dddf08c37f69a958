/**
 * The whole twin, assembled: every service the control plane calls, the real functions deployed on a Lambda
 * runtime, and what a scenario needs to seed it (buckets, the state table, a managed group, a trained version).
 * Scenarios and the demo start here.
 */
import { dynamoDbDocumentClient } from '../../shared/aws/clients';
import { makeDynamoDbStateStore } from '../../shared/aws/dynamodb-state-store';
import { endpointName } from '../../shared/lifecycle/names';
import { parsePolicy } from '../../shared/lifecycle/policy';
import { buildBaselineStatistics } from '../../shared/judge/drift';
import type { StateStore } from '../../shared/reconcile/ports';
import { createTwin, type Twin } from './core/twin';
import { productionAlarms } from './production-alarms';
import { createLambdaRuntime, type LambdaRuntime } from './runtime/lambda-runtime';
import { createCloudWatchTwin, type CloudWatchTwin } from './services/cloudwatch';
import { makeDynamoDbTwin } from './services/dynamodb';
import { createEventBridgeService, loadRulesFromCatalogue, type EventBridgeOptions, type EventBridgeTwin } from './services/eventbridge';
import { createS3Twin, type S3Twin } from './services/s3';
import { createSageMakerTwin, type SageMakerTwin } from './services/sagemaker';
import { createSageMakerRuntimeTwin, type SageMakerRuntimeTwin } from './services/sagemaker-runtime';
import { createSnsService, type SnsTwin } from './services/sns';
import { createSqsService, type SqsTwin } from './services/sqs';
import { createPagerDutyTwin, type PagerDutyTwin } from './services/pagerduty';
import { createSsmService } from './services/ssm-secrets';
import { createEndpointMetricsReporter } from './services/sagemaker-metrics';
import { MODEL_SCHEMA } from './ml/schema';
import { join } from 'node:path';

export const TWIN_ACCOUNT = '111122223333';
export const TWIN_REGION = 'eu-west-1';
const EVENTS_DIR = join(__dirname, '..', '..', 'events');
const MINUTE_MS = 60_000;
const PAGERDUTY_KEY_PARAMETER = '/creditai/pagerduty/routing-key';

export interface TwinWorld {
  twin: Twin;
  runtime: LambdaRuntime;
  sagemaker: SageMakerTwin;
  scoring: SageMakerRuntimeTwin;
  s3: S3Twin;
  cloudwatch: CloudWatchTwin;
  eventBridge: EventBridgeTwin;
  sqs: SqsTwin;
  sns: SnsTwin;
  /** On-call's pager: the incidents the notify function opened and resolved. */
  pagerDuty: PagerDutyTwin;
  /** The control plane's lifecycle state (the DynamoDB table), for scenarios to read. */
  state: StateStore;
  /** Makes a model group managed: its policy item and its production endpoint's alarms, as Terraform creates them. */
  manage(group: string, overrides?: Record<string, unknown>): Promise<void>;
  /** Moves virtual time and delivers everything that follows from it. */
  advance(ms: number): Promise<void>;
  stop(): void;
}

export interface TwinWorldOptions {
  start?: string;
  logLevel?: string;
  /** How unreliable event delivery is: duplicates and out-of-order arrival, seeded (default: neither). */
  delivery?: Pick<EventBridgeOptions, 'duplicateRate' | 'deliveryJitterMs' | 'seed'>;
}

export async function createTwinWorld(options: TwinWorldOptions = {}): Promise<TwinWorld> {
  const cloudwatch = createCloudWatchTwin();
  const callerArn = `arn:aws:sts::${TWIN_ACCOUNT}:assumed-role/creditai-mlops-reconcile/creditai-mlops-reconcile`;
  const s3 = createS3Twin();
  // The training pipeline reads and writes S3 and, as prep.py does, stores the training split's baseline
  // statistics with each version; endpoints score with the model artefacts it registered and capture to S3.
  const sagemaker = createSageMakerTwin({
    callerArn,
    alarmState: cloudwatch.alarmState,
    s3,
    pipeline: { driftBaseline: (training) => ({ statistics: buildBaselineStatistics(training, MODEL_SCHEMA) }) },
  });
  const scoring = createSageMakerRuntimeTwin({
    endpoints: sagemaker,
    trainedModels: sagemaker.trainedModel,
    writeCapture: (ctx, uri, body) => s3.putObject(ctx, uri, body, 'application/jsonlines'),
  });
  const dynamodb = makeDynamoDbTwin();
  const eventBridge = createEventBridgeService({ rules: loadRulesFromCatalogue(EVENTS_DIR), ...options.delivery });
  const sqs = createSqsService();
  const sns = createSnsService();
  // The notify function reads the PagerDuty routing key from SSM and pages through the (twin's) Events API.
  const pagerDuty = createPagerDutyTwin();
  const ssm = createSsmService({ [PAGERDUTY_KEY_PARAMETER]: pagerDuty.routingKey });
  const twin = createTwin({
    start: options.start ?? '2026-11-28T09:00:00.000Z',
    account: TWIN_ACCOUNT,
    region: TWIN_REGION,
    services: [sagemaker, scoring, s3, dynamodb, cloudwatch, eventBridge, sqs, sns, ssm],
  });
  eventBridge.connect(twin);
  const runtime = createLambdaRuntime({ twin, eventBridge, sqs, sns, env: { POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'SILENT', PAGERDUTY_ROUTING_KEY_SECRET: PAGERDUTY_KEY_PARAMETER } });
  const uninstallPagerDuty = pagerDuty.install(() => twin.clock.iso());
  const env = runtime.environment;
  dynamodb.createTable(env.STATE_TABLE!, { hash: 'pk', range: 'sk' });
  for (const uri of [env.DATA_CAPTURE_S3_URI, env.DRIFT_REPORTS_S3_URI, env.OUTCOMES_S3_URI]) if (uri) s3.createBucket(uri.replace('s3://', '').split('/')[0]!);
  if (env.AUDIT_BUCKET) s3.createBucket(env.AUDIT_BUCKET, { objectLock: { mode: 'COMPLIANCE', days: 7 * 366 } });
  s3.createBucket('creditai-artifacts');
  const state = makeDynamoDbStateStore(dynamoDbDocumentClient({ region: TWIN_REGION }), { tableName: env.STATE_TABLE! });
  // Once a virtual minute, as the services do it: endpoints report their metrics and write their captured
  // requests, CloudWatch evaluates alarms.
  const endpointMetrics = createEndpointMetricsReporter(scoring, cloudwatch.metrics);
  let ticking = true;
  const tick = (atMs: number) =>
    twin.clock.at(atMs, async () => {
      if (!ticking) return;
      endpointMetrics.flush();
      cloudwatch.evaluateAlarms(twin.context);
      tick(atMs + MINUTE_MS);
      await scoring.flushDataCapture(twin.context);
    });
  tick(Math.floor(twin.clock.nowMs() / MINUTE_MS) * MINUTE_MS + MINUTE_MS);
  return {
    twin,
    runtime,
    sagemaker,
    scoring,
    s3,
    cloudwatch,
    eventBridge,
    sqs,
    sns,
    pagerDuty,
    state,
    async manage(group, overrides = {}) {
      await state.putPolicy(group, overrides);
      for (const alarm of productionAlarms(endpointName(group, 'production', parsePolicy(overrides)))) cloudwatch.defineAlarm(twin.context, alarm);
    },
    async advance(ms) {
      await twin.clock.advance(ms);
      await runtime.drain();
    },
    stop() {
      ticking = false;
      uninstallPagerDuty();
      runtime.stop();
    },
  };
}
