/**
 * Drift → retrain: the applicant population shifts (annual income centred on 520,000 instead of 450,000,
 * employment years bimodal); the hourly drift check finds it in the captured traffic, the drift persists, the
 * control plane retrains once (a re-run check and duplicated deliveries fold into the same run) and the new
 * version goes through gates, staging and approval to production.
 */
import { uploadApplications } from '../ml/push';
import { approveInConsole } from './people';
import { decisionsOf, type Scenario } from './run';
import { applicants, HOUR, MINUTE, phaseOf, push, startProductionTraffic, waitForPhase } from './steps';

/** The seed's case: income centre 450,000 → 520,000 and employment years bimodal. */
export const DRIFTED_POPULATION = { incomeMean: 520_000, employmentBimodal: true } as const;

export const driftRetrain: Scenario = {
  name: 'drift-retrain',
  title: 'Drift → retrain: the population shifts, the model follows',
  description:
    'v1 is live and scored; then applicants change (income centre 450,000 → 520,000, employment years bimodal). The hourly drift check finds it in the captured traffic, the drift persists, the control plane retrains once, and the retrained v2 goes to production after approval.',
  delivery: { duplicateRate: 0.2, seed: 5 },
  async run(run) {
    await push(run, '4be1c0d3a9f8e7d6c5b4a3928170f6e5d4c3b2a1');
    await waitForPhase(run, 1, ['AwaitingApproval'], 2 * HOUR);
    await run.wait(20 * MINUTE);
    await approveInConsole(run, 1, 'Validation pack VP-101 reviewed');
    await waitForPhase(run, 1, ['Live'], 2 * HOUR);
    const traffic = startProductionTraffic(run);
    await run.wait(3 * HOUR); // three quiet drift checks

    run.mark('driftStart');
    run.note('the applicant population shifts: income centre 450,000 → 520,000, employment years bimodal');
    traffic.shift(applicants(DRIFTED_POPULATION, 50_000));
    // This month's labelled applications reach the data lake: what a retraining run will learn from.
    await uploadApplications(run.world, run.group, { ...DRIFTED_POPULATION, seed: 21 });
    await waitForPhase(run, 2, ['Registered', 'Gated', 'DeployingStaging', 'StagingVerified', 'AwaitingApproval'], 6 * HOUR, 10 * MINUTE);
    // An operator re-runs the drift check by hand: the same window, reported again, starts nothing new.
    run.note('an operator re-runs the drift check for the same window');
    await run.world.runtime.invoke('drift-check', {});
    await run.settle();
    await waitForPhase(run, 2, ['AwaitingApproval', 'Rejected'], 2 * HOUR);
    await run.wait(30 * MINUTE);
    await approveInConsole(run, 2, 'Retrained on the shifted population; validation pack VP-102 reviewed');
    await waitForPhase(run, 2, ['Live', 'RolledBack'], 3 * HOUR);
    await run.wait(2 * HOUR); // the drift checks now compare with v2's own baseline
    traffic.stop();
  },
  async check(result) {
    const problems: string[] = [];
    const [v1, v2] = [await phaseOf(result, 1), await phaseOf(result, 2)];
    if (v1 !== 'Superseded') problems.push(`v1 is ${v1}, not Superseded`);
    if (v2 !== 'Live') problems.push(`v2 is ${v2}, not Live`);
    const requested = decisionsOf(result, 'RetrainRequested');
    if (requested.length !== 1) problems.push(`${requested.length} retraining runs were requested, not 1`);
    const drift = decisionsOf(result, 'DriftDetected').find((d) => d.version === 1) as { features: { feature: string; drifted: boolean }[] } | undefined;
    const drifted = drift?.features.filter((f) => f.drifted).map((f) => f.feature).sort();
    if (JSON.stringify(drifted) !== JSON.stringify(['annual_income', 'employment_years'])) problems.push(`drift found on ${JSON.stringify(drifted)}, not on annual_income and employment_years`);
    if (result.summary.driftDetectionMs === undefined || result.summary.driftDetectionMs > 24 * HOUR) problems.push('drift not detected within a day');
    return problems;
  },
};
