/** Canary judge: scheduled each minute; the 5XX rate of every baking canary's new fleet against its old fleet. */
import { awsJudgeDeps } from '../../shared/aws/wiring/judge';
import { judgeConfigSchema, once, readConfig } from '../../shared/runtime/config';
import { makeJudgeHandler } from '../../shared/runtime/judge-handler';

export const handler = makeJudgeHandler(once(() => awsJudgeDeps(readConfig(judgeConfigSchema, process.env))));
