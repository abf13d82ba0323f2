// The owner's billing emails (issue 11): 3 days before the trial ends, on read-only, 7 days and 1
// day before deletion — each exactly once across repeated runs, concurrent runs and two processes;
// a failed send is retried; none once the facility is paid (none with billing off: lifecycle.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../sync-server/src/context.ts';
import { buildDeps } from '../../sync-server/src/deps.ts';
import { runJobsOnce } from '../../sync-server/src/jobs.ts';
import type { Mailer } from '../../sync-server/src/mail/mailer.ts';
import { sendBillingNotices } from '../../sync-server/src/services/send-billing-notices.ts';
import { BILLING_ON, signUp, startTestApp, usingPglite, type TestApp } from './harness.ts';
import { DAY_MS, ownerSql, subscribe, trialEnd } from './lifecycle-world.ts';

let t: TestApp;
/** A second server process's parts on the same database (Postgres only: PGlite is one process's). */
let second: Deps | null = null;
beforeAll(async () => {
  t = await startTestApp(BILLING_ON);
  if (!usingPglite) second = await buildDeps({ ...t.deps.env }, { mailer: t.mailer });
}, 30_000);
afterAll(async () => {
  await second?.db.close();
  await t?.close();
});

const mailsTo = (email: string) => t.mailer.sent.filter((m) => m.to === email);
const dayOf = async (facilityId: string, n: number) => new Date((await trialEnd(t, facilityId)).getTime() + (n - 10) * DAY_MS);
const full = (d: Date, timeZone: string) => new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'full' }).format(d);

describe('the owner’s billing notices', () => {
  it('each goes out once, when due, in the facility’s calendar, however often and however concurrently the job runs', async () => {
    const o = await signUp(t);
    const zone = 'Pacific/Honolulu';
    await ownerSql(t, `UPDATE facilities SET timezone = $2 WHERE id = $1`, [o.facilityId, zone]);
    const day = (n: number) => dayOf(o.facilityId, n);
    const runs = async (n: number) => {
      const now = await day(n);
      await runJobsOnce(t.deps, now);
      // Two processes at once: the job lock lets one in; the claim would stop the other anyway.
      await Promise.all([runJobsOnce(t.deps, now), runJobsOnce(second ?? t.deps, now)]);
    };

    await runs(6.9);
    expect(mailsTo(o.body.email)).toEqual([]);
    await runs(7.1);
    await runs(7.5);
    await runs(10.1);
    await runs(20);
    await runs(33.1);
    await runs(39.1);
    await runs(39.9);
    const mails = mailsTo(o.body.email);
    expect(mails.map((m) => m.subject)).toEqual([
      `${o.body.facilityName}: your free trial ends in 3 days`,
      `${o.body.facilityName} is now read-only`,
      `${o.body.facilityName} will be deleted in 7 days`,
      `${o.body.facilityName} will be deleted tomorrow`,
    ]);

    const end = await trialEnd(t, o.facilityId);
    const deletion = new Date(end.getTime() + 30 * DAY_MS);
    expect(mails[0]!.text).toContain(`ends on ${full(end, zone)}`);
    expect(mails[0]!.text).toContain('http://localhost/billing');
    expect(mails[1]!.text).toContain(`deleted permanently on ${full(deletion, zone)}`);
    expect(mails[1]!.text).toContain('http://localhost/exports');
    for (const m of mails.slice(2)) {
      expect(m.text).toContain(`deleted permanently on ${full(deletion, zone)}`);
      expect(m.text).toContain('http://localhost/exports');
    }
    const rows = await ownerSql<{ kind: string; sentAt: Date | null }>(
      t,
      `SELECT kind, "sentAt" FROM billing_notices WHERE "facilityId" = $1 ORDER BY "dueAt"`,
      [o.facilityId],
    );
    expect(rows.map((r) => r.kind)).toEqual(['trial_ending', 'read_only', 'deletion_in_7_days', 'deletion_in_1_day']);
    expect(rows.every((r) => r.sentAt !== null)).toBe(true);
  }, 60_000);

  it('two senders racing past the job lock send one email: the claim decides', async () => {
    const o = await signUp(t);
    const now = await dayOf(o.facilityId, 10.5);
    const sent = await Promise.all([
      sendBillingNotices(t.deps, now),
      sendBillingNotices(second ?? t.deps, now),
      sendBillingNotices(t.deps, now),
    ]);
    expect(mailsTo(o.body.email).map((m) => m.subject)).toEqual([`${o.body.facilityName} is now read-only`]);
    expect(sent.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
  });

  it('a send the mail provider refused is tried again at the next run', async () => {
    const o = await signUp(t);
    const now = await dayOf(o.facilityId, 7.2);
    const refusing: Mailer = {
      delivers: true,
      send: async () => {
        throw new Error('provider down');
      },
    };
    expect(await sendBillingNotices({ ...t.deps, mailer: refusing }, now)).toBe(0);
    expect(await ownerSql(t, `SELECT 1 FROM billing_notices WHERE "facilityId" = $1`, [o.facilityId])).toEqual([]);
    await sendBillingNotices(t.deps, now);
    expect(mailsTo(o.body.email).map((m) => m.subject)).toEqual([`${o.body.facilityName}: your free trial ends in 3 days`]);
  });

  it('none once the facility is paid', async () => {
    const o = await signUp(t);
    await subscribe(t, o.facilityId);
    for (const n of [7.1, 10.1, 33.1, 39.1, 41]) await runJobsOnce(t.deps, await dayOf(o.facilityId, n));
    expect(mailsTo(o.body.email)).toEqual([]);
    expect(await ownerSql(t, `SELECT 1 FROM facilities WHERE id = $1`, [o.facilityId])).toHaveLength(1);
  }, 30_000);
});
