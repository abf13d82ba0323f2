// `npm run jobs -- --once [--now <ISO instant>]` (http-api.md "Scheduled work"): runs every job that
// is due (notifications, reminders, purges) and exits; `--now` runs them as if it were that time,
// refused in production.
import { buildDeps } from './deps.ts';
import { loadEnv } from './env.ts';
import { runJobsOnce } from './jobs.ts';
import type { DeletionHooks } from './services/delete-facility.ts';

const args = process.argv.slice(2);
const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};
if (!args.includes('--once')) fail('usage: npm run jobs -- --once [--now <ISO instant>]  (npm start runs the jobs on their schedule)');
const nowAt = args.indexOf('--now');
let now = new Date();
if (nowAt >= 0) {
  const text = args[nowAt + 1] ?? '';
  now = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(now.getTime()))
    fail(`--now needs an ISO instant such as 2026-12-01T09:00:00Z, not "${text}"`);
}

let env;
try {
  env = loadEnv();
} catch (e) {
  fail((e as Error).message);
}
if (nowAt >= 0 && env!.NODE_ENV === 'production') fail('--now is refused when NODE_ENV=production: production jobs run at the real time');

// A test's handle on a crash (tests/server/lifecycle-crash.test.ts): the facility deletion stops at
// this point and waits, so the test can SIGKILL the process mid-deletion. Never in production.
const pauseAt = process.env.PTP_TEST_PAUSE_DELETION_AT;
if (pauseAt && env!.NODE_ENV === 'production') fail('PTP_TEST_PAUSE_DELETION_AT is a test hook, refused when NODE_ENV=production');
const deletionHooks: DeletionHooks | undefined = pauseAt
  ? {
      async pause(at, facilityId) {
        if (at !== pauseAt) return;
        console.log(`[jobs] deletion of ${facilityId} paused at ${at}`);
        await new Promise(() => setInterval(() => {}, 60_000));
      },
    }
  : undefined;

const deps = await buildDeps(env!);
try {
  const ran = await runJobsOnce(deps, now, { deletionHooks });
  console.log(`Ran ${ran.join(', ') || 'nothing (another process holds every job)'} as of ${now.toISOString()}`);
} finally {
  await deps.db.close();
}
