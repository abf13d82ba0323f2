// Which notifications a push's committed changes cause (SPEC "Notifications": Package Received when
// logged, Package Held, Package Delivered when handed off): one per event; the repository fans each
// out to the recipient's channels in the same transaction (queueNotifications).
import type { NotificationKind } from '../../../src/lib/domain/notifications.ts';
import type { SyncWrites, NotificationEvent } from '../repositories/sync.ts';

const KIND_OF_EVENT: Record<string, NotificationKind> = {
  received: 'received',
  held: 'held',
  delivered: 'delivered',
};

export function notificationsFor(writes: SyncWrites): NotificationEvent[] {
  const packages = new Map(writes.packages.map((p) => [p.id, p]));
  const out: NotificationEvent[] = [];
  for (const e of writes.events) {
    const kind = KIND_OF_EVENT[e.type];
    const p = packages.get(e.packageId);
    const recipientId = p?.recipientId;
    // A package undone (or deleted) in the same push was never really there for its recipient.
    if (kind && recipientId && !p.deletedAt) out.push({ packageId: e.packageId, recipientId, kind });
  }
  return out;
}
