/**
 * Says once, loudly, whether the PostgreSQL half of the suite runs. CI sets
 * MISSION_REQUIRE_POSTGRES=1, which turns a missing database into a failure instead of a skip.
 */
export default function setup(): void {
  const url = process.env.MISSION_TEST_DATABASE_URL;
  if (url) {
    process.stdout.write(`\n[mission-control] storage tests run on SQLite and on PostgreSQL (${url.replace(/\/\/[^@]*@/, '//')})\n\n`);
    return;
  }
  if (process.env.MISSION_REQUIRE_POSTGRES === '1') {
    throw new Error('MISSION_REQUIRE_POSTGRES=1 but MISSION_TEST_DATABASE_URL is not set: the PostgreSQL half of the suite cannot run.');
  }
  process.stdout.write(
    '\n' +
      '[mission-control] ************************************************************\n' +
      '[mission-control] MISSION_TEST_DATABASE_URL is not set: PostgreSQL tests are SKIPPED.\n' +
      '[mission-control] Run with MISSION_TEST_DATABASE_URL=postgres://127.0.0.1:5432/test\n' +
      '[mission-control] ************************************************************\n\n',
  );
}
