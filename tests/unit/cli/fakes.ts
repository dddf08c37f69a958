/**
 * In-memory ports for the CLI's command tests: a state store holding group statuses, a registry of packages, a
 * queue that records requests, a fixed clock, and builders of statuses.
 */
import type { GroupStatus, VersionStatus } from '../../../shared/lifecycle/model';
import type { ReconcileRequest } from '../../../shared/contracts/reconcile-request';
import type { Clock, ReconcileQueue, RegisteredPackage, Registry, StateStore } from '../../../shared/reconcile/ports';

export const NOW = '2026-11-28T12:00:00.000Z';
export const GROUP = 'credit-risk-retail';
export const arnOf = (group: string, version: number): string =>
  `arn:aws:sagemaker:eu-west-1:111122223333:model-package/${group}/${version}`;

/** The wall clock stopped at {@link NOW}. */
export const fixedClock: Clock = { now: () => NOW };

/** A version in `phase`, with the fields the CLI reads; `extra` overrides. */
export function version(n: number, phase: VersionStatus['phase'], extra: Partial<VersionStatus> = {}): VersionStatus {
  return {
    version: n,
    arn: arnOf(GROUP, n),
    phase,
    since: '2026-11-28T09:00:00.000Z',
    transitions: 3,
    conditions: [],
    deployments: {},
    ...extra,
  };
}

/** A version that served production and was replaced: a rollback target. */
export function superseded(n: number, extra: Partial<VersionStatus> = {}): VersionStatus {
  return version(n, 'Superseded', {
    liveSince: '2026-11-20T08:00:00.000Z',
    deployments: {
      production: {
        endpointName: `${GROUP}-prod`,
        endpointConfigName: `${GROUP}-v${n}-prod-abcd1234`,
        modelName: `${GROUP}-v${n}-abcd1234`,
        strategy: 'canary',
        kind: 'release',
        startedAt: '2026-11-20T07:30:00.000Z',
      },
    },
    ...extra,
  });
}

export function groupStatus(versions: VersionStatus[], extra: Partial<GroupStatus> = {}): GroupStatus {
  return { group: GROUP, revision: 7, versions, conditions: [], ...extra };
}

/** StateStore over a map; only what the CLI calls is implemented, the rest throws. */
export class FakeStateStore implements Pick<StateStore, 'load' | 'listGroups' | 'requestRollback' | 'requestChallenge' | 'policyOverrides'> {
  readonly statuses = new Map<string, GroupStatus>();
  readonly managed = new Set<string>();
  /** Policy overrides per managed group (none given: the defaults). */
  readonly policies = new Map<string, unknown>();
  readonly rollbackRequests: { group: string; request: NonNullable<GroupStatus['rollbackRequest']> }[] = [];
  readonly challengeRequests: { group: string; request: NonNullable<GroupStatus['challengeRequest']> }[] = [];

  constructor(...statuses: GroupStatus[]) {
    for (const s of statuses) this.put(s);
  }

  put(status: GroupStatus): this {
    this.statuses.set(status.group, structuredClone(status));
    this.managed.add(status.group);
    return this;
  }

  async load(group: string): Promise<GroupStatus> {
    return structuredClone(this.statuses.get(group) ?? { group, revision: 0, versions: [], conditions: [] });
  }

  async listGroups(): Promise<string[]> {
    return [...this.managed];
  }

  async policyOverrides(group: string): Promise<unknown> {
    return this.managed.has(group) ? (this.policies.get(group) ?? {}) : undefined;
  }

  async requestChallenge(group: string, request: NonNullable<GroupStatus['challengeRequest']>): Promise<void> {
    this.challengeRequests.push({ group, request });
  }

  async requestRollback(group: string, request: NonNullable<GroupStatus['rollbackRequest']>): Promise<void> {
    this.rollbackRequests.push({ group, request });
    const current = await this.load(group);
    this.statuses.set(group, { ...current, rollbackRequest: request, revision: current.revision + 1 });
  }
}

/** Registry over a map of packages; records every setApproval call. */
export class FakeRegistry implements Pick<Registry, 'describePackage' | 'setApproval'> {
  readonly packages = new Map<string, RegisteredPackage>();
  readonly calls: Parameters<Registry['setApproval']>[0][] = [];

  add(arn: string, approvalStatus: RegisteredPackage['approvalStatus'], approvalDescription?: string): this {
    const n = Number(/\/(\d+)$/.exec(arn)?.[1]);
    this.packages.set(arn, {
      version: n,
      arn,
      createdAt: '2026-11-27T10:00:00.000Z',
      approvalStatus,
      ...(approvalDescription ? { approvalDescription } : {}),
      reportUris: {},
      lineage: { hyperparameters: {} },
    });
    return this;
  }

  async describePackage(arn: string): Promise<RegisteredPackage> {
    const pkg = this.packages.get(arn);
    if (!pkg) throw Object.assign(new Error(`Model package ${arn} does not exist.`), { name: 'ValidationException' });
    return structuredClone(pkg);
  }

  async setApproval(input: Parameters<Registry['setApproval']>[0]): Promise<void> {
    this.calls.push(input);
    const pkg = this.packages.get(input.modelPackageArn);
    if (pkg) Object.assign(pkg, { approvalStatus: input.status, approvalDescription: input.reason });
  }
}

/** A queue that keeps what it was asked. */
export class FakeQueue implements ReconcileQueue {
  readonly requests: ReconcileRequest[] = [];
  async request(request: ReconcileRequest): Promise<void> {
    this.requests.push(request);
  }
}
