// Notification rows as the delivery pipeline writes them (facility-scoped, through the app's own
// row-level-security connection): a queued row per recipient and channel, then the outcome of its
// send — sent (in-app rows carry the linked user), failed with the provider's reason, or captured
// with the rendered message when no provider is configured.
import { randomUUID } from 'node:crypto';
import type { TestApp } from './harness.ts';

export interface NotificationFixture {
  packageId?: string | null;
  recipientId?: string | null;
  userId?: string | null;
  kind?: string;
  channel?: string;
  status?: string;
  to?: string | null;
  error?: string | null;
  attempts?: number;
  messageId?: string | null;
  readAt?: Date | null;
  sentAt?: Date | null;
  createdAt?: Date;
  subject?: string | null;
  bodyText?: string | null;
  bodyHtml?: string | null;
}

export async function writeNotification(t: TestApp, facilityId: string, f: NotificationFixture = {}): Promise<string> {
  const id = randomUUID();
  await t.deps.db.withFacility(facilityId, (tx) =>
    tx.notification.create({
      data: {
        id,
        facilityId,
        packageId: f.packageId ?? null,
        recipientId: f.recipientId ?? null,
        userId: f.userId ?? null,
        kind: f.kind ?? 'received',
        channel: f.channel ?? 'email',
        status: f.status ?? 'queued',
        to: f.to ?? null,
        error: f.error ?? null,
        attempts: f.attempts ?? 0,
        messageId: f.messageId ?? null,
        readAt: f.readAt ?? null,
        sentAt: f.sentAt ?? (f.status === 'sent' ? new Date() : null),
        subject: f.subject ?? null,
        bodyText: f.bodyText ?? null,
        bodyHtml: f.bodyHtml ?? null,
        version: 0,
        ...(f.createdAt ? { createdAt: f.createdAt } : {}),
      },
    }),
  );
  return id;
}

/** An in-app notification for `userId`, as the pipeline records it once the recipient links to them. */
export const writeBellRow = (t: TestApp, facilityId: string, userId: string, f: NotificationFixture = {}) =>
  writeNotification(t, facilityId, { channel: 'inapp', status: 'sent', userId, to: userId, ...f });
