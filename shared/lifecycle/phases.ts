/**
 * The phases of a model version, each with the invariant that holds while a version is in it. The transitions
 * between them are all in `decide.ts`.
 *
 * Order of a release: Registered → Gated → [AwaitingApproval(staging)] → DeployingStaging → StagingVerified →
 * [AwaitingApproval(production)] → Approved → Canary → Live → Superseded. Side exits: Rejected (gates, smoke test,
 * staging deployment or a human), RolledBack (guardrails, alarm, operator, revoked approval), Superseded also for a
 * candidate overtaken by a newer one, Retired (package gone from the registry).
 */
export const PHASES = [
  /** In the registry, not yet judged by the gates. No resources exist for it. */
  'Registered',
  /** Passed every gate; waiting for staging to be free (or for its staging approval). */
  'Gated',
  /** Waiting for a human approval for `awaiting` (staging or production); nothing is deployed on its behalf. */
  'AwaitingApproval',
  /** Approved for production by an identified approver (or by policy); waiting for the production endpoint. */
  'Approved',
  /** Its endpoint config was sent to the staging endpoint; waiting for InService and the smoke test. */
  'DeployingStaging',
  /** Served by the staging endpoint and passed the smoke test. */
  'StagingVerified',
  /** Its endpoint config was sent to the production endpoint; the guarded rollout (or first create) is running. */
  'Canary',
  /** The production endpoint serves its endpoint config. At most one version of a group is Live. */
  'Live',
  /** Replaced: by a newer Live version (then it is a rollback target) or by a newer candidate before release. */
  'Superseded',
  /** Taken out of production (or its rollout was reverted). Never deployed again automatically. */
  'RolledBack',
  /** Refused by a gate, the smoke test, a failed staging deployment or a human. Never deployed. */
  'Rejected',
  /** Its package left the registry. Nothing refers to it any more. */
  'Retired',
  /** Serves a share of production traffic beside the Live version in an A/B test (issue: the judge). */
  'Challenger',
] as const;

export type Phase = (typeof PHASES)[number];

export type Environment = 'staging' | 'production';

/** Phases of a candidate that a newer candidate overtakes (before any production approval was acted on). */
export const OVERTAKABLE: ReadonlySet<Phase> = new Set(['Registered', 'Gated', 'AwaitingApproval', 'DeployingStaging', 'StagingVerified']);

/** Phases nothing moves out of on its own (a Superseded version may be revived as a rollback target). */
export const FINAL: ReadonlySet<Phase> = new Set(['Superseded', 'RolledBack', 'Rejected', 'Retired']);
