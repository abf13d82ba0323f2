// Which notifications a push's committed changes cause (SPEC "Notifications": Package Received when
// logged, Package Held, Package Delivered when handed off). Channels beyond email are per facility
// integrations and are chosen when the notification is sent.
import type { SyncWrites, QueuedNotification } from '../repositories/sync.ts';
import { newId } from './ids.ts';

const KIND_OF_EVENT: Record<string, string> = {
  received: 'package_received',
  held: 'package_held',
  delivered: 'package_delivered',
};

export function notificationsFor(writes: SyncWrites): QueuedNotification[] {
  const packages = new Map(writes.packages.map((p) => [p.id, p]));
  const out: QueuedNotification[] = [];
  for (const e of writes.events) {
    const kind = KIND_OF_EVENT[e.type];
    const p = packages.get(e.packageId);
    const recipientId = p?.recipientId;
    // A package undone (or deleted) in the same push was never really there for its recipient.
    if (kind && recipientId && !p.deletedAt) out.push({ id: newId(), packageId: e.packageId, recipientId, kind, channel: 'email' });
  }
  return out;
}
