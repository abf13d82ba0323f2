// The facility's audit entries (audit_events): what people did to the facility itself. Written in
// the caller's facility-scoped transaction, so an entry exists exactly when its change does.
import { randomBytes } from 'node:crypto';
import type { AuditSubject, AuditType } from '../../../src/lib/domain/activity.ts';
import type { Tx } from '../db/index.ts';

export interface AuditEntry {
  type: AuditType;
  subjectType: AuditSubject;
  subjectId: string | null;
  actorId: string;
  clientId?: string | null;
  data?: Record<string, unknown>;
}

let lastMs = 0;
let seq = 0;

/**
 * A time-ordered id (UUID version 7, with a counter within the millisecond): entries written in the
 * same transaction share their time, and the log orders them by (at, id), so their ids keep the
 * order they happened in.
 */
export function orderedId(): string {
  const now = Date.now();
  if (now > lastMs) [lastMs, seq] = [now, 0];
  else if (++seq > 0xfff) [lastMs, seq] = [lastMs + 1, 0];
  const b = randomBytes(16);
  b.writeUIntBE(lastMs, 0, 6);
  b[6] = 0x70 | (seq >> 8);
  b[7] = seq & 0xff;
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export async function recordAudit(tx: Tx, facilityId: string, entries: readonly AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  await tx.auditEvent.createMany({
    data: entries.map((e) => ({
      id: orderedId(),
      facilityId,
      type: e.type,
      subjectType: e.subjectType,
      subjectId: e.subjectId,
      actorId: e.actorId,
      clientId: e.clientId ?? null,
      data: (e.data ?? {}) as object,
    })),
  });
}
