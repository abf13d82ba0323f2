// Access by subscription state (SPEC "billing"; privacy policy §6): a 10-day trial from the
// facility's creation; a trial ended without subscribing, or a cancellation once it takes effect,
// gives 30 days read-only, then deletion (day 40 after the trial's start). A failed payment keeps
// the facility writable for a short grace, then read-only until it is paid or Stripe cancels.
// Read-only means everything can be viewed and exported, nothing changed.
//
// Every rule here counts in exact 24-hour days from instants, so it is the same in every time
// zone and across daylight-saving changes; only what people read (days left on a banner) is
// counted in the facility's calendar (`calendarDaysLeft`).
import { localDate } from './zoned-time';

export const TRIAL_DAYS = 10;
export const READ_ONLY_DAYS = 30;
/** Days a facility with a failed payment stays writable before it turns read-only. */
export const PAST_DUE_GRACE_DAYS = 7;
/** $80 per facility per month (Stripe's price carries the amount; this is what the page says). */
export const MONTHLY_PRICE_CENTS = 8000;
export const DAY_MS = 24 * 3600 * 1000;

/** What is stored (the subscriptions table). `expired` is kept for old rows and reads as a trial's end. */
export type SubscriptionStatus = 'trialing' | 'active' | 'past_due' | 'canceled' | 'expired';
export type AccessMode = 'full' | 'read_only' | 'pending_deletion';
/** What GET /api/billing answers (http-api.md fixes these five). */
export type BillingStatus = 'trialing' | 'active' | 'past_due' | 'read_only' | 'canceled';

export interface SubscriptionState {
  status: SubscriptionStatus;
  trialEndsAt: Date;
  /** The end of the paid period; for a cancelled subscription, when the cancellation took effect. */
  currentPeriodEnd: Date | null;
  canceledAt: Date | null;
  /** When the first payment that is still unpaid failed (past_due). */
  pastDueSince?: Date | null;
  /** An active subscription set to end at its period's end (Stripe's cancel_at_period_end). */
  cancelAtPeriodEnd?: boolean;
}

const plus = (d: Date, days: number) => new Date(d.getTime() + days * DAY_MS);

export const trialEndFor = (facilityCreatedAt: Date) => plus(facilityCreatedAt, TRIAL_DAYS);

/**
 * When writes stop, if nothing changes: the trial's end, a cancellation's effective date, or the
 * end of a failed payment's grace. Null while paid (or in grace with no end yet known).
 */
export function readOnlyFrom(s: SubscriptionState): Date | null {
  switch (s.status) {
    case 'active':
      return null;
    case 'past_due':
      return s.pastDueSince ? plus(s.pastDueSince, PAST_DUE_GRACE_DAYS) : null;
    case 'canceled':
      return s.currentPeriodEnd ?? s.canceledAt ?? s.trialEndsAt;
    case 'trialing':
    case 'expired':
      return s.trialEndsAt;
  }
}

/**
 * When the facility's data is deleted, if nothing changes: 30 days after read-only began — day 40
 * of a trial, 30 days after a cancellation took effect. A facility read-only for an unpaid invoice
 * is not deleted on a clock of ours: Stripe cancels it after its retries, and that starts the 30 days.
 */
export function deletionDueAt(s: SubscriptionState): Date | null {
  if (s.status === 'active' || s.status === 'past_due') return null;
  const from = readOnlyFrom(s);
  return from && plus(from, READ_ONLY_DAYS);
}

export function accessMode(s: SubscriptionState, now: Date): AccessMode {
  const from = readOnlyFrom(s);
  if (!from || now < from) return 'full';
  const deletion = deletionDueAt(s);
  if (deletion && now >= deletion) return 'pending_deletion';
  return 'read_only';
}

/** The contract's status: what the facility is in now. */
export function billingStatus(s: SubscriptionState, now: Date): BillingStatus {
  if (accessMode(s, now) !== 'full') return 'read_only';
  if (s.status === 'expired') return 'read_only';
  return s.status;
}

export interface BillingTimeline {
  status: BillingStatus;
  access: AccessMode;
  trialEndsAt: Date;
  /** When the facility turned (or will turn) read-only; null while paid. */
  readOnlySince: Date | null;
  /** When its data is (or will be) deleted; null while paid or past due. */
  deleteAfter: Date | null;
}

export function billingTimeline(s: SubscriptionState, now: Date): BillingTimeline {
  return {
    status: billingStatus(s, now),
    access: accessMode(s, now),
    trialEndsAt: s.trialEndsAt,
    readOnlySince: readOnlyFrom(s),
    deleteAfter: deletionDueAt(s),
  };
}

/**
 * Days left until `until`, counted in the facility's calendar: 0 on the day itself, 1 the day
 * before. What a banner says ("3 days left"), so it changes at local midnight, not at the hour
 * the trial began.
 */
export function calendarDaysLeft(until: Date, now: Date, timeZone: string): number {
  const a = Date.parse(`${localDate(now, timeZone)}T00:00:00Z`);
  const b = Date.parse(`${localDate(until, timeZone)}T00:00:00Z`);
  return Math.max(0, Math.round((b - a) / DAY_MS));
}

/** The owner's emails about time (issue 11): before the trial ends, on read-only, before deletion. */
export type BillingNoticeKind = 'trial_ending' | 'read_only' | 'deletion_in_7_days' | 'deletion_in_1_day';

export interface BillingNotice {
  kind: BillingNoticeKind;
  /** When it becomes due; with the kind, it names the notice once (a new cycle has new dates). */
  dueAt: Date;
}

/** Every notice of the current timeline, due or not; the job sends those due and never sent. */
export function billingNotices(s: SubscriptionState): BillingNotice[] {
  const out: BillingNotice[] = [];
  if (s.status === 'trialing') out.push({ kind: 'trial_ending', dueAt: plus(s.trialEndsAt, -3) });
  const from = readOnlyFrom(s);
  const deletion = deletionDueAt(s);
  if (from) out.push({ kind: 'read_only', dueAt: from });
  if (deletion) {
    out.push({ kind: 'deletion_in_7_days', dueAt: plus(deletion, -7) });
    out.push({ kind: 'deletion_in_1_day', dueAt: plus(deletion, -1) });
  }
  return out;
}

/**
 * The notices to send now: due, not sent, and not overtaken — when a later notice of the same
 * timeline is already due (a job that did not run for days), only the latest one goes out.
 */
export function noticesToSend(s: SubscriptionState, now: Date, sent: (n: BillingNotice) => boolean): BillingNotice[] {
  const due = billingNotices(s).filter((n) => n.dueAt <= now);
  const latest = due.at(-1);
  return latest && !sent(latest) ? [latest] : [];
}
