// The owner's billing emails (issue 11): 3 days before the trial ends, on turning read-only, 7 days
// and 1 day before deletion. Billing off (no Stripe keys): nothing turns read-only, so nothing is sent.
//
// Sent once, however many processes run the job: the job runs under an advisory lock, and below
// that each notice is claimed by inserting its (facility, kind, due) row — unique — in a committed
// transaction BEFORE the email goes out; only the inserter sends. The email is sent outside any
// transaction (a slow provider holds no locks), then the row is marked sent; a failed send gives the
// claim back so the next run retries. A process that dies between claim and send leaves a claim
// that another run takes over after CLAIM_STALE_MS: a rare late duplicate is better than a
// deletion warning that never arrives.
import { noticesToSend, type SubscriptionState } from '../../../src/lib/domain/billing.ts';
import { billingNoticeEmail } from '../../../src/lib/domain/billing-notice-email.ts';
import type { Deps } from '../context.ts';
import { billingEnabled } from '../env.ts';
import {
  claimBillingNotice,
  listBillingNotices,
  listFacilitiesForNotices,
  markBillingNoticeSent,
  releaseBillingNotice,
} from '../repositories/billing-notices.ts';
import { newId } from './ids.ts';

export const CLAIM_STALE_MS = 15 * 60_000;

/** Sends the notices due at `now`; answers how many emails went out. */
export async function sendBillingNotices(deps: Deps, now: Date): Promise<number> {
  if (!billingEnabled(deps.env)) return 0;
  let sent = 0;
  for (const f of await listFacilitiesForNotices(deps.db.prisma)) {
    const owner = f.organization.owner;
    if (!f.subscription || owner.deletedAt || !owner.email) continue;
    const sub: SubscriptionState = f.subscription;
    // The claim clock is the real one (how long a sender has been silent), not the job's `now`.
    const staleBefore = new Date(Date.now() - CLAIM_STALE_MS);
    const rows = await deps.db.withFacility(f.id, (tx) => listBillingNotices(tx, f.id));
    const settled = (kind: string, dueAt: Date) =>
      rows.some((r) => r.kind === kind && r.dueAt.getTime() === dueAt.getTime() && (r.sentAt || r.createdAt >= staleBefore));
    for (const n of noticesToSend(sub, now, (n) => settled(n.kind, n.dueAt))) {
      const id = await deps.db.withFacility(f.id, (tx) => claimBillingNotice(tx, { id: newId(), facilityId: f.id, ...n }, staleBefore));
      if (!id) continue;
      const email = billingNoticeEmail(n.kind, sub, f, deps.env.PUBLIC_ORIGIN);
      try {
        await deps.mailer.send({ to: owner.email, ...email });
      } catch (e) {
        await deps.db.withFacility(f.id, (tx) => releaseBillingNotice(tx, f.id, id));
        console.error(`[jobs] billing notice ${n.kind} for facility ${f.id} not sent:`, (e as Error).message);
        continue;
      }
      await deps.db.withFacility(f.id, (tx) => markBillingNoticeSent(tx, f.id, id, new Date()));
      sent++;
    }
  }
  return sent;
}
