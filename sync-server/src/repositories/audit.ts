// The facility's audit entries (audit_events): what people did to the facility itself. Written in
// the caller's facility-scoped transaction, so an entry exists exactly when its change does.
import { randomUUID } from 'node:crypto';
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

export async function recordAudit(tx: Tx, facilityId: string, entries: readonly AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  await tx.auditEvent.createMany({
    data: entries.map((e) => ({
      id: randomUUID(),
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
