/**
 * The model dossier (DESIGN §6, issue 5): everything an auditor asks about one model version, gathered from the
 * group's audit ledger (verified on the way) and, when reachable, the registry's description of the package.
 * Pure: the caller reads the ledger's objects and describes the package; this builds the data model that
 * `dossier-html.ts` renders and the CLI writes as JSON.
 *
 * Which records speak of the version: those whose detail names it (`version`), and rollbacks to it (`toVersion`);
 * group-wide records (a failed training pipeline, drift and retraining) are listed in their own section.
 */
import type { DomainEventDetail } from '../contracts/domain-events';
import type { BiasFigures, GateFigures } from '../lifecycle/gates';
import type { GateResult, Lineage } from '../lifecycle/model';
import type { RegisteredPackage } from '../reconcile/ports';
import { hashOf, readRecord, verifyChain, type Evidence, type LedgerRecord, type RecordActor, type StoredObject } from './ledger';

/** Where the registry's description came from, or why there is none. */
export type RegistryView = { reachable: true; package: RegisteredPackage } | { reachable: false; reason: string };

export interface DossierInput {
  packageArn: string;
  /** When the dossier was built (ISO 8601). */
  generatedAt: string;
  /** Where the ledger was read (`s3://bucket/ledger/`, a directory). */
  ledgerSource: string;
  /** Every object under `ledger/<group>/`, with its exact bytes. */
  objects: readonly StoredObject[];
  registry: RegistryView;
}

/** One ledger record as the dossier lists it. */
export interface DossierRecord {
  key: string;
  sequence: number;
  kind: string;
  occurredAt: string;
  recordedAt: string;
  summary: string;
  actor: RecordActor;
  evidence: Evidence[];
  /** SHA-256 of the record's stored bytes: what the next record links to. */
  sha256: string;
  /** Whether the chain is whole up to and including this record. */
  verified: boolean;
}

export interface GateEntry {
  sequence: number;
  /** Whether the chain vouches for the record this entry comes from. */
  verified: boolean;
  at: string;
  passed: boolean;
  results: GateResult[];
  thresholds?: GateFigures['thresholds'];
  /** The reports the gates read, with the SHA-256 of their bytes. */
  evidence: { report: string; uri: string; sha256: string }[];
}

export interface ApprovalEntry {
  sequence: number;
  /** Whether the chain vouches for the record this entry comes from. */
  verified: boolean;
  at: string;
  kind: 'requested' | 'approved' | 'rejected' | 'unverified';
  environment?: string;
  /** Who decided (the approver's or rejecter's IAM identity), or who acted without being a verified approver. */
  actor?: { arn: string; kind: string; source?: string };
  reason: string;
}

export interface TimelineEntry {
  sequence: number;
  /** Whether the chain vouches for the record this entry comes from. */
  verified: boolean;
  at: string;
  kind: string;
  summary: string;
}

export interface Dossier {
  schemaVersion: 1;
  generatedAt: string;
  subject: { modelGroup: string; version: number; packageArn: string };
  sources: { ledger: string; registry: 'reachable' | 'unreachable'; note: string };
  ledger: {
    whole: boolean;
    /** Records verified from the genesis record on (all of them when whole). */
    recordsVerified: number;
    head?: { sequence: number; sha256: string };
    break?: { key: string; code: string; reason: string };
    recordsOfVersion: number;
  };
  lineage: { source: 'registry' | 'ledger' | 'none'; value?: Lineage };
  gates: GateEntry[];
  bias: BiasFigures[];
  /** Global SHAP values per label, largest |value| first. */
  shap: { label: string; features: { feature: string; value: number }[] }[];
  approvals: ApprovalEntry[];
  /** Deployments, canaries, promotions and rollbacks of the version, in ledger order. */
  deployments: TimelineEntry[];
  /** Group-wide history: failed training pipelines, drift and retraining. */
  driftAndRetraining: TimelineEntry[];
  registry?: {
    approvalStatus: string;
    approvalDescription?: string;
    lastModifiedBy?: string;
    lastModifiedAt?: string;
    createdAt: string;
    reportUris: RegisteredPackage['reportUris'];
  };
  records: DossierRecord[];
}

const PACKAGE_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:\d{12}:model-package\/([a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62})\/(\d+)$/;

/** Group and version of a versioned model package ARN; undefined for anything else. */
export function parsePackageArn(arn: string): { modelGroup: string; version: number } | undefined {
  const match = PACKAGE_ARN.exec(arn);
  return match ? { modelGroup: match[1]!, version: Number(match[2]) } : undefined;
}

const DEPLOYMENT_KINDS = new Set(['DeploymentStarted', 'StagingVerified', 'CanaryStarted', 'ModelPromoted', 'RollbackPerformed']);
/** Group-wide kinds of the drift and retraining story (the latter two arrive with the drift issue). */
const GROUP_HISTORY = /^(PipelineFailed|Drift\w*|Retrain\w*)$/;

type Detail = Record<string, unknown> & { version?: number; toVersion?: number };

/** Whether a record speaks of `version`: its detail names it, or a rollback went to it. */
function concerns(record: LedgerRecord, version: number): boolean {
  const detail = record.detail as Detail | null;
  return detail !== null && (detail.version === version || (record.kind === 'RollbackPerformed' && detail.toVersion === version));
}

function approvalOf(record: LedgerRecord, verified: boolean): ApprovalEntry | undefined {
  const at = record.occurredAt;
  const base = { sequence: record.sequence, verified, at };
  switch (record.kind) {
    case 'ApprovalRequested': {
      const d = record.detail as DomainEventDetail<'ApprovalRequested'>;
      return { ...base, kind: 'requested', environment: d.environment, reason: `Gates: ${d.gates.summary}` };
    }
    case 'ModelApproved': {
      const d = record.detail as DomainEventDetail<'ModelApproved'>;
      return { ...base, kind: 'approved', environment: d.environment, actor: d.approver, reason: d.reason };
    }
    case 'ModelRejected': {
      const d = record.detail as DomainEventDetail<'ModelRejected'>;
      return { ...base, kind: 'rejected', actor: d.rejectedBy, reason: d.reasons.join('; ') };
    }
    case 'ApprovalUnverified': {
      const d = record.detail as DomainEventDetail<'ApprovalUnverified'>;
      return { ...base, kind: 'unverified', environment: d.environment, ...(d.actor ? { actor: d.actor } : {}), reason: d.reason };
    }
    default:
      return undefined;
  }
}

function gateOf(record: LedgerRecord, verified: boolean): GateEntry {
  const d = record.detail as DomainEventDetail<'ModelGated'>;
  return {
    sequence: record.sequence,
    verified,
    at: record.occurredAt,
    passed: d.passed,
    results: d.results,
    ...(d.figures ? { thresholds: d.figures.thresholds } : {}),
    evidence: d.evidence ?? [],
  };
}

function shapOf(figures: GateFigures | undefined): Dossier['shap'] {
  return Object.entries(figures?.shap ?? {}).map(([label, values]) => ({
    label,
    features: Object.entries(values)
      .map(([feature, value]) => ({ feature, value }))
      .sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || (a.feature < b.feature ? -1 : 1)),
  }));
}

/** Every readable record with its key and stored hash, in key order (unreadable objects are in the verdict). */
function readAll(objects: readonly StoredObject[]): { key: string; record: LedgerRecord; sha256: string }[] {
  return [...objects]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .flatMap(({ key, bytes }) => {
      const read = readRecord(bytes);
      return read.ok ? [{ key, record: read.record, sha256: hashOf(bytes) }] : [];
    });
}

function sourcesNote(registry: RegistryView): string {
  return registry.reachable
    ? 'Built from the audit ledger and the model registry\'s description of the package.'
    : `Built from the ledger records alone: the model registry was not consulted (${registry.reason}). Lineage, gates and approvals are as the control plane recorded them.`;
}

/**
 * The dossier of the version `input.packageArn` names.
 * @throws Error when the ARN is not a versioned model package ARN
 */
export function buildDossier(input: DossierInput): Dossier {
  const subject = parsePackageArn(input.packageArn);
  if (!subject) throw new Error(`Not a versioned model package ARN (…:model-package/<group>/<version>): ${input.packageArn}`);
  const verdict = verifyChain(input.objects);
  // A link that does not match exposes a change to the record BEFORE it too: neither is vouched for.
  const verifiedUpTo = verdict.ok ? Number.POSITIVE_INFINITY : verdict.code === 'previous-hash-mismatch' ? verdict.records - 1 : verdict.records;
  const all = readAll(input.objects);
  const ofVersion = all.filter(({ record }) => concerns(record, subject.version));
  const groupHistory = all.filter(({ record }) => GROUP_HISTORY.test(record.kind) && !concerns(record, subject.version));
  const gatedRecords = ofVersion.filter(({ record }) => record.kind === 'ModelGated').map(({ record }) => record);
  const lastGated = gatedRecords.at(-1)?.detail as DomainEventDetail<'ModelGated'> | undefined;
  const vouched = (record: LedgerRecord): boolean => record.sequence < verifiedUpTo;
  const timeline = (entries: typeof all): TimelineEntry[] =>
    entries.map(({ record }) => ({ sequence: record.sequence, verified: vouched(record), at: record.occurredAt, kind: record.kind, summary: record.summary }));

  const registry = input.registry.reachable ? input.registry.package : undefined;
  const lineage: Dossier['lineage'] = registry
    ? { source: 'registry', value: registry.lineage }
    : lastGated?.lineage
      ? { source: 'ledger', value: lastGated.lineage }
      : { source: 'none' };

  const listed = [...ofVersion, ...groupHistory].sort((a, b) => a.record.sequence - b.record.sequence);
  return {
    schemaVersion: 1,
    generatedAt: input.generatedAt,
    subject: { ...subject, packageArn: input.packageArn },
    sources: { ledger: input.ledgerSource, registry: input.registry.reachable ? 'reachable' : 'unreachable', note: sourcesNote(input.registry) },
    ledger: {
      whole: verdict.ok,
      recordsVerified: verdict.records,
      ...(verdict.ok && verdict.head ? { head: { sequence: verdict.head.sequence, sha256: verdict.head.hash } } : {}),
      ...(verdict.ok ? {} : { break: { key: verdict.key, code: verdict.code, reason: verdict.reason } }),
      recordsOfVersion: ofVersion.length,
    },
    lineage,
    gates: gatedRecords.map((record) => gateOf(record, vouched(record))),
    bias: lastGated?.figures?.bias ?? [],
    shap: shapOf(lastGated?.figures),
    approvals: ofVersion.flatMap(({ record }) => approvalOf(record, vouched(record)) ?? []),
    deployments: timeline(ofVersion.filter(({ record }) => DEPLOYMENT_KINDS.has(record.kind))),
    driftAndRetraining: timeline(groupHistory),
    ...(registry
      ? {
          registry: {
            approvalStatus: registry.approvalStatus,
            ...(registry.approvalDescription === undefined ? {} : { approvalDescription: registry.approvalDescription }),
            ...(registry.lastModifiedBy === undefined ? {} : { lastModifiedBy: registry.lastModifiedBy }),
            ...(registry.lastModifiedAt === undefined ? {} : { lastModifiedAt: registry.lastModifiedAt }),
            createdAt: registry.createdAt,
            reportUris: registry.reportUris,
          },
        }
      : {}),
    records: listed.map(({ key, record, sha256 }) => ({
      key,
      sequence: record.sequence,
      kind: record.kind,
      occurredAt: record.occurredAt,
      recordedAt: record.recordedAt,
      summary: record.summary,
      actor: record.actor,
      evidence: record.evidence,
      sha256,
      verified: vouched(record),
    })),
  };
}
