/**
 * The timeline of a scenario, read from what actually happened on the twin: the domain events the control plane
 * put on its bus (each decision with its reason), the AWS events that drove it (pipeline runs, approvals in the
 * registry, alarms), and the scenario's own notes (what the simulated people and traffic did).
 */
import type { TwinEvent } from '../core/types';

export interface TimelineEntry {
  atMs: number;
  /** Who speaks: the scenario (people, traffic), AWS (its events), or the control plane (its decisions). */
  actor: 'scenario' | 'aws' | 'control-plane';
  /** The detail-type, or `Note` for the scenario's own lines. */
  type: string;
  version?: number;
  text: string;
}

type Detail = Record<string, unknown>;

const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));

/** The one-line reason of a control-plane decision, from its detail. */
export function describeDomainEvent(type: string, d: Detail): string {
  switch (type) {
    case 'ModelGated': {
      const results = (d.results as { gate?: string; name?: string; passed: boolean; message?: string }[] | undefined) ?? [];
      const failed = results.filter((r) => !r.passed).map((r) => r.message ?? r.gate ?? r.name);
      return d.passed ? `all ${results.length} gates passed` : `failed: ${failed.join('; ')}`;
    }
    case 'ModelRejected':
      return (d.reasons as string[]).join('; ');
    case 'ApprovalRequested':
      return `${str(d.environment)} approval requested: ${str((d.gates as { summary?: string } | undefined)?.summary).split('; ').slice(0, 2).join('; ')}`;
    case 'ModelApproved':
      return `${str(d.environment)} approved by ${str((d.approver as { arn?: string } | undefined)?.arn)}: ${str(d.reason)}`;
    case 'ApprovalUnverified':
      return `approval not acted on: ${str(d.reason)}`;
    case 'DeploymentStarted':
      return `${str(d.environment)}, ${str(d.strategy)} (${str(d.kind)}) → ${str(d.endpointConfigName)}`;
    case 'StagingVerified':
      return 'staging smoke test passed';
    case 'CanaryStarted':
      return `${str(d.trafficPercent)}% canary, bake ${str(d.bakeSeconds)} s, ${(d.rollbackAlarms as string[] | undefined)?.length ?? 0} rollback alarms`;
    case 'ModelPromoted':
      return d.previousVersion ? `live in production, replaces v${str(d.previousVersion)}` : 'live in production';
    case 'RollbackPerformed':
      return `${d.toVersion !== undefined ? `back to v${str(d.toVersion)}` : 'rolled back'} (${str(d.initiator)}): ${str(d.reason)}`;
    case 'PipelineFailed':
      return `training failed: ${str((d.diagnosis as { summary?: string } | undefined)?.summary ?? d.failureReason)}`;
    case 'DriftDetected': {
      const features = (d.features as { feature: string; distance: number; threshold: number; drifted: boolean }[] | undefined) ?? [];
      return `drift on ${features
        .filter((f) => f.drifted)
        .map((f) => `${f.feature} ${f.distance.toFixed(2)} > ${f.threshold}`)
        .join(', ')} (${str(d.records)} rows, ${str(d.source)})`;
    }
    case 'RetrainRequested':
    case 'RetrainSkipped':
      return str(d.reason);
    case 'EventRejected':
      return `rejected input: ${str(d.reason)}`;
    default:
      return str(d.reason ?? d.message ?? '');
  }
}

/** The AWS events worth a timeline line, with their line; undefined for the rest. */
export function describeAwsEvent(event: TwinEvent): string | undefined {
  const d = event.detail as Detail;
  switch (event['detail-type']) {
    case 'SageMaker Model Building Pipeline Execution Status Change':
      return `training pipeline ${str(d.currentPipelineExecutionStatus)}`;
    case 'SageMaker Model Package State Change':
      return d.ModelApprovalStatus === 'PendingManualApproval' && !d.ApprovalDescription ? 'registered in the model registry' : `registry: ${str(d.ModelApprovalStatus)}`;
    case 'CloudWatch Alarm State Change': {
      // A new alarm's first evaluation (INSUFFICIENT_DATA → OK) is not news; ALARM and recoveries from it are.
      const state = d.state as { value: string; reason: string };
      const previous = (d.previousState as { value?: string } | undefined)?.value;
      return state.value === 'ALARM' || previous === 'ALARM' ? `alarm ${str(d.alarmName)} → ${state.value}: ${state.reason}` : undefined;
    }
    default:
      return undefined;
  }
}

function versionOf(event: TwinEvent): number | undefined {
  const d = event.detail as Detail;
  if (typeof d.version === 'number') return d.version;
  if (typeof d.ModelPackageVersion === 'number') return d.ModelPackageVersion;
  return undefined;
}

/** Builds the timeline as events arrive on the twin's buses, plus the scenario's notes. */
export function createTimeline() {
  const entries: TimelineEntry[] = [];
  const seen = new Set<string>();
  return {
    entries,
    /** Adds a bus delivery (each event once, however many times it was delivered). */
    observe(event: TwinEvent): TimelineEntry | undefined {
      if (seen.has(event.id)) return undefined;
      seen.add(event.id);
      const atMs = Date.parse(event.time.replace('+0000', 'Z'));
      const version = versionOf(event);
      // The canary judge looks every minute; only its verdicts (pass, rollback) are worth a line.
      const routineLook = event['detail-type'] === 'CanaryJudged' && ['wait', 'continue'].includes(String(event.detail.decision));
      const entry: TimelineEntry | undefined = routineLook
        ? undefined
        : event.source === 'creditai.mlops'
          ? { atMs, actor: 'control-plane', type: event['detail-type'], text: describeDomainEvent(event['detail-type'], event.detail as Detail), ...(version ? { version } : {}) }
          : (() => {
              const text = describeAwsEvent(event);
              return text === undefined ? undefined : { atMs, actor: 'aws' as const, type: event['detail-type'], text, ...(version ? { version } : {}) };
            })();
      if (entry) entries.push(entry);
      return entry;
    },
    note(atMs: number, text: string, version?: number): TimelineEntry {
      const entry: TimelineEntry = { atMs, actor: 'scenario', type: 'Note', text, ...(version ? { version } : {}) };
      entries.push(entry);
      return entry;
    },
  };
}

export type Timeline = ReturnType<typeof createTimeline>;

const SHORT_TYPES: Record<string, string> = {
  'SageMaker Model Building Pipeline Execution Status Change': 'Pipeline',
  'SageMaker Model Package State Change': 'Model Package',
  'CloudWatch Alarm State Change': 'Alarm',
};

/** One printed line: virtual time, who, what, version, why. */
export function formatEntry(entry: TimelineEntry, startMs: number): string {
  const elapsed = entry.atMs - startMs;
  const day = Math.floor(elapsed / 86_400_000);
  const clock = new Date(entry.atMs).toISOString().slice(11, 19);
  const who = entry.actor === 'control-plane' ? '▶' : entry.actor === 'aws' ? '·' : '»';
  const type = entry.type === 'Note' ? '' : (SHORT_TYPES[entry.type] ?? entry.type);
  return `d${day} ${clock} ${who} ${type.padEnd(19).slice(0, 19)} ${entry.version ? `v${entry.version}`.padEnd(4) : '    '} ${entry.text}`;
}
