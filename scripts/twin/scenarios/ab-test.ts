/**
 * Experiments (issue 6). The Live champion and a challenger share production as two variants (A/B) or the challenger
 * scores a mirrored copy of every request as a shadow variant; the loan book reports each approved applicant's true
 * outcome once it matures; the experiment judge looks every minute. `ab-test-wins`: the champion was trained on
 * noisy labels, the challenger on clean ones, so the challenger's approvals really default less; the efficacy test
 * switches all traffic to it. `ab-test-harm`: the challenger is the one trained on noisy labels (40 % flipped); the
 * harm test, reading the early harm label (30+ days past due, maturing in a quarter of the time), stops it.
 * `shadow-test`: the champion was trained on noisy labels, the challenger on clean ones; the challenger ranks
 * defaulters better on the same applications (paired DeLong) and goes through the production canary.
 */
import type { DomainEventDetail } from '../../../shared/contracts/domain-events';
import { challenge } from '../../mlops/commands/challenge';
import { makeSqsReconcileQueue } from '../../../shared/aws/sqs-reconcile-queue';
import { sqsClient } from '../../../shared/aws/clients';
import { startLoanBook } from '../loan-book';
import type { TrainingOptions } from '../ml/logistic';
import { MODEL_SCHEMA } from '../ml/schema';
import { startTraffic } from '../traffic';
import { approveInConsole, packageArn, RISK_OFFICER } from './people';
import { decisionsOf, type Scenario, type ScenarioResult, type ScenarioRun } from './run';
import { applicants, HOUR, MINUTE, phaseOf, productionEndpoint, push, waitForPhase } from './steps';

/** Outcomes mature an hour after the decision: a day in production, shortened so the demo runs in seconds. */
const MATURITY_DAYS = 1 / 24;

/** The early harm label of ab-test-harm: it matures in a quarter of the label's time. */
const EARLY_HARM = { label: 'dpd30_m3', maturityDays: MATURITY_DAYS / 4 };

/** Noisy labels weaken a model below the default AUC gate: these scenarios are about production, not the gates. */
const POLICY = { gates: { minAuc: 0.6, minKs: 0.05 }, experiment: { labelMaturityDays: MATURITY_DAYS } };

interface ExperimentSetup {
  champion: TrainingOptions;
  challenger: TrainingOptions;
  /** Policy `experiment` settings beside the maturity. */
  experiment?: Record<string, unknown>;
  /** `--share`: 50 % of production (A/B), or every request mirrored (shadow). */
  share: number;
  reason: string;
}

/** What a model's training leaves out, for the timeline. */
function trainingNote(training: TrainingOptions): string | undefined {
  if (training.labelNoise) return `${training.labelNoise * 100} % of its labels flipped`;
  if (training.dropFeatures?.length) return `without ${training.dropFeatures.join(', ')}`;
  return undefined;
}

/** v1 Live, then v2 challenging it until the judge decides. */
async function runExperiment(run: ScenarioRun, setup: ExperimentSetup): Promise<void> {
  const experiment: Record<string, unknown> = { labelMaturityDays: MATURITY_DAYS, ...setup.experiment };
  await run.world.manage(run.group, { ...POLICY, experiment });
  run.note(`the group policy lets outcomes mature after ${MATURITY_DAYS * 24} hour(s) (experiment.labelMaturityDays)`);
  const early = experiment.earlyHarmLabel as typeof EARLY_HARM | undefined;
  if (early) run.note(`the harm test reads the early harm label ${early.label}, mature after ${early.maturityDays * 24 * 60} minutes (experiment.earlyHarmLabel)`);
  if (experiment.mode === 'shadow') run.note('the policy says a challenger must not decide (experiment.mode shadow)');
  await push(run, '1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e', { training: setup.champion });
  const championNote = trainingNote(setup.champion);
  if (championNote) run.note(`v1 is trained with ${championNote}`, 1);
  await waitForPhase(run, 1, ['AwaitingApproval'], 2 * HOUR);
  await approveInConsole(run, 1, 'Validation pack VP-301 reviewed');
  await waitForPhase(run, 1, ['Live'], 2 * HOUR);
  const endpoint = productionEndpoint(run);
  run.note(`applicants' requests reach ${endpoint} (60 a minute, 20 applications each)`);
  const traffic = startTraffic(run.world, { endpointName: endpoint, schema: MODEL_SCHEMA, applications: applicants(), requestsPerMinute: 60, rowsPerRequest: 20 });
  const book = startLoanBook(run.world, traffic, {
    group: run.group,
    outcomesUri: run.world.runtime.environment.OUTCOMES_S3_URI!,
    label: 'default_90d',
    maturityMs: MATURITY_DAYS * 24 * HOUR,
    ...(early ? { earlyLabel: { label: early.label, maturityMs: early.maturityDays * 24 * HOUR } } : {}),
  });
  await push(run, '2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f', { data: { seed: 12 }, training: setup.challenger });
  const challengerNote = trainingNote(setup.challenger);
  if (challengerNote) run.note(`v2 is trained with ${challengerNote}`, 2);
  await waitForPhase(run, 2, ['AwaitingApproval'], 2 * HOUR);
  const requested = await challenge(
    { state: run.world.state, queue: makeSqsReconcileQueue(sqsClient({ region: run.world.twin.context.region }), { queueUrl: run.world.runtime.environment.RECONCILE_QUEUE_URL! }), clock: { now: () => run.world.twin.clock.iso() } },
    { group: run.group, packageArn: packageArn(run, 2), share: String(setup.share), reason: setup.reason, operator: RISK_OFFICER },
  );
  run.note(`npm run mlops -- challenge ${run.group} ${packageArn(run, 2)} --share ${setup.share}: ${requested.output.split('\n')[0]}`, 2);
  await approveInConsole(run, 2, `Validation pack VP-302 reviewed; challenge v1 (${setup.share} %)`);
  await waitForPhase(run, 2, ['Live', 'Rejected'], 12 * HOUR, 10 * MINUTE);
  run.note(`the loan book reported ${book.reported()} matured outcomes`);
  traffic.stop();
  book.stop();
}

/** The concluded experiment's event, and the problems common to both scenarios. */
function experimentProblems(result: ScenarioResult, decision: string): string[] {
  const problems: string[] = [];
  const started = decisionsOf(result, 'ChallengerStarted') as { version: number }[];
  if (!started.some((e) => e.version === 2)) problems.push('no ChallengerStarted for v2');
  const looks = decisionsOf(result, 'ExperimentJudged') as { decision: string }[];
  if (!looks.some((l) => l.decision === decision)) problems.push(`no ExperimentJudged ${decision} verdict (decisions: ${[...new Set(looks.map((l) => l.decision))].join(', ') || 'none'})`);
  const concluded = decisionsOf(result, 'ExperimentConcluded') as { decision: string }[];
  if (!concluded.some((c) => c.decision === decision)) problems.push(`no ExperimentConcluded ${decision}`);
  if (!result.ledger.some((o) => o.body.includes('"ExperimentJudged"'))) problems.push('no ExperimentJudged record in the audit ledger');
  return problems;
}

export const abTestWins: Scenario = {
  name: 'ab-test-wins',
  title: 'A/B test: a challenger whose approvals default less takes production',
  description: 'v1 (trained on 30 % flipped labels) is Live; v2 (clean labels) challenges it on half of production; as outcomes mature the efficacy test finds v2\'s approvals default less, all traffic moves to v2 and it becomes Live.',
  async run(run) {
    await runExperiment(run, { champion: { labelNoise: 0.3 }, challenger: { labelNoise: 0 }, share: 50, reason: 'Challenger trained on the reviewed labels' });
  },
  async check(result) {
    const problems = experimentProblems(result, 'challenger-wins');
    const [v1, v2] = [await phaseOf(result, 1), await phaseOf(result, 2)];
    if (v2 !== 'Live') problems.push(`v2 is ${v2}, not Live`);
    if (v1 !== 'Superseded') problems.push(`v1 is ${v1}, not Superseded`);
    return problems;
  },
};

export const abTestHarm: Scenario = {
  name: 'ab-test-harm',
  title: 'A/B test: a challenger whose approvals default more is stopped by the harm test',
  description:
    'v1 is Live; v2 (trained on 40 % flipped labels) challenges it on half of production; the always-valid harm test, reading the early harm label (30+ days past due, maturing in a quarter of the time), finds its approvals more delinquent; all traffic returns to v1 and v2 ends Rejected.',
  async run(run) {
    await runExperiment(run, { champion: { labelNoise: 0 }, challenger: { labelNoise: 0.4 }, experiment: { earlyHarmLabel: EARLY_HARM }, share: 50, reason: 'Challenger trained on the reviewed labels' });
  },
  async check(result) {
    const problems = experimentProblems(result, 'stop-harm');
    const stop = (decisionsOf(result, 'ExperimentJudged') as DomainEventDetail<'ExperimentJudged'>[]).find((l) => l.decision === 'stop-harm');
    if (stop && stop.earlyHarm?.label !== EARLY_HARM.label) problems.push(`the harm verdict did not read the early harm label ${EARLY_HARM.label}`);
    const [v1, v2] = [await phaseOf(result, 1), await phaseOf(result, 2)];
    if (v1 !== 'Live') problems.push(`v1 is ${v1}, not Live`);
    if (v2 !== 'Rejected') problems.push(`v2 is ${v2}, not Rejected`);
    return problems;
  },
};

export const shadowTest: Scenario = {
  name: 'shadow-test',
  title: 'Shadow test: a challenger that decides nothing wins on the paired AUC, then earns production through the canary',
  description:
    'The policy says a challenger must not decide. v1 (trained on 30 % flipped labels) is Live; v2 scores a mirrored copy of every production request as a shadow variant; as outcomes of v1\'s approvals mature, the paired DeLong test finds v2 ranks defaulters better on the same applications; v2 goes through the production canary and becomes Live.',
  async run(run) {
    await runExperiment(run, {
      champion: { labelNoise: 0.3 },
      challenger: {},
      experiment: { mode: 'shadow', plannedDefaults: 400 },
      share: 100,
      reason: 'Challenger trained on the reviewed labels',
    });
  },
  async check(result) {
    const problems = experimentProblems(result, 'challenger-wins');
    const looks = decisionsOf(result, 'ExperimentJudged') as DomainEventDetail<'ExperimentJudged'>[];
    const win = looks.find((l) => l.decision === 'challenger-wins');
    if (win && (win.mode !== 'shadow' || !win.shadow || win.shadow.challengerAuc <= win.shadow.championAuc)) problems.push('the winning look is not a shadow look with a higher challenger AUC');
    if (decisionsOf(result, 'ExperimentJudged').some((l) => (l as { decision: string }).decision === 'stop-harm')) problems.push('a shadow test was stopped for harm');
    const canary = decisionsOf(result, 'CanaryStarted') as { version: number }[];
    if (!canary.some((c) => c.version === 2)) problems.push('v2 did not go through the production canary after winning');
    const [v1, v2] = [await phaseOf(result, 1), await phaseOf(result, 2)];
    if (v2 !== 'Live') problems.push(`v2 is ${v2}, not Live`);
    if (v1 !== 'Superseded') problems.push(`v1 is ${v1}, not Superseded`);
    return problems;
  },
};
