// What people see of notifications (SPEC "Notifications"; http-api.md "Notifications"): the admins'
// delivery log and captured outbox, the in-app bell, a recipient's own email/SMS switches, and the
// one-click unsubscribe page. Pure: the routes' schemas (the browser infers its types from them),
// the words the pages use, and the rule of which kinds an opt-out stops.
import { z } from 'zod';
import { encodeActivityCursor, logCursorParam } from './activity';

export const NOTIFICATION_KINDS = ['received', 'held', 'delivered', 'reminder'] as const;
export const NOTIFICATION_CHANNELS = ['email', 'sms', 'slack', 'teams', 'inapp'] as const;
export const NOTIFICATION_STATUSES = ['queued', 'sent', 'failed', 'captured'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * The kind on the wire. Rows written before the delivery pipeline named kinds after the package
 * event (`package_received`, …); they read as the short names.
 */
export function wireKind(stored: string): NotificationKind {
  const k = stored.replace(/^package_/, '');
  return (NOTIFICATION_KINDS as readonly string[]).includes(k) ? (k as NotificationKind) : 'received';
}

/** The stored kinds that read as `kind` (filtering the log by kind finds the old names too). */
export const storedKinds = (kind: NotificationKind): string[] => (kind === 'reminder' ? ['reminder'] : [kind, `package_${kind}`]);

/**
 * Which messages a switch stops. A recipient's email (or SMS) switch is theirs: off means no
 * message on that channel at all, transactional ones (received, held, delivered) included (SPEC:
 * "Recipients can turn off email/SMS in their profile"); the one-click link in a reminder turns off
 * that same switch, and its page says so before the click. A user's own "only what is needed"
 * (users.emailOptOut, privacy policy §8) stops only the non-essential kind: reminders.
 */
export const isNonEssential = (kind: NotificationKind) => kind === 'reminder';

export const KIND_LABELS: Record<NotificationKind, string> = {
  received: 'Package received',
  held: 'Package held',
  delivered: 'Package delivered',
  reminder: 'Package reminder',
};
export const CHANNEL_LABELS: Record<NotificationChannel, string> = {
  email: 'Email',
  sms: 'SMS',
  slack: 'Slack',
  teams: 'Teams',
  inapp: 'In-app',
};
export const STATUS_LABELS: Record<NotificationStatus, string> = {
  queued: 'Queued',
  sent: 'Sent',
  failed: 'Failed',
  captured: 'Captured',
};

// ---- The delivery log (admins) -------------------------------------------------------------

export const NOTIFICATION_PAGE_DEFAULT = 50;
export const NOTIFICATION_PAGE_MAX = 200;

export const encodeNotificationCursor = encodeActivityCursor;

export const notificationLogQuery = z.strictObject({
  status: z.enum(NOTIFICATION_STATUSES).optional(),
  channel: z.enum(NOTIFICATION_CHANNELS).optional(),
  kind: z.enum(NOTIFICATION_KINDS).optional(),
  cursor: logCursorParam.optional(),
  limit: z.coerce.number().int().min(1).max(NOTIFICATION_PAGE_MAX).optional(),
});
export type NotificationLogQuery = z.infer<typeof notificationLogQuery>;

export const notificationLogItem = z.object({
  id: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  channel: z.enum(NOTIFICATION_CHANNELS),
  to: z.string().nullable().describe('Email address, phone number, the Slack/Teams feed, or the user (in-app)'),
  status: z.enum(NOTIFICATION_STATUSES),
  packageId: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  recipientId: z.string().nullable(),
  recipientName: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  error: z.string().nullable().describe('The provider’s reason when failed'),
  attempts: z.number().int(),
  hasMessage: z.boolean().describe('Whether the rendered message is kept (GET /api/notifications/{id} shows it)'),
});
export type NotificationLogItem = z.infer<typeof notificationLogItem>;

export const notificationLogPage = z.object({ items: z.array(notificationLogItem), nextCursor: z.string().nullable() });
export type NotificationLogPage = z.infer<typeof notificationLogPage>;

export const notificationMessage = notificationLogItem.extend({
  subject: z.string().nullable(),
  bodyText: z.string().nullable(),
  bodyHtml: z.string().nullable(),
});
export type NotificationMessage = z.infer<typeof notificationMessage>;

export const notificationIdParam = z.object({ id: z.string().uuid() });

// ---- The bell (every signed-in member) -----------------------------------------------------

export const BELL_PAGE_DEFAULT = 20;
export const BELL_PAGE_MAX = 100;

export const bellQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(BELL_PAGE_MAX).optional() });

export const bellItem = z.object({
  id: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  packageId: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type BellItem = z.infer<typeof bellItem>;

export const bellPage = z.object({ items: z.array(bellItem), unread: z.number().int() });
export type BellPage = z.infer<typeof bellPage>;

export const markReadInput = z.union([
  z.strictObject({ ids: z.array(z.string().uuid()).min(1).max(BELL_PAGE_MAX) }),
  z.strictObject({ all: z.literal(true) }),
]);
export type MarkReadInput = z.infer<typeof markReadInput>;

export const markReadResult = z.object({ unread: z.number().int() });

/** What the bell's badge says: a count, "99+" past that. */
export const unreadBadge = (unread: number) => (unread <= 0 ? '' : unread > 99 ? '99+' : String(unread));

/**
 * How long the bell waits before asking again: `base` while answers come, doubling with each
 * failure in a row (offline, server away) up to `max`, so a device without network stays quiet.
 */
export function bellPollDelay(failures: number, base = 30_000, max = 10 * 60_000): number {
  return Math.min(max, base * 2 ** Math.max(0, Math.min(failures, 20)));
}

// ---- A recipient's own switches (every signed-in user) -------------------------------------

export const myRecipientEntry = z.object({
  facilityId: z.string(),
  facilityName: z.string(),
  recipientId: z.string(),
  name: z.string(),
  email: z.string(),
  hasPhone: z.boolean().describe('SMS can only reach an entry with a phone number'),
  notifyEmail: z.boolean(),
  notifySms: z.boolean(),
});
export type MyRecipientEntry = z.infer<typeof myRecipientEntry>;
export const myRecipients = z.object({ emailVerified: z.boolean(), entries: z.array(myRecipientEntry) });
export type MyRecipients = z.infer<typeof myRecipients>;

export const myRecipientPatch = z
  .strictObject({
    facilityId: z.string().uuid(),
    recipientId: z.string().uuid(),
    notifyEmail: z.boolean().optional(),
    notifySms: z.boolean().optional(),
  })
  .refine((p) => p.notifyEmail !== undefined || p.notifySms !== undefined, { message: 'Say which switch: notifyEmail or notifySms' });
export type MyRecipientPatch = z.infer<typeof myRecipientPatch>;

// ---- One-click unsubscribe (no session) ----------------------------------------------------

export const UNSUBSCRIBE_CHANNELS = ['email', 'sms'] as const;
export type UnsubscribeChannel = (typeof UNSUBSCRIBE_CHANNELS)[number];

export const unsubscribeTokenParam = z.object({ token: z.string().min(1).max(200) });

export const unsubscribeState = z.object({
  channel: z.enum(UNSUBSCRIBE_CHANNELS),
  facilityName: z.string(),
  subscribed: z.boolean().describe('Whether messages on this channel still go out'),
});
export type UnsubscribeState = z.infer<typeof unsubscribeState>;
