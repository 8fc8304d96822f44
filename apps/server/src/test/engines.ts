import { describe } from 'vitest';
import type { Engine } from '../db/database.js';

export const postgresTestUrl = process.env.MISSION_TEST_DATABASE_URL;
const postgresRequired = process.env.MISSION_REQUIRE_POSTGRES === '1';

/** Runs a suite once per storage engine; PostgreSQL is skipped (loudly) only when not required. */
export function describeEachEngine(name: string, suite: (engine: Engine) => void): void {
  describe(`${name} [sqlite]`, () => suite('sqlite'));
  if (postgresTestUrl) {
    describe(`${name} [postgres]`, () => suite('postgres'));
  } else if (postgresRequired) {
    describe(`${name} [postgres]`, () => {
      throw new Error('MISSION_REQUIRE_POSTGRES=1 but MISSION_TEST_DATABASE_URL is not set');
    });
  } else {
    describe.skip(`${name} [postgres] (skipped: MISSION_TEST_DATABASE_URL not set)`, () => suite('postgres'));
  }
}
