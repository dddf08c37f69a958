/** Experiment judge: scheduled each minute; every running A/B or shadow test, its arms' outcomes joined to their captured decisions. */
import { awsExperimentJudgeDeps } from '../../shared/aws/wiring/experiment-judge';
import { experimentJudgeConfigSchema, once, readConfig } from '../../shared/runtime/config';
import { makeExperimentJudgeHandler } from '../../shared/runtime/experiment-judge-handler';

const config = once(() => readConfig(experimentJudgeConfigSchema, process.env));
export const handler = makeExperimentJudgeHandler(once(() => awsExperimentJudgeDeps(config())));
