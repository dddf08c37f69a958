/** Judge: scheduled each minute; the 5XX rate and latency-SLO misses of every baking canary's new fleet against its old fleet. */
import { awsJudgeDeps } from '../../shared/aws/wiring/judge';
import { judgeConfigSchema, once, readConfig } from '../../shared/runtime/config';
import { makeJudgeHandler } from '../../shared/runtime/judge-handler';

const config = once(() => readConfig(judgeConfigSchema, process.env));
export const handler = makeJudgeHandler(once(() => awsJudgeDeps(config())));
