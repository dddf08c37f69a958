/** Every scenario of the twin, in the order `--list` shows them; the demo runs the default one. */
import { abTestHarm, abTestWins, shadowTest } from './ab-test';
import { biasRecheck } from './bias-recheck';
import { canaryJudge } from './canary-judge';
import { canaryJudgeLatency } from './canary-judge-latency';
import { canaryRollback } from './canary-rollback';
import { driftRetrain } from './drift-retrain';
import { duplicateEvents } from './duplicate-events';
import { fullLoop } from './full-loop';
import { gateRejected } from './gate-rejected';
import { happyPath } from './happy-path';
import { manualApproval } from './manual-approval';
import { pipelineFailure } from './pipeline-failure';
import type { Scenario } from './run';

export const SCENARIOS: Scenario[] = [fullLoop, happyPath, gateRejected, manualApproval, canaryRollback, canaryJudge, canaryJudgeLatency, driftRetrain, biasRecheck, pipelineFailure, duplicateEvents, abTestWins, abTestHarm, shadowTest];

export const DEFAULT_SCENARIO = 'full-loop';
