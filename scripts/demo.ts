/**
 * `npm run demo`: one model group's life on the local twin of AWS, on a virtual clock. The real functions (their
 * handlers, wiring and adapters, real SDK clients) run against the twin's SageMaker, S3, DynamoDB, EventBridge,
 * SQS, SNS and CloudWatch; every request is checked against the AWS API models. The story:
 *   1. version 1 is registered, gated, deployed to staging, smoke-tested, approved by a risk officer, released;
 *   2. version 2 falls short of the AUC policy and is rejected;
 *   3. version 3 goes to production through a guarded canary;
 *   4. the p99 latency alarm fires on production and the control plane rolls back to version 1;
 *   5. the audit ledger the `audit` function wrote is verified.
 * The timeline is read from the domain events the control plane put on its bus.
 */
import { s3Client } from '../shared/aws/clients';
import { makeS3Ledger } from '../shared/aws/s3-ledger-store';
import type { DomainEvent } from '../shared/contracts/domain-events';
import { auditVerify } from './mlops/commands/audit-verify';
import { createTwinWorld, TWIN_REGION, type TwinWorld } from './twin/world';

const GROUP = 'credit-risk-retail';
const PROD = `${GROUP}-prod`;
const MINUTE = 60_000;
const JANE = 'arn:aws:sts::111122223333:assumed-role/RiskOfficer/jane.doe@example.com';
let printed = 0;

async function register(world: TwinWorld, version: number, auc: number): Promise<string> {
  const ctx = world.twin.context;
  const base = `s3://creditai-artifacts/${GROUP}/v${version}`;
  await world.s3.putJson(ctx, `${base}/evaluation.json`, { binary_classification_metrics: { auc: { value: auc }, ks: { value: 0.43 } } });
  await world.s3.putJson(ctx, `${base}/bias/analysis.json`, {
    post_training_bias_metrics: {
      facets: {
        age_group: [
          { value_or_threshold: '18-25', metrics: [{ name: 'DI', value: 0.9 }, { name: 'DPPL', value: 0.04 }] },
          { value_or_threshold: '61+', metrics: [{ name: 'DI', value: 1.06 }, { name: 'DPPL', value: -0.02 }] },
        ],
      },
    },
  });
  await world.s3.putJson(ctx, `${base}/explainability/analysis.json`, {
    explanations: { kernel_shap: { label0: { global_shap_values: { annual_income: 0.21, debt_to_income: 0.17, delinquencies: 0.12 } } } },
  });
  return world.sagemaker.registerPackage(ctx, GROUP, {
    reports: { evaluation: `${base}/evaluation.json`, bias: `${base}/bias/analysis.json`, explainability: `${base}/explainability/analysis.json` },
    lineage: {
      trainingDataUri: `s3://creditai-data/applications/${GROUP}/2026-11.csv`,
      trainingDataHash: `sha256:${String(version).repeat(64).slice(0, 64)}`,
      commitId: `4be1c0d${version}`,
      hyperparameters: { max_depth: '5', eta: '0.1', num_round: '300' },
    },
  });
}

function describe(e: DomainEvent): string {
  const d = e.detail as Record<string, unknown>;
  switch (e.detailType) {
    case 'ModelGated':
      return `passed=${d.passed}`;
    case 'ModelRejected':
      return (d.reasons as string[]).join('; ');
    case 'DeploymentStarted':
      return `${d.environment}, ${d.strategy} (${d.kind}) → ${d.endpointConfigName}`;
    case 'CanaryStarted':
      return `${d.trafficPercent}% canary, bake ${d.bakeSeconds}s, alarms ${(d.rollbackAlarms as string[]).length}`;
    case 'ApprovalRequested':
      return `${d.environment} approval needed: ${(d.gates as { summary: string }).summary.split('; ').slice(0, 2).join('; ')}`;
    case 'ModelApproved':
      return `by ${(d.approver as { arn: string }).arn}: ${d.reason}`;
    case 'RollbackPerformed':
      return `→ v${d.toVersion} (${d.initiator}): ${d.reason}`;
    case 'ModelPromoted':
      return d.previousVersion ? `replaces v${d.previousVersion}` : 'now serving production';
    default:
      return '';
  }
}

function printTimeline(world: TwinWorld): void {
  const domain = world.eventBridge.log.filter((b) => b.event.source === 'creditai.mlops').map((b) => b.event);
  for (const event of domain.slice(printed)) {
    const e = { detailType: event['detail-type'], detail: event.detail } as DomainEvent;
    const d = event.detail as { version?: number };
    console.log(`${event.time.slice(11, 19)}  ${e.detailType.padEnd(18)} ${d.version ? `v${d.version}` : '  '}  ${describe(e)}`);
  }
  printed = domain.length;
}

async function release(world: TwinWorld, version: number, auc: number): Promise<void> {
  const arn = await register(world, version, auc);
  await world.runtime.drain();
  printTimeline(world);
  if (world.eventBridge.log.some((b) => b.event['detail-type'] === 'ModelRejected' && (b.event.detail as { version?: number }).version === version)) return;
  await world.advance(10 * MINUTE); // staging comes up; the smoke test runs
  printTimeline(world);
  await world.advance(50 * MINUTE); // a risk officer reviews the validation pack
  world.sagemaker.updateAsHuman(world.twin.context, JANE, { ModelPackageArn: arn, ModelApprovalStatus: 'Approved', ApprovalDescription: `Validation pack VP-${100 + version} reviewed` });
  await world.runtime.drain();
  await world.advance(30 * MINUTE); // production: a create, or a canary with its bakes
  printTimeline(world);
}

async function main(): Promise<void> {
  const world = await createTwinWorld({ logLevel: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT' });
  try {
    await world.manage(GROUP);
    for (const name of [`creditai-${PROD}-p99-latency`, `creditai-${PROD}-5xx-errors`]) {
      world.cloudwatch.defineAlarm(world.twin.context, {
        name,
        metric: { namespace: 'AWS/SageMaker', name: name.endsWith('latency') ? 'ModelLatency' : 'Invocation5XXErrors', dimensions: { EndpointName: PROD, VariantName: 'AllTraffic' }, stat: name.endsWith('latency') ? 'p99' : 'Sum', period: 60 },
        threshold: name.endsWith('latency') ? 200_000 : 5,
      });
    }
    console.log(`creditai-mlops demo: model group ${GROUP} on the local AWS twin (virtual clock)\n`);
    console.log('— version 1: the first release');
    await release(world, 1, 0.874);
    console.log('\n— version 2: AUC 0.82, below the 0.85 policy');
    await release(world, 2, 0.82);
    console.log('\n— version 3: a canary release');
    await release(world, 3, 0.889);
    console.log('\n— the p99 latency alarm fires on production');
    await world.advance(20 * MINUTE);
    world.cloudwatch.setAlarmState(world.twin.context, `creditai-${PROD}-p99-latency`, 'ALARM', 'Threshold Crossed: 3 datapoints [231000.0, 248000.0, 262000.0] were greater than the threshold (200000.0).');
    await world.runtime.drain();
    await world.advance(15 * MINUTE);
    printTimeline(world);

    const failed = world.runtime.invocations.filter((i) => i.outcome === 'error');
    console.log(`\n${world.runtime.invocations.length} function invocations, ${failed.length} failed; ${world.twin.calls.length} AWS calls, all valid against the API models`);
    const ledger = makeS3Ledger(s3Client({ region: TWIN_REGION }), { bucket: world.runtime.environment.AUDIT_BUCKET! });
    const verdict = await auditVerify({ ledger }, {});
    console.log(`\nAudit ledger (s3://${world.runtime.environment.AUDIT_BUCKET}/ledger/):\n${verdict.output}`);
    if (verdict.exitCode !== 0 || failed.length > 0) process.exitCode = 1;
  } finally {
    world.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
