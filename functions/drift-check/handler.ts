/** Drift check: scheduled hourly; the Live version of every managed group against its training baseline. */
import modelInput from '../../pipeline/steps/config.json';
import { awsDriftCheckDeps } from '../../shared/aws/wiring/drift-check';
import { driftCheckConfigSchema, once, readConfig } from '../../shared/runtime/config';
import { makeDriftCheckHandler } from '../../shared/runtime/drift-check-handler';

export const handler = makeDriftCheckHandler(once(() => awsDriftCheckDeps(readConfig(driftCheckConfigSchema, process.env))), modelInput);
