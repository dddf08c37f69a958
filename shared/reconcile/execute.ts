/**
 * Executes the actions `decide` returned, in order, through the ports. Each action is idempotent; domain events
 * are published together at the end, so a failed action publishes nothing and the retry decides afresh.
 */
import type { DomainEvent } from '../contracts/domain-events';
import type { Action } from '../lifecycle/actions';
import type { GroupStatus } from '../lifecycle/model';
import { judgeSmokeTest, withSmokeTest, type SmokeResponse } from '../lifecycle/smoke-test';
import type { Clock, Endpoints, EventBus, Registry, Scorer, StateStore } from './ports';

/**
 * How the registered model reads its `text/csv` input: numeric columns as they are, then one 0/1 column per
 * category of each categorical feature, in this order (`pipeline/steps/config.json`, generated from the training
 * pipeline's one source, so the smoke test and the model cannot disagree).
 */
export interface ModelInputSchema {
  numeric: string[];
  categorical: Record<string, string[]>;
  /** The encoded column names, in order; the encoding below must produce exactly these. */
  features: string[];
}

/** Sample applications for the staging smoke test (`events/smoke-test/applications.json`), raw as an applicant gives them. */
export interface SmokeSamples {
  schema: ModelInputSchema;
  applications: Record<string, string | number>[];
}

export interface ExecuteDeps {
  state: StateStore;
  registry: Registry;
  endpoints: Endpoints;
  scorer: Scorer;
  bus: EventBus;
  clock: Clock;
  smokeSamples: SmokeSamples;
}

/** Rows per smoke-test call: several calls give a latency figure that is not one lucky request. */
const ROWS_PER_CALL = 2;

/** The encoded column names the schema's encoding produces, in order. */
export function encodedColumns(schema: ModelInputSchema): string[] {
  return [...schema.numeric, ...Object.entries(schema.categorical).flatMap(([name, values]) => values.map((v) => `${name}_${v}`))];
}

/** One application as the model's CSV row: numerics, then one-hot categoricals. */
function encode(schema: ModelInputSchema, row: Record<string, string | number>): (string | number)[] {
  return [
    ...schema.numeric.map((n) => row[n] ?? ''),
    ...Object.entries(schema.categorical).flatMap(([name, values]) => values.map((v) => (row[name] === v ? 1 : 0))),
  ];
}

/** CSV rows in the model's input layout. */
export function toCsv(samples: SmokeSamples, rows: Record<string, string | number>[]): string {
  return rows.map((row) => encode(samples.schema, row).join(',')).join('\n');
}

async function smokeTest(deps: ExecuteDeps, action: Extract<Action, { type: 'SmokeTest' }>) {
  const responses: SmokeResponse[] = [];
  const apps = deps.smokeSamples.applications;
  for (let i = 0; i < apps.length; i += ROWS_PER_CALL) {
    const rows = apps.slice(i, i + ROWS_PER_CALL);
    const answer = await deps.scorer.score(action.endpointName, toCsv(deps.smokeSamples, rows));
    responses.push({ sent: rows.length, ...answer });
  }
  return judgeSmokeTest(responses, action.limits, action.endpointConfigName, deps.clock.now());
}

/** Runs the actions; returns the status with action outcomes (smoke tests) recorded on it. */
export async function execute(deps: ExecuteDeps, actions: Action[], status: GroupStatus): Promise<GroupStatus> {
  let next = status;
  const events: DomainEvent[] = [];
  for (const action of actions) {
    switch (action.type) {
      case 'RejectPackage':
      case 'ApprovePackage':
        await deps.registry.setApproval({
          modelPackageArn: action.modelPackageArn,
          status: action.type === 'RejectPackage' ? 'Rejected' : 'Approved',
          reason: action.reason,
          clientToken: action.clientToken,
        });
        break;
      case 'DeployEndpoint':
        // Index first: the endpoint's events and alarms must find their group from the moment it exists.
        await deps.state.registerEndpoint(action.spec.endpointName, status.group);
        await deps.endpoints.deploy(action.spec);
        break;
      case 'DeleteEndpoint':
        await deps.endpoints.delete(action.endpointName);
        break;
      case 'SmokeTest':
        next = withSmokeTest(next, action.version, await smokeTest(deps, action));
        break;
      case 'PublishEvent':
        events.push(action.event);
        break;
    }
  }
  if (events.length > 0) await deps.bus.publish(events);
  return next;
}
