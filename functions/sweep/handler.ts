/** Scheduled sweep: a reconcile request for every managed group, so a lost event never strands a model. */
import { awsIngressDeps } from '../../shared/aws/wiring/ingress';
import { ingressConfigSchema, once, readConfig } from '../../shared/runtime/config';
import { makeSweepHandler } from '../../shared/runtime/worker-handlers';

export const handler = makeSweepHandler(once(() => awsIngressDeps(readConfig(ingressConfigSchema, process.env))));
