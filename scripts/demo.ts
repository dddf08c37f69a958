/**
 * `npm run demo`: one model group's life on in-memory ports — registration, gates, staging and its smoke test, a
 * risk officer's approval, production, a latency alarm, the automatic rollback — running the real ingress
 * handlers, reconciler and decide(). The AWS twin beneath the SDK clients (issue 4) will replace the in-memory
 * world; the timeline printed here is read from the domain events the control plane published.
 */
import { alarmStateChangeEventSchema, endpointStateChangeEventSchema, modelPackageStateChangeEventSchema } from '../shared/contracts/aws-events';
import type { DomainEvent } from '../shared/contracts/domain-events';
import { ingestAlarmEvent } from '../shared/ingress/alarm';
import { ingestEndpointEvent } from '../shared/ingress/endpoint';
import { ingestModelPackageEvent } from '../shared/ingress/model-package';
import { handleReconcileRequest } from '../shared/reconcile/reconcile-request-handler';
import { makeIngressHandler } from '../shared/runtime/ingress-handler';
import { loadSample } from '../tests/support/events';
import { FakeWorld } from '../tests/support/fake-world';

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const GROUP = 'credit-risk-retail';
const world = new FakeWorld();
const deps = () => world.ingressDeps();
const context = { functionName: 'demo', awsRequestId: 'demo' } as never;
const onPackage = makeIngressHandler({ name: 'model-package', schema: modelPackageStateChangeEventSchema, deps, ingest: ingestModelPackageEvent });
const onEndpoint = makeIngressHandler({ name: 'endpoint', schema: endpointStateChangeEventSchema, deps, ingest: ingestEndpointEvent });
const onAlarm = makeIngressHandler({ name: 'alarm', schema: alarmStateChangeEventSchema, deps, ingest: ingestAlarmEvent });
let printed = 0;
let n = 0;

function event(path: string, detail: Record<string, unknown>) {
  const e = loadSample(path);
  e.id = `demo-${++n}`;
  e.time = world.iso().replace(/\.\d{3}Z$/, 'Z');
  Object.assign(e.detail, detail);
  return e;
}
const pkg = (v: number, status: string) =>
  event('aws.sagemaker/model-package-state-change/registered.json', { ModelPackageVersion: v, ModelPackageArn: `arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}/${v}`, ModelApprovalStatus: status });
const endpoint = (name: string) => {
  const ep = world.endpoints.get(name)!;
  return event('aws.sagemaker/endpoint-state-change/in-service.json', { EndpointName: name, EndpointConfigName: ep.configName, EndpointStatus: 'IN_SERVICE', Tags: { 'creditai:model-group': GROUP } });
};

function line(e: DomainEvent): string {
  const d = e.detail as Record<string, unknown>;
  const v = d.version ? ` v${d.version}` : '';
  const extra = e.detailType === 'ModelGated' ? ` passed=${d.passed}` : e.detailType === 'DeploymentStarted' ? ` ${d.environment} ${d.strategy} (${d.kind})` : e.detailType === 'ModelApproved' ? ` by ${(d.approver as { arn: string }).arn}` : e.detailType === 'RollbackPerformed' ? ` → v${d.toVersion}: ${d.reason}` : e.detailType === 'ModelRejected' ? `: ${(d.reasons as string[]).join('; ')}` : '';
  return `${String(d.occurredAt).slice(11, 19)}  ${e.detailType.padEnd(18)}${v}${extra}`;
}

async function settle(): Promise<void> {
  while (world.queued.length > 0) {
    const done = new Set<string>();
    for (const r of world.queued.splice(0)) await handleReconcileRequest(world.reconcileDeps(), JSON.stringify(r), done);
  }
  for (const e of world.published.slice(printed)) console.log(line(e));
  printed = world.published.length;
}

async function release(version: number, auc?: number): Promise<void> {
  world.register(GROUP, version, auc ? { auc } : {});
  await onPackage(pkg(version, 'PendingManualApproval'), context);
  await settle();
  if (world.phaseOf(GROUP, version) === 'Rejected') return;
  world.tick(420);
  world.finishEndpoint(`${GROUP}-staging`);
  await onEndpoint(endpoint(`${GROUP}-staging`), context);
  await settle();
  world.tick(3600);
  world.humanDecides(`arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}/${version}`, 'Approved', 'arn:aws:sts::111122223333:assumed-role/RiskOfficer/jane.doe@example.com', 'Validation pack reviewed');
  await onPackage(pkg(version, 'Approved'), context);
  await settle();
  world.tick(1500);
  world.finishEndpoint(`${GROUP}-prod`);
  await onEndpoint(endpoint(`${GROUP}-prod`), context);
  await settle();
}

async function main(): Promise<void> {
  world.manage(GROUP);
  console.log(`creditai-mlops demo: model group ${GROUP} on in-memory AWS ports\n`);
  console.log('— version 1: first release');
  await release(1);
  world.tick(86400);
  console.log('\n— version 2: AUC 0.82, below the 0.85 policy');
  await release(2, 0.82);
  world.tick(86400);
  console.log('\n— version 3: a canary release');
  await release(3);
  world.tick(1800);
  console.log('\n— the p99 latency alarm fires on production');
  world.setAlarm(`creditai-${GROUP}-prod-p99-latency`, 'ALARM', '3 of 3 datapoints above 200 ms');
  await onAlarm(event('aws.cloudwatch/cloudwatch-alarm-state-change/latency-alarm.json', {}), context);
  await settle();
  world.tick(400);
  world.finishEndpoint(`${GROUP}-prod`);
  await onEndpoint(endpoint(`${GROUP}-prod`), context);
  await settle();
  console.log('\nFinal state:');
  for (const v of world.status(GROUP).versions) console.log(`  v${v.version}  ${v.phase.padEnd(12)} ${v.reason ?? ''}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
