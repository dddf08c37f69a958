/**
 * Executes the actions `decide` returned, in order, through the ports. Each action is idempotent; domain events
 * are published together at the end, so a failed action publishes nothing and the retry decides afresh.
 */
import type { DomainEvent } from '../contracts/domain-events';
import { applicationsToCsv, type Application, type ModelInputSchema } from '../contracts/model-input';
import type { Action } from '../lifecycle/actions';
import type { GroupStatus } from '../lifecycle/model';
import { judgeSmokeTest, withSmokeTest, type SmokeResponse } from '../lifecycle/smoke-test';
import { classifyError, messageOf, RetryableError, TerminalError } from '../runtime/errors';
import type { Clock, Endpoints, EventBus, Pipelines, Registry, Scorer, StateStore, TrainingTarget } from './ports';

/** Sample applications for the staging smoke test (`events/smoke-test/applications.json`), raw as an applicant gives them. */
export interface SmokeSamples {
  schema: ModelInputSchema;
  applications: Application[];
}

export interface ExecuteDeps {
  state: StateStore;
  registry: Registry;
  endpoints: Endpoints;
  scorer: Scorer;
  bus: EventBus;
  clock: Clock;
  smokeSamples: SmokeSamples;
  pipelines?: Pipelines;
  training?: TrainingTarget;
}

/** Starts a drift retraining run with the parameters the build would give it, plus why (description, report). */
async function startRetraining(deps: ExecuteDeps, group: string, action: Extract<Action, { type: 'StartRetraining' }>): Promise<string> {
  if (!deps.pipelines || !deps.training) throw new TerminalError('StartRetraining without a configured training pipeline (TRAINING_PIPELINE_NAME)');
  if (!action.commitId) throw new TerminalError(`Cannot retrain ${group}: the Live version records no commit to train with`);
  const started = await deps.pipelines.startExecution({
    pipelineName: deps.training.pipelineName,
    clientToken: action.clientToken,
    displayName: `retrain-${group}`.slice(0, 82),
    description: `Drift retraining of ${group} for the window ending ${action.triggerWindowEnd}: ${action.reason}${action.reportUri ? `. Drift report: ${action.reportUri}` : ''}`.slice(0, 3072),
    parameters: {
      ModelPackageGroupName: group,
      CommitId: action.commitId,
      InputDataUri: `${deps.training.dataPrefix}${group}/`,
      CodeUri: `${deps.training.codePrefix}${action.commitId}/`,
      // The pipeline's Trigger parameter: why this run exists (a parameter value holds at most 1,024 characters).
      Trigger: `drift:${action.reportUri ?? `window ending ${action.triggerWindowEnd}`}`.slice(0, 1024),
    },
  });
  return started.executionArn;
}

/** The retraining state after a start that failed for good: nothing in flight, the cooldown starts now. */
function withRetrainingNotStarted(status: GroupStatus, clientToken: string, now: string): GroupStatus {
  if (!status.retraining || status.retraining.inFlight?.clientToken !== clientToken) return status;
  const { inFlight: _gone, ...rest } = status.retraining;
  return { ...status, retraining: { ...rest, lastEndedAt: now } };
}

/** The page for a retraining start that failed for good. */
function retrainStartFailed(group: string, action: Extract<Action, { type: 'StartRetraining' }>, message: string, now: string): DomainEvent {
  return {
    detailType: 'ReconcileFailed',
    detail: {
      schemaVersion: 1,
      eventKey: `${group}/retrain/${action.triggerWindowEnd}/ReconcileFailed`,
      modelGroup: group,
      occurredAt: now,
      severity: 'error',
      reason: 'RetrainStartFailed',
      message: `Drift retraining of ${group} (window ending ${action.triggerWindowEnd}) could not start and was given up; the cooldown runs from now: ${message}`.slice(0, 2000),
    },
  };
}

/**
 * SageMaker's refusals a resend cannot fix (a quota, a refused shape). Not our own RetryableError (in progress, not
 * yet visible), and not an authorization failure: that is the control plane's own misconfiguration, which must not
 * reject a challenger; it fails the reconcile and reaches the DLQ and on-call as before.
 */
const REFUSED_FOR_GOOD = new Set(['ValidationException', 'ResourceLimitExceeded']);

function refusedForGood(error: unknown): boolean {
  return !(error instanceof RetryableError) && REFUSED_FOR_GOOD.has((error as { name?: string })?.name ?? '');
}

/** The experiment running on `endpointConfigName`, marked refused with SageMaker's message; undefined if none is. */
function withExperimentRefused(status: GroupStatus, endpointConfigName: string, message: string): GroupStatus | undefined {
  if (status.experiment?.endpointConfigName !== endpointConfigName) return undefined;
  return { ...status, experiment: { ...status.experiment, deployError: message.slice(0, 1000) } };
}

/** The retraining state with the started run's ARN on its in-flight entry. */
function withRetrainingRun(status: GroupStatus, clientToken: string, executionArn: string): GroupStatus {
  const inFlight = status.retraining?.inFlight;
  if (!status.retraining || inFlight?.clientToken !== clientToken) return status;
  return { ...status, retraining: { ...status.retraining, inFlight: { ...inFlight, executionArn } } };
}

/** Rows per smoke-test call: several calls give a latency figure that is not one lucky request. */
const ROWS_PER_CALL = 2;

/** CSV rows in the model's input layout. */
export function toCsv(samples: SmokeSamples, rows: Application[]): string {
  return applicationsToCsv(samples.schema, rows);
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
        try {
          await deps.endpoints.deploy(action.spec);
        } catch (error) {
          // An experiment must not hold the lifecycle hostage either: a config SageMaker refuses for good (a quota,
          // a refused shape) is recorded on the experiment, and the next reconcile ends the test with the reason.
          const refused = action.spec.challenger && refusedForGood(error) ? withExperimentRefused(next, action.spec.endpointConfigName, messageOf(error)) : undefined;
          if (!refused) throw error;
          next = refused;
        }
        break;
      case 'DeleteEndpoint':
        await deps.endpoints.delete(action.endpointName);
        break;
      case 'UpdateEndpointWeights':
        await deps.endpoints.updateWeights(action.endpointName, action.weights);
        break;
      case 'SmokeTest':
        next = withSmokeTest(next, action.version, await smokeTest(deps, action));
        break;
      case 'StartRetraining':
        // Retraining must never hold the group's lifecycle hostage: a start that cannot succeed (the pipeline gone,
        // a quota, a refused parameter) is reported and given up, and the rest of the decision is saved.
        try {
          next = withRetrainingRun(next, action.clientToken, await startRetraining(deps, status.group, action));
        } catch (error) {
          if (classifyError(error) === 'retryable') throw error;
          next = withRetrainingNotStarted(next, action.clientToken, deps.clock.now());
          events.push(retrainStartFailed(status.group, action, messageOf(error), deps.clock.now()));
        }
        break;
      case 'PublishEvent':
        events.push(action.event);
        break;
    }
  }
  if (events.length > 0) await deps.bus.publish(events);
  return next;
}
