// Checking a recipient's pickup code on the device, with no network (docs/sync.md "Pickup codes"):
// the facility's key from meta, the packages from this facility's database. The rule itself is
// src/lib/domain/pickup-code.ts.
import { findPickup, warmPickupCodes, type PickupResult } from '../../domain/pickup-code';
import { getPickupKey } from './meta';
import { packagesWithStatus, type LocalPackage, type PtpDb } from './schema';

/**
 * How many of the newest delivered and of the newest returned packages a code is also compared
 * with, to tell "already collected" from "unknown". An older package's code is refused as unknown.
 */
export const CLOSED_LOOKBACK = 1_000;

export type DevicePickupResult = PickupResult<LocalPackage> | { ok: false; code: 'no_key'; message: string; package?: undefined };

const openPackages = async (db: PtpDb) => [
  ...(await packagesWithStatus(db, 'received').toArray()),
  ...(await packagesWithStatus(db, 'held').toArray()),
];

const closedPackages = async (db: PtpDb) => [
  ...(await packagesWithStatus(db, 'delivered').limit(CLOSED_LOOKBACK).toArray()),
  ...(await packagesWithStatus(db, 'returned').limit(CLOSED_LOOKBACK).toArray()),
];

/**
 * Whose packages a pickup code opens, checked on this device: `ok` with the coded package and all
 * open packages of its recipient, or a refusal (`invalid_code`, `unknown_code`, `already_collected`,
 * `other_recipient` when `servingRecipientId` is given and the code is someone else's, `no_key` when
 * this device never received the facility's key).
 */
export async function checkPickupCode(
  db: PtpDb,
  facilityId: string,
  code: string,
  servingRecipientId?: string | null,
): Promise<DevicePickupResult> {
  const key = await getPickupKey(db);
  if (!key) {
    return {
      ok: false,
      code: 'no_key',
      message: 'This device cannot check pickup codes yet: connect to the network once, then try again',
    };
  }
  const open = await openPackages(db);
  const found = findPickup(key, facilityId, code, open, servingRecipientId);
  if (found.ok || found.code !== 'unknown_code') return found;
  // Not an open package's code: a closed one's means it was used.
  const closed = findPickup(key, facilityId, code, await closedPackages(db), servingRecipientId);
  return !closed.ok && closed.code === 'already_collected' ? closed : found;
}

/**
 * Computes the codes of the open packages ahead of the first check, a few hundred at a time so the
 * page stays responsive (call when the device is idle).
 */
export async function warmDevicePickupCodes(db: PtpDb, facilityId: string, chunk = 250): Promise<void> {
  const key = await getPickupKey(db);
  if (!key) return;
  const open = await openPackages(db);
  for (let i = 0; i < open.length; i += chunk) {
    warmPickupCodes(key, facilityId, open.slice(i, i + chunk));
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
