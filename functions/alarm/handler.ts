/** CloudWatch Alarm State Change → reconcile the model group whose endpoint the alarm watches. */
import { awsIngressDeps } from '../../shared/aws/wiring/ingress';
import { alarmStateChangeEventSchema } from '../../shared/contracts/aws-events';
import { ingestAlarmEvent } from '../../shared/ingress/alarm';
import { ingressConfigSchema, once, readConfig } from '../../shared/runtime/config';
import { makeIngressHandler } from '../../shared/runtime/ingress-handler';

const deps = once(() => awsIngressDeps(readConfig(ingressConfigSchema, process.env)));

export const handler = makeIngressHandler({ name: 'alarm', schema: alarmStateChangeEventSchema, deps, ingest: ingestAlarmEvent });
