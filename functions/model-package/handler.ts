/** Model Package State Change → reconcile the model group (registration, approval, rejection, stage change). */
import { awsIngressDeps } from '../../shared/aws/wiring/ingress';
import { modelPackageStateChangeEventSchema } from '../../shared/contracts/aws-events';
import { ingestModelPackageEvent } from '../../shared/ingress/model-package';
import { ingressConfigSchema, once, readConfig } from '../../shared/runtime/config';
import { makeIngressHandler } from '../../shared/runtime/ingress-handler';

const deps = once(() => awsIngressDeps(readConfig(ingressConfigSchema, process.env)));

export const handler = makeIngressHandler({ name: 'model-package', schema: modelPackageStateChangeEventSchema, deps, ingest: ingestModelPackageEvent });
