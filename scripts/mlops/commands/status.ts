/**
 * `mlops status [group]`: what the control plane has recorded. Without a group, one line per managed group (Live
 * version, last-known-good, what is in flight, conditions that need attention); with a group, its versions and
 * conditions. `--json` prints the recorded status as stored.
 */
import type { Clock, StateStore } from '../../../shared/reconcile/ports';
import type { GroupStatus } from '../../../shared/lifecycle/model';
import { EXIT, formatGroup, formatOverview, type CommandResult } from '../format';

/** The ports `status` reads through. */
export interface StatusDeps {
  state: Pick<StateStore, 'load' | 'listGroups'>;
  clock: Clock;
}

export interface StatusArgs {
  /** One group's detail; every managed group when absent. */
  group?: string;
  json?: boolean;
}

/** Groups loaded at once, to keep a large fleet from throttling the table. */
const CONCURRENCY = 8;

async function loadAll(state: StatusDeps['state'], groups: string[]): Promise<GroupStatus[]> {
  const out: GroupStatus[] = new Array<GroupStatus>(groups.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < groups.length; i = next++) out[i] = await state.load(groups[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, groups.length) }, worker));
  return out;
}

/**
 * Shows the recorded status of one group or of every managed group.
 *
 * @returns exit 0; exit 1 when the named group has no recorded status and is not managed.
 */
export async function status(deps: StatusDeps, args: StatusArgs): Promise<CommandResult> {
  const now = deps.clock.now();
  if (args.group === undefined) {
    const groups = [...(await deps.state.listGroups())].sort();
    const statuses = await loadAll(deps.state, groups);
    return { exitCode: EXIT.ok, output: args.json ? JSON.stringify(statuses, null, 2) : formatOverview(statuses, now) };
  }
  const recorded = await deps.state.load(args.group);
  if (recorded.revision === 0 && recorded.versions.length === 0) {
    const managed = await deps.state.listGroups();
    if (!managed.includes(args.group)) {
      const known = managed.length > 0 ? `managed groups: ${[...managed].sort().join(', ')}` : 'no group is managed yet';
      return { exitCode: EXIT.usage, output: `Model group ${args.group} is not managed by the control plane (${known}).` };
    }
  }
  return { exitCode: EXIT.ok, output: args.json ? JSON.stringify(recorded, null, 2) : formatGroup(recorded, now) };
}
