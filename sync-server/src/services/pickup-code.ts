// A package's pickup code on the server, e.g. for the "received" message to its recipient
// (docs/sync.md "Pickup codes"). The same function the devices check codes with.
import { pickupCodeFor } from '../../../src/lib/domain/pickup-code.ts';
import type { Deps } from '../context.ts';
import { notFound } from '../http/errors.ts';
import { findFacility, findPackageForPickup } from '../repositories/facility-settings.ts';
import { pickupKeyOf } from './get-facility.ts';

/** The formatted code (`XXXX-XXXX`) of a package of `facilityId`; 404 when it has no such package. */
export async function pickupCodeForPackage(deps: Deps, facilityId: string, packageId: string): Promise<string> {
  const facility = await findFacility(deps.db.prisma, facilityId);
  if (!facility) throw notFound('Facility not found');
  const pkg = await deps.db.withFacility(facilityId, (tx) => findPackageForPickup(tx, facilityId, packageId));
  if (!pkg) throw notFound('Package not found');
  const key = await pickupKeyOf(deps.db.prisma, facility);
  return pickupCodeFor(key, { facilityId, recipientId: pkg.recipientId, recipientName: pkg.recipientName, packageId: pkg.id });
}
