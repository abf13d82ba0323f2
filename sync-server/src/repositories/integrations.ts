// A facility's integrations (Admin → Integrations). Facility-owned: every function runs inside
// `withFacility` and names the facility as well. `credentials` holds a sealed envelope only
// (notifications/secret-box.ts); a disconnected integration's row is deleted, not kept.
import type { IntegrationKind } from '../../../src/lib/domain/integrations.ts';
import type { Tx } from '../db/index.ts';

const visible = {
  kind: true,
  enabled: true,
  hint: true,
  lastError: true,
  lastErrorAt: true,
  lastSentAt: true,
} as const;

export const listIntegrations = (tx: Tx, facilityId: string) =>
  tx.integration.findMany({ where: { facilityId, deletedAt: null }, select: visible });

export const findIntegration = (tx: Tx, facilityId: string, kind: IntegrationKind) =>
  tx.integration.findFirst({ where: { facilityId, kind, deletedAt: null }, select: visible });

/** The sealed credentials, for the server alone (senders, rotation). */
export const listSealedIntegrations = (tx: Tx, facilityId: string) =>
  tx.integration.findMany({
    where: { facilityId, deletedAt: null },
    select: { id: true, kind: true, enabled: true, credentials: true, version: true },
  });

/** Connects or replaces (one integration per kind); a replaced one starts with a clean record. */
export function upsertIntegration(
  tx: Tx,
  facilityId: string,
  data: { id: string; kind: IntegrationKind; credentials: string; hint: string; enabled: boolean },
) {
  const fresh = {
    credentials: data.credentials,
    hint: data.hint,
    enabled: data.enabled,
    lastError: null,
    lastErrorAt: null,
    deletedAt: null,
  };
  return tx.integration.upsert({
    where: { facilityId_kind: { facilityId, kind: data.kind } },
    create: { id: data.id, facilityId, kind: data.kind, version: 1, ...fresh },
    update: { ...fresh, lastSentAt: null, version: { increment: 1 } },
    select: visible,
  });
}

/** Erases the row, sealed credentials and all; false when there was none. */
export async function deleteIntegration(tx: Tx, facilityId: string, kind: IntegrationKind): Promise<boolean> {
  const { count } = await tx.integration.deleteMany({ where: { facilityId, kind } });
  return count > 0;
}

export function recordOutcome(
  tx: Tx,
  facilityId: string,
  kind: IntegrationKind,
  outcome: { ok: true } | { ok: false; error: string },
  at: Date,
) {
  return tx.integration.updateMany({
    where: { facilityId, kind, deletedAt: null },
    data: outcome.ok ? { lastSentAt: at } : { lastError: outcome.error, lastErrorAt: at },
  });
}

/** Re-seals one integration's credentials, unless they changed since they were read (optimistic, by version). */
export async function resealIntegration(tx: Tx, facilityId: string, id: string, version: number, credentials: string): Promise<boolean> {
  const { count } = await tx.integration.updateMany({
    where: { facilityId, id, version },
    data: { credentials, version: { increment: 1 } },
  });
  return count > 0;
}
