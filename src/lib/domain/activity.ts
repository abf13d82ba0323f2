// The facility's activity log (issue "Admin desk": who did what, when, on which device): every
// package event, newest first, filtered by person, action and the facility's own days, read page by
// page with an opaque cursor. Pure: the route's query schema and cursor, and the page's words.
import { z } from 'zod';
import { calendarDate } from './zoned-time';

/** The package events the log can be filtered by (package-words.ts names them in the timeline). */
export const ACTIVITY_TYPES = [
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
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

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

export const activityQuery = z
  .object({
    actorId: z.string().uuid().optional(),
    type: z.enum(ACTIVITY_TYPES).optional(),
    from: calendarDate.optional(),
    to: calendarDate.optional(),
    cursor: z
      .string()
      .transform((s, ctx) => {
        const c = decodeActivityCursor(s);
        if (!c) ctx.addIssue({ code: 'custom', message: 'Not a cursor this log handed out' });
        return c ?? z.NEVER;
      })
      .optional(),
    limit: z.coerce.number().int().min(1).max(ACTIVITY_PAGE_MAX).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '`from` must not be after `to`', path: ['to'] });
export type ActivityQuery = z.infer<typeof activityQuery>;

/** One entry of the log as the route answers it (the page reads the same shape). */
export const activityItem = z.strictObject({
  id: z.string(),
  at: z.string().describe('When it happened, by the device’s clock'),
  recordedAt: z.string().describe('When the server recorded it'),
  type: z.string(),
  packageId: z.string(),
  trackingNumber: z.string().nullable().describe('Null once the package is purged'),
  actorId: z.string().nullable(),
  actorName: z.string().nullable().describe('Null for a former member'),
  clientId: z.string().nullable().describe('The device that recorded it'),
  data: z.unknown(),
});
export const activityPage = z.strictObject({ items: z.array(activityItem), nextCursor: z.string().nullable() });
export type ActivityItem = z.infer<typeof activityItem>;
export type ActivityPage = z.infer<typeof activityPage>;

/** What the log says an entry was: "Received", "Returned to sender", or the type in words. */
export const activityTypeWords = (type: string) => ACTIVITY_TYPE_LABELS[type as ActivityType] ?? type.replace(/_/g, ' ');
