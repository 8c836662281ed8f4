/**
 * The scenario table the HAR fixtures are audited against
 * (test/fixtures/scenarios.json, written by `npm run fixtures`): every live
 * e2e expects the same check ids of the same demo variant.
 */
import { readFileSync } from 'node:fs';

export interface Scenario {
  name: string;
  description: string;
  expect: string[];
  flows: number;
  kinds: string[];
  active: string[];
  profile?: string;
}

export const scenarios: Scenario[] = JSON.parse(readFileSync(new URL('../../fixtures/scenarios.json', import.meta.url), 'utf8'));
