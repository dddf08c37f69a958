/** Every scenario of the twin, in the order `--list` shows them; the demo runs the default one. */
import { happyPath } from './happy-path';
import type { Scenario } from './run';

export const SCENARIOS: Scenario[] = [happyPath];

export const DEFAULT_SCENARIO = 'happy-path';
