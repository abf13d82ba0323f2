// The admins' delivery log and captured outbox (http-api.md "Notifications"): every notification of
// the active facility with its kind, channel, recipient, status and the provider's reason; one
// message as it was rendered; a failed one sent again (the same row, queued afresh, the sender woken).
import {
  NOTIFICATION_PAGE_DEFAULT,
  encodeNotificationCursor,
  storedKinds,
  wireKind,
  type NotificationChannel,
  type NotificationLogItem,
  type NotificationLogQuery,
  type NotificationMessage,
  type NotificationStatus,
} from '../../../src/lib/domain/notifications-api.ts';
import type { Deps } from '../context.ts';
import { AppError, notFound } from '../http/errors.ts';
import { wakeNotifications } from '../notifications/queue.ts';
import {
  listNotificationLog,
  readNotificationMessage,
  requeueFailed,
  type NotificationLogRow,
  type NotificationMessageRow,
} from '../repositories/notifications.ts';
import { authorize, type Actor } from './resolve-actor.ts';

const toItem = (r: NotificationLogRow): NotificationLogItem => ({
  id: r.id,
  kind: wireKind(r.kind),
  channel: r.channel as NotificationChannel,
  to: r.to,
  status: r.status as NotificationStatus,
  packageId: r.packageId,
  trackingNumber: r.trackingNumber,
  recipientId: r.recipientId,
  recipientName: r.recipientName,
  createdAt: r.createdAt,
  sentAt: r.sentAt,
  error: r.error,
  attempts: r.attempts,
  hasMessage: r.hasMessage,
});

export async function readNotificationLog(deps: Deps, actor: Actor, q: NotificationLogQuery) {
  authorize(actor, 'notifications.read');
  const limit = q.limit ?? NOTIFICATION_PAGE_DEFAULT;
  const rows = await deps.db.withFacility(actor.facilityId, (tx) =>
    listNotificationLog(tx, actor.facilityId, {
      status: q.status,
      channel: q.channel,
      kinds: q.kind ? storedKinds(q.kind) : undefined,
      cursor: q.cursor,
      limit,
    }),
  );
  const items = rows.slice(0, limit).map(toItem);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeNotificationCursor({ at: last.createdAt, id: last.id }) : null };
}

export async function readNotification(deps: Deps, actor: Actor, id: string): Promise<NotificationMessage> {
  authorize(actor, 'notifications.read');
  const row: NotificationMessageRow | null = await deps.db.withFacility(actor.facilityId, (tx) =>
    readNotificationMessage(tx, actor.facilityId, id),
  );
  if (!row) throw notFound('No such notification');
  return { ...toItem(row), subject: row.subject, bodyText: row.bodyText, bodyHtml: row.bodyHtml };
}

/**
 * The message's HTML as a document of its own, for the outbox's viewer frame. Served under its own
 * policy (routes/notifications.ts): no scripts, no requests anywhere (remote images stay unloaded,
 * so opening a message tells no tracker), its inline styles allowed so it looks as it was sent.
 */
export async function readNotificationHtml(deps: Deps, actor: Actor, id: string): Promise<string> {
  const message = await readNotification(deps, actor, id);
  if (message.bodyHtml === null) throw notFound('This notification kept no HTML message');
  return message.bodyHtml;
}

export async function resendNotification(deps: Deps, actor: Actor, id: string): Promise<NotificationMessage> {
  authorize(actor, 'notifications.resend');
  const outcome = await deps.db.withFacility(actor.facilityId, (tx) => requeueFailed(tx, actor.facilityId, id));
  if (outcome === 'not_found') throw notFound('No such notification');
  if (outcome === 'not_failed') throw new AppError(409, 'not_failed', 'Only a failed notification can be sent again');
  wakeNotifications(deps);
  return readNotification(deps, actor, id);
}
