/**
 * Judge: scheduled each minute; the 5XX rate of every baking canary's new fleet against its old fleet, and the
 * default rates of every running A/B test's arms (when OUTCOMES_S3_URI is configured).
 */
import { awsExperimentJudgeDeps, awsJudgeDeps } from '../../shared/aws/wiring/judge';
import { judgeConfigSchema, once, readConfig } from '../../shared/runtime/config';
import { makeJudgeHandler } from '../../shared/runtime/judge-handler';

const config = once(() => readConfig(judgeConfigSchema, process.env));
export const handler = makeJudgeHandler(once(() => awsJudgeDeps(config())), once(() => awsExperimentJudgeDeps(config())));
