/**
 * The whole loop, the demo's default: a push trains v1, which passes its gates, staging and a human approval and
 * goes live; applicants are scored. A second push trains v2, whose container is slower: its guarded canary trips
 * the p99 latency alarm and the traffic goes back to v1, on-call is paged. Then the applicant population shifts;
 * the hourly drift check finds it in the captured traffic, the drift persists, the control plane retrains, and the
 * retrained v3 passes its gates and approval and replaces v1 through a canary.
 */
import { uploadApplications } from '../ml/push';
import { DRIFTED_POPULATION } from './drift-retrain';
import { approveInConsole, packageArn } from './people';
import { decisionsOf, type Scenario } from './run';
import { applicants, HOUR, MINUTE, phaseOf, push, startProductionTraffic, waitForPhase } from './steps';

export const fullLoop: Scenario = {
  name: 'full-loop',
  title: 'The whole loop: push, gates, approval, canary, rollback, drift, retrain, production',
  description:
    'v1 from a git push to production through gates, staging and a human approval; v2, slower, is stopped by its canary and rolled back; the applicant population shifts, the drift check finds it, the control plane retrains, and v3 goes to production.',
  async run(run) {
    await push(run, '4be1c0d3a9f8e7d6c5b4a3928170f6e5d4c3b2a1');
    await waitForPhase(run, 1, ['AwaitingApproval'], 2 * HOUR);
    await run.wait(20 * MINUTE);
    await approveInConsole(run, 1, 'Validation pack VP-101 reviewed: discrimination, fairness and explanations within policy');
    await waitForPhase(run, 1, ['Live'], 2 * HOUR);
    const traffic = startProductionTraffic(run, {}, 30);
    await run.wait(1 * HOUR);

    await push(run, '9d2e7f4c1b0a3e6d5c8b7a6f5e4d3c2b1a0f9e8d', { data: { seed: 11 } });
    await waitForPhase(run, 2, ['AwaitingApproval'], 2 * HOUR);
    run.note("v2's container is slower: every request takes 260 ms (a heavier feature transformation)", 2);
    run.world.scoring.setModelBehaviour(packageArn(run, 2), { latencyMs: 260 });
    await approveInConsole(run, 2, 'Validation pack VP-102 reviewed');
    await waitForPhase(run, 2, ['Live', 'RolledBack'], 2 * HOUR, 2 * MINUTE);
    await run.wait(40 * MINUTE);

    run.mark('driftStart');
    run.note('the applicant population shifts: income centre 450,000 → 520,000, employment years bimodal');
    traffic.shift(applicants(DRIFTED_POPULATION, 50_000));
    await uploadApplications(run.world, run.group, { ...DRIFTED_POPULATION, seed: 21 });
    await waitForPhase(run, 3, ['AwaitingApproval', 'Rejected'], 6 * HOUR, 10 * MINUTE);
    await run.wait(30 * MINUTE);
    await approveInConsole(run, 3, 'Retrained on the shifted population; validation pack VP-103 reviewed');
    await waitForPhase(run, 3, ['Live', 'RolledBack'], 3 * HOUR);
    await run.wait(1 * HOUR);
    traffic.stop();
  },
  async check(result) {
    const problems: string[] = [];
    const phases = [await phaseOf(result, 1), await phaseOf(result, 2), await phaseOf(result, 3)];
    if (JSON.stringify(phases) !== JSON.stringify(['Superseded', 'RolledBack', 'Live'])) problems.push(`phases v1–v3 are ${JSON.stringify(phases)}, not Superseded, RolledBack, Live`);
    if (decisionsOf(result, 'RetrainRequested').length !== 1) problems.push('not exactly one retraining run');
    if (!result.world.pagerDuty.events.some((e) => e.action === 'trigger' && e.dedupKey.startsWith('rollback:'))) problems.push('on-call was not paged for the rollback');
    for (const [name, value] of Object.entries({ leadTimeMs: result.summary.leadTimeMs, rollbackTimeMs: result.summary.rollbackTimeMs, driftDetectionMs: result.summary.driftDetectionMs })) {
      if (value === undefined) problems.push(`the summary has no ${name}`);
    }
    return problems;
  },
};
