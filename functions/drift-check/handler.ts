/** Drift check: scheduled hourly; the Live version of every managed group against its training baseline, and its bias re-check. */
import modelInput from '../../pipeline/steps/config.json';
import { awsDriftCheckDeps } from '../../shared/aws/wiring/drift-check';
import { driftCheckConfigSchema, once, readConfig } from '../../shared/runtime/config';
import { makeDriftCheckHandler } from '../../shared/runtime/drift-check-handler';

// The bias re-check's facet: the protected attribute's bands of a model input, and the decision threshold.
const bias = { attribute: modelInput.protected_attribute, source: modelInput.protected_source, values: modelInput.protected_values, decisionThreshold: modelInput.decision_threshold };

export const handler = makeDriftCheckHandler(once(() => awsDriftCheckDeps(readConfig(driftCheckConfigSchema, process.env))), modelInput, bias);
