// The facility's activity log (who did what, when, on which device): every package event and every
// change to the facility itself (its directory, its team, its settings: audit_events), newest first,
// filtered by person, action and the facility's own days, read page by page with an opaque cursor.
// Pure: the route's query schema and cursor, the answer's shape, and the page's words.
import { z } from 'zod';
import { calendarDate } from './zoned-time';

/** The package events the log can be filtered by (package-words.ts names them in the timeline). */
export const PACKAGE_ACTIVITY_TYPES = [
  'received',
  'updated',
  'held',
  'delivered',
  'returned',
  'reopened',
  'photo_attached',
  'deleted',
  'receive_undone',
  'handoff_refused',
] as const;
export type PackageActivityType = (typeof PACKAGE_ACTIVITY_TYPES)[number];

/** Changes to the facility itself, recorded by the server in the same transaction as the change. */
export const AUDIT_TYPES = [
  'recipient_created',
  'recipient_changed',
  'recipient_deleted',
  'recipient_merged',
  'department_created',
  'department_changed',
  'department_deleted',
  'location_created',
  'location_changed',
  'location_deleted',
  'member_invited',
  'invitation_resent',
  'invitation_revoked',
  'member_role_changed',
  'member_removed',
  'settings_changed',
] as const;
export type AuditType = (typeof AUDIT_TYPES)[number];

/** What an audit entry was done to. */
export const AUDIT_SUBJECTS = ['recipient', 'department', 'location', 'member', 'invitation', 'facility'] as const;
export type AuditSubject = (typeof AUDIT_SUBJECTS)[number];

/** The audit type of a directory mutation the server applied (null: not a directory change). */
export function directoryAuditType(mutation: string, existed: boolean): { type: AuditType; subject: AuditSubject } | null {
  const m = /^(recipient|department|location)\.(upsert|delete|merge)$/.exec(mutation);
  if (!m) return null;
  const subject = m[1] as 'recipient' | 'department' | 'location';
  const verb = m[2] === 'upsert' ? (existed ? 'changed' : 'created') : m[2] === 'delete' ? 'deleted' : 'merged';
  return { type: `${subject}_${verb}` as AuditType, subject };
}

export const ACTIVITY_TYPES = [...PACKAGE_ACTIVITY_TYPES, ...AUDIT_TYPES] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];
export const isAuditType = (t: string): t is AuditType => (AUDIT_TYPES as readonly string[]).includes(t);

export const ACTIVITY_TYPE_LABELS: Record<ActivityType, string> = {
  received: 'Received',
  updated: 'Updated',
  held: 'Held',
  delivered: 'Delivered',
  returned: 'Returned to sender',
  reopened: 'Reopened',
  photo_attached: 'Photo attached',
  deleted: 'Deleted',
  receive_undone: 'Logging undone',
  handoff_refused: 'Refused hand-off',
  recipient_created: 'Recipient added',
  recipient_changed: 'Recipient changed',
  recipient_deleted: 'Recipient deleted',
  recipient_merged: 'Recipient merged',
  department_created: 'Department added',
  department_changed: 'Department changed',
  department_deleted: 'Department deleted',
  location_created: 'Location added',
  location_changed: 'Location changed',
  location_deleted: 'Location deleted',
  member_invited: 'Member invited',
  invitation_resent: 'Invitation resent',
  invitation_revoked: 'Invitation revoked',
  member_role_changed: 'Role changed',
  member_removed: 'Member removed',
  settings_changed: 'Settings changed',
};

export const ACTIVITY_PAGE_DEFAULT = 50;
export const ACTIVITY_PAGE_MAX = 200;

/** Where a page ends: the last item's time and id (items are ordered by both, newest first). */
export interface ActivityCursor {
  at: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const b64url = (s: string) => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export const encodeActivityCursor = (c: ActivityCursor) => b64url(`${c.at}|${c.id}`);

/** The cursor a page handed out, or null when the text is not one. */
export function decodeActivityCursor(text: string): ActivityCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return null;
  let raw: string;
  try {
    raw = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return null;
  }
  const [at, id, ...rest] = raw.split('|');
  if (rest.length || !at || !id || !ISO.test(at) || Number.isNaN(Date.parse(at)) || !UUID.test(id)) return null;
  return { at, id: id.toLowerCase() };
}

/** A `cursor` query parameter of a log paged by time and id (this log, the notification log). */
export const logCursorParam = z.string().transform((s, ctx) => {
  const c = decodeActivityCursor(s);
  if (!c) ctx.addIssue({ code: 'custom', message: 'Not a cursor this log handed out' });
  return c ?? z.NEVER;
});

export const activityQuery = z
  .object({
    actorId: z.string().uuid().optional(),
    type: z.enum(ACTIVITY_TYPES).optional(),
    from: calendarDate.optional(),
    to: calendarDate.optional(),
    cursor: logCursorParam.optional(),
    limit: z.coerce.number().int().min(1).max(ACTIVITY_PAGE_MAX).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '`from` must not be after `to`', path: ['to'] });
export type ActivityQuery = z.infer<typeof activityQuery>;

/** One entry of the log as the route answers it (the page reads the same shape). */
export const activityItem = z.strictObject({
  id: z.string(),
  at: z.string().describe('When it happened, by the device’s clock (by the server’s for a change at the desk)'),
  recordedAt: z.string().describe('When the server recorded it'),
  type: z.string(),
  packageId: z.string().nullable().describe('The package of a package event; null for a change to the facility itself'),
  trackingNumber: z.string().nullable().describe('Null once the package is purged, and for a change to the facility itself'),
  subject: z
    .strictObject({
      type: z.enum(AUDIT_SUBJECTS),
      id: z.string().nullable(),
      label: z.string().nullable().describe('Its name as it is now (an invitation: the address); null once gone'),
    })
    .nullable()
    .describe('What a change to the facility itself was done to; null for a package event'),
  actorId: z.string().nullable(),
  actorName: z.string().nullable().describe('Null for a former member'),
  clientId: z.string().nullable().describe('The device that recorded it'),
  data: z.unknown(),
});
export const activityPage = z.strictObject({ items: z.array(activityItem), nextCursor: z.string().nullable() });
export type ActivityItem = z.infer<typeof activityItem>;
export type ActivityPage = z.infer<typeof activityPage>;

/** What the log names an entry's subject: the package's tracking number, or "Recipient Ada Lovelace". */
export function activitySubjectWords(i: Pick<ActivityItem, 'trackingNumber' | 'packageId' | 'subject'>): string {
  if (i.subject) {
    const what = {
      recipient: 'Recipient',
      department: 'Department',
      location: 'Location',
      member: 'Member',
      invitation: 'Invitation',
      facility: 'Facility',
    }[i.subject.type];
    if (i.subject.type === 'facility') return 'Facility settings';
    return i.subject.label ? `${what} ${i.subject.label}` : `${what} (removed)`;
  }
  return i.trackingNumber ?? 'a purged package';
}

/** What the log says an entry was: "Received", "Returned to sender", or the type in words. */
export const activityTypeWords = (type: string) => ACTIVITY_TYPE_LABELS[type as ActivityType] ?? type.replace(/_/g, ' ');
