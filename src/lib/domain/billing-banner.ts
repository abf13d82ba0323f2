// What the app-wide billing banner says (issue 11): trial days left (to those who can subscribe or
// see the plan), a failed payment (admins and the owner), and read-only (everyone: it is why their
// changes wait). Days are counted in the facility's calendar from the last answer of
// GET /api/billing, so a device offline still counts down correctly.
import type { Billing } from './api-responses';
import { calendarDaysLeft } from './billing';

export interface BillingBanner {
  kind: 'trial' | 'past_due' | 'read_only';
  /** alert: writes are refused or about to be; status: information. */
  role: 'status' | 'alert';
  text: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function formatDay(iso: string, timeZone: string) {
  return new Intl.DateTimeFormat('en-US', { timeZone, month: 'long', day: 'numeric', year: 'numeric' }).format(new Date(iso));
}

/** The banner for `b` at `now`, or null (billing off, paid, or nothing this person needs to know). */
export function billingBanner(b: Billing, now: Date, seesPlan: boolean): BillingBanner | null {
  if (!b.enabled) return null;
  const tz = b.timezone;
  const readOnly = b.readOnlySince && new Date(b.readOnlySince) <= now && b.status !== 'active';
  if (readOnly || b.status === 'read_only') {
    const since = b.readOnlySince ? ` since ${formatDay(b.readOnlySince, tz)}` : '';
    const deletion = b.deleteAfter
      ? ` Its data will be deleted on ${formatDay(b.deleteAfter, tz)} (${plural(calendarDaysLeft(new Date(b.deleteAfter), now, tz), 'day')}).`
      : '';
    const ask = seesPlan
      ? ' Subscribe on the Billing page to record changes again.'
      : ' Ask the organization’s owner to renew the subscription.';
    return {
      kind: 'read_only',
      role: 'alert',
      text: `This facility is read-only${since}: everything can be viewed and exported, changes wait on this device.${deletion}${ask}`,
    };
  }
  if (!seesPlan) return null;
  if (b.status === 'past_due') {
    const until = b.writableUntil ? `; changes are saved until ${formatDay(b.writableUntil, tz)}` : '';
    return { kind: 'past_due', role: 'alert', text: `The last payment failed: update the card in Manage billing${until}.` };
  }
  if (b.status === 'trialing' && b.trialEndsAt) {
    const left = calendarDaysLeft(new Date(b.trialEndsAt), now, tz);
    const when = left === 0 ? 'ends today' : `has ${plural(left, 'day')} left (until ${formatDay(b.trialEndsAt, tz)})`;
    return { kind: 'trial', role: 'status', text: `Free trial ${when}. Subscribe to keep recording packages after it.` };
  }
  return null;
}
