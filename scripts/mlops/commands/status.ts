/**
 * `mlops status [group]`: what the control plane has recorded. Without a group, one line per managed group (Live
 * version, last-known-good, what is in flight, conditions that need attention), then any A/B test running or
 * requested; with a group, its pending challenge and running experiment (with the judge's last look, where the CLI
 * can read it), its versions and conditions. `--json` prints the recorded status as stored, plus `judgeLook` for a
 * group whose experiment the judge has looked at.
 */
import type { ExperimentLooks } from '../../../shared/experiment-judge/ports';
import type { Clock, StateStore } from '../../../shared/reconcile/ports';
import type { GroupStatus } from '../../../shared/lifecycle/model';
import { EXIT, formatGroup, formatOverview, type CommandResult } from '../format';
import { challengeAndExperimentLines, experimentsOverview, withChallengerRole, type JudgeLookView } from './status-experiment';

/** The ports `status` reads through. */
export interface StatusDeps {
  state: Pick<StateStore, 'load' | 'listGroups'>;
  /** The experiment judge's running state (same table); without it the status shows what the group status records. */
  looks?: Pick<ExperimentLooks, 'last'>;
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
 * The judge's last look of the group's running experiment; undefined when none runs or no look store is wired.
 * A failed read (e.g. no dynamodb:GetItem for the operator) is shown, not thrown: the rest of the status stands.
 */
async function judgeLookOf(looks: StatusDeps['looks'], status: GroupStatus): Promise<JudgeLookView | undefined> {
  if (!looks || !status.experiment) return undefined;
  try {
    return { look: await looks.last(status.group, status.experiment.version) };
  } catch (error) {
    return { error: (error as Error)?.message ?? String(error) };
  }
}

function overviewText(statuses: readonly GroupStatus[], now: string): string {
  const experiments = experimentsOverview(statuses, now);
  const overview = formatOverview(statuses, now);
  return experiments ? `${overview}\n\nA/B tests and challenges:\n${experiments}` : overview;
}

/** The group view with the challenge and experiment lines under its Live / Last-known-good header. */
function groupText(status: GroupStatus, now: string, judge: JudgeLookView | undefined): string {
  const text = formatGroup(withChallengerRole(status), now);
  const extra = challengeAndExperimentLines(status, now, judge);
  if (extra.length === 0) return text;
  // formatGroup ends its header block with the first blank line.
  const cut = text.indexOf('\n\n');
  return cut < 0 ? [text, ...extra].join('\n') : `${text.slice(0, cut)}\n${extra.join('\n')}${text.slice(cut)}`;
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
    return { exitCode: EXIT.ok, output: args.json ? JSON.stringify(statuses, null, 2) : overviewText(statuses, now) };
  }
  const recorded = await deps.state.load(args.group);
  if (recorded.revision === 0 && recorded.versions.length === 0) {
    const managed = await deps.state.listGroups();
    if (!managed.includes(args.group)) {
      const known = managed.length > 0 ? `managed groups: ${[...managed].sort().join(', ')}` : 'no group is managed yet';
      return { exitCode: EXIT.usage, output: `Model group ${args.group} is not managed by the control plane (${known}).` };
    }
  }
  const judge = await judgeLookOf(deps.looks, recorded);
  if (args.json) {
    const look = judge && 'look' in judge ? judge.look : undefined;
    return { exitCode: EXIT.ok, output: JSON.stringify(look ? { ...recorded, judgeLook: look } : recorded, null, 2) };
  }
  return { exitCode: EXIT.ok, output: groupText(recorded, now, judge) };
}
