/** Reconcile worker: SQS FIFO batches of reconcile requests, one model group at a time per message group. */
import samples from '../../events/smoke-test/applications.json';
import modelInput from '../../pipeline/steps/config.json';
import { awsReconcileDeps } from '../../shared/aws/wiring/reconcile';
import { once, readConfig, reconcileConfigSchema } from '../../shared/runtime/config';
import { makeReconcileHandler } from '../../shared/runtime/worker-handlers';

const smokeSamples = { schema: modelInput, applications: samples.applications };

export const handler = makeReconcileHandler(once(() => awsReconcileDeps(readConfig(reconcileConfigSchema, process.env), smokeSamples)));
