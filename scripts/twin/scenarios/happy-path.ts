/** Happy path: from a git push to production, then a second version through a guarded canary under traffic. */
import { approveInConsole } from './people';
import type { Scenario } from './run';
import { HOUR, MINUTE, phaseOf, push, startProductionTraffic, waitForPhase } from './steps';

export const happyPath: Scenario = {
  name: 'happy-path',
  title: 'Happy path: from git push to production',
  description:
    'A push trains v1 on synthetic applications; it passes the gates, staging and its smoke test; a risk officer approves it and it goes live. A second push trains v2, which replaces it through a guarded canary while applicants are being scored.',
  async run(run) {
    await push(run, '4be1c0d3a9f8e7d6c5b4a3928170f6e5d4c3b2a1');
    await waitForPhase(run, 1, ['AwaitingApproval', 'Rejected'], 2 * HOUR);
    await run.wait(30 * MINUTE); // the risk officer reads the validation pack
    await approveInConsole(run, 1, 'Validation pack VP-101 reviewed: discrimination, fairness and explanations within policy');
    await waitForPhase(run, 1, ['Live'], 2 * HOUR);
    const traffic = startProductionTraffic(run);
    await run.wait(2 * HOUR);
    await push(run, '9d2e7f4c1b0a3e6d5c8b7a6f5e4d3c2b1a0f9e8d', { data: { seed: 11 } });
    await waitForPhase(run, 2, ['AwaitingApproval', 'Rejected'], 2 * HOUR);
    await run.wait(45 * MINUTE);
    await approveInConsole(run, 2, 'Validation pack VP-102 reviewed: retrained on the latest quarter');
    await waitForPhase(run, 2, ['Live', 'RolledBack'], 3 * HOUR);
    await run.wait(30 * MINUTE);
    traffic.stop();
  },
  async check(result) {
    const problems: string[] = [];
    const phases = [await phaseOf(result, 1), await phaseOf(result, 2)];
    if (phases[0] !== 'Superseded') problems.push(`v1 is ${phases[0]}, not Superseded`);
    if (phases[1] !== 'Live') problems.push(`v2 is ${phases[1]}, not Live`);
    return problems;
  },
};
