// What each notification says (SPEC "Notifications") and when a reminder is due: one place for the
// words and the rules, so the email, the SMS, the facility feed, the in-app bell and the captured
// outbox all say the same thing. The server turns a notice into MJML/HTML; nothing here knows about
// providers.
import { carrierLabel } from './carriers';
import { inQuietHours, type QuietHours } from './facility-settings';
import { HOLD_REASONS, type HoldReason } from './handoff';
import { localDateTime } from './zoned-time';

export const NOTIFICATION_KINDS = ['received', 'held', 'delivered', 'reminder'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Received, held and delivered are transactional; reminders are non-essential (privacy policy §8). */
export const isEssential = (kind: NotificationKind) => kind !== 'reminder';

export interface NoticePackage {
  trackingNumber: string;
  carrier: string;
  sender?: string | null;
  /** Where it waits: the location's name (and building/floor), and the shelf. */
  location?: string | null;
  shelf?: string | null;
  /** Why it is held (a HOLD_REASONS key) and the mailroom's words: shown only when the facility allows it. */
  holdReason?: string | null;
  holdNote?: string | null;
  receivedAt: string | Date;
}

export interface NoticeInput {
  kind: NotificationKind;
  facilityName: string;
  recipientName: string;
  timeZone: string;
  packages: NoticePackage[];
  /** Delivered: who collected it, and when. */
  deliveredTo?: string | null;
  deliveredAt?: string | Date | null;
  /** Held: whether the hold note may be shown to the recipient. */
  showHoldNote?: boolean;
}

export interface NoticeItem {
  title: string;
  details: string[];
}

export interface Notice {
  subject: string;
  greeting: string;
  /** The message, a paragraph each. */
  paragraphs: string[];
  items: NoticeItem[];
  /** Pickup locations of the packages listed, once each. */
  pickup: string[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const lastDigits = (tracking: string) => (tracking.length > 8 ? `…${tracking.slice(-6)}` : tracking);
const when = (instant: string | Date | null | undefined, timeZone: string) => localDateTime(instant, timeZone).slice(0, 16);

function pickupOf(p: NoticePackage): string | null {
  const parts = [p.location, p.shelf ? `shelf ${p.shelf}` : null].filter(Boolean);
  return parts.length ? parts.join(', ') : null;
}

/** The hold in words: the reason from the list (unless "Other") and the note. */
function holdWords(p: NoticePackage): string | null {
  const reason = p.holdReason && p.holdReason !== 'other' ? (HOLD_REASONS[p.holdReason as HoldReason] ?? null) : null;
  return [reason, p.holdNote?.trim()].filter(Boolean).join(': ') || null;
}

function itemOf(p: NoticePackage, input: NoticeInput): NoticeItem {
  const details = [`Tracking ${p.trackingNumber}`];
  if (p.sender) details.push(`From ${p.sender}`);
  details.push(`Logged ${when(p.receivedAt, input.timeZone)}`);
  const pickup = pickupOf(p);
  if (pickup && input.kind !== 'delivered') details.push(`Pick up at ${pickup}`);
  const hold = input.kind === 'held' && input.showHoldNote ? holdWords(p) : null;
  if (hold) details.push(`Note from the mailroom: ${hold}`);
  return { title: carrierLabel(p.carrier), details };
}

/** The words of one notification about one or more packages of one recipient. */
export function notice(input: NoticeInput): Notice {
  const n = input.packages.length;
  const at = input.facilityName;
  const items = input.packages.map((p) => itemOf(p, input));
  const pickup = input.kind === 'delivered' ? [] : [...new Set(input.packages.map(pickupOf).filter((x): x is string => Boolean(x)))];
  const greeting = `Hello ${input.recipientName},`;
  switch (input.kind) {
    case 'received':
      return {
        subject: n === 1 ? `A package is waiting for you at ${at}` : `${n} packages are waiting for you at ${at}`,
        greeting,
        paragraphs: [
          `${n === 1 ? 'A package has' : `${n} packages have`} arrived for you at ${at}.`,
          pickup.length ? 'Collect it where it waits, listed below.' : 'Collect it from the mailroom.',
        ],
        items,
        pickup,
      };
    case 'held':
      return {
        subject: `${n === 1 ? 'Your package is' : `${n} of your packages are`} on hold at ${at}`,
        greeting,
        paragraphs: [
          `The mailroom at ${at} is holding ${n === 1 ? 'a package' : `${n} packages`} for you.`,
          'Please contact the mailroom.',
        ],
        items,
        pickup,
      };
    case 'delivered': {
      const to = input.deliveredTo?.trim() || input.recipientName;
      return {
        subject: `${n === 1 ? 'Your package was' : `${n} packages were`} handed over at ${at}`,
        greeting,
        paragraphs: [
          `${n === 1 ? 'Your package was' : `${plural(n, 'package')} were`} handed to ${to} on ${when(input.deliveredAt, input.timeZone)}.`,
        ],
        items,
        pickup,
      };
    }
    case 'reminder':
      return {
        subject: `Reminder: ${n === 1 ? 'a package is' : `${n} packages are`} still waiting for you at ${at}`,
        greeting,
        paragraphs: [
          `${n === 1 ? 'A package is' : `${n} packages are`} still waiting for you at ${at}.`,
          'Please collect it when you can.',
        ],
        items,
        pickup,
      };
  }
}

/** The plain-text body (the email's text part, the captured outbox's text view). */
export function noticeText(n: Notice, footer: { facilityName: string; unsubscribeUrl?: string | null }): string {
  const lines = [n.greeting, '', ...n.paragraphs.flatMap((p) => [p, ''])];
  for (const item of n.items) lines.push(`- ${item.title}`, ...item.details.map((d) => `  ${d}`));
  lines.push('', `${footer.facilityName} mailroom`);
  if (footer.unsubscribeUrl) lines.push('', `Stop these reminders: ${footer.unsubscribeUrl}`);
  return lines.join('\n');
}

/** A short message (SMS): who it is from and what to do, without tracking numbers. */
export function noticeShort(input: NoticeInput): string {
  const n = input.packages.length;
  const what = n === 1 ? 'a package' : `${n} packages`;
  const pickup = notice(input).pickup;
  const where = pickup.length ? ` at ${pickup.join('; ')}` : '';
  switch (input.kind) {
    case 'received':
      return `${input.facilityName}: ${what} arrived for you${where}.`;
    case 'held':
      return `${input.facilityName}: the mailroom is holding ${what} for you. Please contact the mailroom.`;
    case 'delivered':
      return `${input.facilityName}: ${what} handed to ${input.deliveredTo?.trim() || input.recipientName}.`;
    case 'reminder':
      return `${input.facilityName}: reminder, ${what} still waiting for you${where}.`;
  }
}

/** A post in the facility's Slack or Teams channel: the mailroom's feed, never to one person. */
export function feedLine(input: NoticeInput): string {
  const n = input.packages.length;
  const carriers = [...new Set(input.packages.map((p) => carrierLabel(p.carrier)))].join(', ');
  const tracking = input.packages.map((p) => lastDigits(p.trackingNumber)).join(', ');
  const verb = { received: 'received for', held: 'on hold for', delivered: 'handed over for', reminder: 'still waiting for' }[input.kind];
  return `${plural(n, 'package')} ${verb} ${input.recipientName} (${carriers}: ${tracking})`;
}

/**
 * Whether a recipient is due a reminder: one of their packages has waited at least the interval,
 * and their last reminder (if any) is at least the interval old.
 */
export function reminderDue(o: {
  waitingSince: (string | Date)[];
  lastReminderAt: string | Date | null;
  intervalHours: number;
  now: Date;
}): boolean {
  const interval = o.intervalHours * 3600_000;
  const now = o.now.getTime();
  const ms = (d: string | Date) => (typeof d === 'string' ? Date.parse(d) : d.getTime());
  if (!o.waitingSince.some((d) => now - ms(d) >= interval)) return false;
  return o.lastReminderAt == null || now - ms(o.lastReminderAt) >= interval;
}

/** Whether reminders may go out at `now` in the facility's time zone (never in its quiet hours). */
export function mayRemindAt(now: Date, timeZone: string, quiet: QuietHours): boolean {
  return !inQuietHours(quiet, localDateTime(now, timeZone).slice(11, 16));
}
