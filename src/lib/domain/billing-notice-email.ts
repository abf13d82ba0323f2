// The owner's billing emails (issue 11): what each of billing.ts's notices says. Essential email
// (privacy policy: account and billing messages are not covered by "email me only what is needed"),
// plain text like the other account emails. Every date is the facility's calendar date, so an
// owner in Honolulu and one in Tokyo both read the day their own mailroom turns read-only.
import { deletionDueAt, readOnlyFrom, type BillingNoticeKind, type SubscriptionState } from './billing';
import { localDate } from './zoned-time';

export interface BillingNoticeEmail {
  subject: string;
  text: string;
}

/** "Friday, December 11, 2026": the calendar date of `instant` in the facility's zone. */
export function facilityDate(instant: Date, timeZone: string): string {
  const day = localDate(instant, timeZone);
  // The local date, named at noon UTC so no zone can move it to a neighbouring day.
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(
    new Date(`${day}T12:00:00Z`),
  );
}

export function billingNoticeEmail(
  kind: BillingNoticeKind,
  sub: SubscriptionState,
  facility: { name: string; timezone: string },
  origin: string,
): BillingNoticeEmail {
  const date = (d: Date | null) => (d ? facilityDate(d, facility.timezone) : 'a date not yet known');
  const readOnly = date(readOnlyFrom(sub));
  const deletion = date(deletionDueAt(sub));
  const subscribe = `Subscribe to keep using it: ${origin}/billing`;
  const exportLine = `Export your packages and directory before then: ${origin}/exports`;
  const signOff = `\n\nYou receive this email because you own the organization of ${facility.name} on PackageTrack Pro.`;
  switch (kind) {
    case 'trial_ending':
      return {
        subject: `${facility.name}: your free trial ends in 3 days`,
        text:
          `The free trial of ${facility.name} ends on ${readOnly}.\n\n${subscribe}\n\n` +
          `Without a subscription the facility turns read-only that day: everyone can still see and export its data, ` +
          `but nothing can be received or handed off. Its data is deleted permanently on ${deletion}.` +
          signOff,
      };
    case 'read_only':
      return {
        subject: `${facility.name} is now read-only`,
        text:
          `${facility.name} has been read-only since ${readOnly}: its packages, directory and history can still be seen ` +
          `and exported, but nothing can be received, held or handed off. Devices keep the work they could not send ` +
          `and send it once the facility is subscribed again.\n\n${subscribe}\n\n` +
          `Without a subscription, all of the facility's data (packages, photos, signatures, directory, team) is deleted ` +
          `permanently on ${deletion}.\n\n${exportLine}` +
          signOff,
      };
    case 'deletion_in_7_days':
    case 'deletion_in_1_day':
      return {
        subject: `${facility.name} will be deleted ${kind === 'deletion_in_1_day' ? 'tomorrow' : 'in 7 days'}`,
        text:
          `All of ${facility.name}'s data (packages, photos, signatures, directory, team and integrations) will be ` +
          `deleted permanently on ${deletion}. It cannot be recovered afterwards.\n\n${exportLine}\n\n` +
          `To keep the facility, subscribe: ${origin}/billing` +
          signOff,
      };
  }
}
