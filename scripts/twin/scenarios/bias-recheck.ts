/**
 * Bias re-check in production: v1 passed its fairness gates at registration; months later the young applicants
 * reaching the lender are much more indebted than those it was trained on, and the model, doing what it learned,
 * declines far more of them. The hourly check computes disparate impact and DPPL per age group from the captured
 * requests and their scores, finds the four-fifths band broken, and raises the same alert as drift (DriftDetected,
 * in the ledger and to on-call). Retraining does not follow from a bias finding: people decide.
 */
import { approveInConsole } from './people';
import { decisionsOf, type Scenario } from './run';
import { applicants, HOUR, MINUTE, phaseOf, push, startProductionTraffic, waitForPhase } from './steps';

export const biasRecheck: Scenario = {
  name: 'bias-recheck',
  title: 'Bias re-check: fairness is watched in production too',
  description:
    'v1 passed its fairness gates; then young applicants arrive much more indebted, and the live model declines far more of them. The hourly re-check computes DI and DPPL per age group from the captured scores, finds the four-fifths band broken and alerts, without retraining on its own.',
  async run(run) {
    await push(run, 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678');
    await waitForPhase(run, 1, ['AwaitingApproval'], 2 * HOUR);
    await approveInConsole(run, 1, 'Validation pack VP-101 reviewed');
    await waitForPhase(run, 1, ['Live'], 2 * HOUR);
    const traffic = startProductionTraffic(run);
    await run.wait(2 * HOUR);
    run.mark('driftStart');
    run.note('young applicants arriving are much more indebted than in the training data');
    traffic.shift(applicants({ youngApplicantStress: 0.5 }, 70_000));
    await run.wait(3 * HOUR + 15 * MINUTE);
    traffic.stop();
  },
  async check(result) {
    const problems: string[] = [];
    const findings = decisionsOf(result, 'DriftDetected') as { features: { feature: string; method: string; distance: number; drifted: boolean }[] }[];
    const bias = findings.flatMap((f) => f.features).filter((f) => f.method === 'bias-di' && f.feature.startsWith('age_group=18-25'));
    if (bias.length === 0) problems.push('the re-check did not find the broken four-fifths band for 18-25');
    if (bias.some((f) => f.distance >= 0.8)) problems.push(`a reported DI is inside the band: ${JSON.stringify(bias)}`);
    if (decisionsOf(result, 'RetrainRequested').length > 0) problems.push('a bias finding started a retrain');
    if ((await phaseOf(result, 1)) !== 'Live') problems.push('v1 is no longer Live');
    return problems;
  },
};
