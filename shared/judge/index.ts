/** The judge: pure statistics for canary and A/B verdicts (reference/judge.md). */
export { type CanaryDecision, type CanaryLookInput, type CanaryState, type CanaryVerdict, judgeCanaryLook } from './canary-look';
export {
  type ExperimentArm,
  type ExperimentDecision,
  type ExperimentLookInput,
  type ExperimentState,
  type ExperimentVerdict,
  judgeExperimentLook,
  type ShadowScores,
} from './experiment-look';
export { canaryPlanSchema, type CanaryPlanInput, experimentPlanSchema, type ExperimentPlanInput } from './plan';
export type { Verdict } from './verdict';
