// GET /api/packages/:id and GET /api/packages/:id/custody (http-api.md "Packages and custody"): a
// package with its whole history, and its custody chain recomputed. Any member may read
// (package.read); a package of another facility is not found.
import { verifyChain, type ChainVerdict } from '../../../src/lib/domain/custody.ts';
import type { PackageRow } from '../../../src/lib/domain/sync/rows.ts';
import type { Deps } from '../context.ts';
import { notFound } from '../http/errors.ts';
import { findPackageRow, loadPackageAttachments, loadPackageEvents, type StoredEvent } from '../repositories/package-history.ts';
import { authorize, type Actor } from './resolve-actor.ts';

/** How long a photo or signature link of the detail page stays valid, at most. */
export const DETAIL_URL_TTL_SECONDS = 300;

export interface EventView {
  id: string;
  seq: number | null;
  type: string;
  data: unknown;
  /** When the person did it, by their device's clock. */
  at: string;
  /** When the server recorded it. */
  recordedAt: string;
  actorId: string | null;
  actorName: string | null;
  /** The device that recorded it. */
  clientId: string | null;
  mutationId: number | null;
  hash: string | null;
  prevHash: string | null;
  /** False for an event recorded before the custody log began (no link, not verifiable). */
  sealed: boolean;
}

const view = (e: StoredEvent): EventView => ({
  id: e.id,
  seq: e.seq,
  type: e.type,
  data: e.data,
  at: e.at,
  recordedAt: e.recordedAt,
  actorId: e.actorId,
  actorName: e.actorName,
  clientId: e.clientId,
  mutationId: e.mutationId,
  hash: e.hash,
  prevHash: e.prevHash,
  sealed: e.seq != null && e.hash != null,
});

const verdict = (events: StoredEvent[]): ChainVerdict => verifyChain(events);

export async function readCustody(deps: Deps, actor: Actor, packageId: string) {
  authorize(actor, 'package.read');
  const id = packageId.toLowerCase();
  const { pkg, events } = await deps.db.withFacility(actor.facilityId, async (tx) => ({
    pkg: await findPackageRow(tx, actor.facilityId, id),
    events: await loadPackageEvents(tx, actor.facilityId, id),
  }));
  // A purged package's events stay: its history is still answered.
  if (!pkg && !events.length) throw notFound('No such package in this facility');
  return { packageId: id, events: events.map(view), ...verdict(events) };
}

export interface AttachmentView {
  kind: 'intake' | 'delivery' | 'signature';
  hash: string;
  /** Whether the server holds the bytes yet. */
  uploaded: boolean;
  /** Presigned, valid until `expiresAt` (at most 300 s); null until the device has uploaded it. */
  url: string | null;
  expiresAt: string | null;
  createdAt: string;
}

export async function readPackage(deps: Deps, actor: Actor, packageId: string) {
  authorize(actor, 'package.read');
  const id = packageId.toLowerCase();
  const { pkg, events, attachments } = await deps.db.withFacility(actor.facilityId, async (tx) => ({
    pkg: await findPackageRow(tx, actor.facilityId, id),
    events: await loadPackageEvents(tx, actor.facilityId, id),
    attachments: await loadPackageAttachments(tx, actor.facilityId, id),
  }));
  if (!pkg) throw notFound('No such package in this facility');
  const ttl = Math.min(deps.env.BLOB_URL_TTL_SECONDS, DETAIL_URL_TTL_SECONDS);
  const expiresAt = new Date(Date.now() + ttl * 1000).toISOString();
  const views: AttachmentView[] = await Promise.all(
    attachments.map(async (a) => ({
      kind: a.kind,
      hash: a.hash,
      uploaded: a.storageKey != null,
      url: a.storageKey ? await deps.blobs.presignGet(a.storageKey, ttl) : null,
      expiresAt: a.storageKey ? expiresAt : null,
      createdAt: a.createdAt,
    })),
  );
  const { verified, brokenAt, reason, unsealed } = verdict(events);
  return {
    package: pkg as PackageRow,
    events: events.map(view),
    attachments: views,
    custody: { verified, ...(brokenAt != null ? { brokenAt } : {}), ...(reason ? { reason } : {}), unsealed },
  };
}
