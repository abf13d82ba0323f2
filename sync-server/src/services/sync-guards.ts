// Checks every sync request passes before it touches data (sync-protocol.md "Identity",
// "Versioning", read-only mode).
import { accessMode } from '../../../src/lib/domain/billing.ts';
import { SUPPORTED_SCHEMA_VERSIONS } from '../../../src/lib/domain/sync/protocol.ts';
import type { Deps } from '../context.ts';
import { billingEnabled } from '../env.ts';
import { AppError } from '../http/errors.ts';
import { findSubscription } from '../repositories/facilities.ts';
import type { Actor } from './resolve-actor.ts';

export function checkSyncRequest(actor: Actor, req: { facilityId: string; schemaVersion: number }) {
  if (!SUPPORTED_SCHEMA_VERSIONS.includes(req.schemaVersion)) {
    throw new AppError(426, 'version_not_supported', `Schema version ${req.schemaVersion} is not served here; reload the app`, {
      supported: SUPPORTED_SCHEMA_VERSIONS,
    });
  }
  // The queue was built for another facility: keep it on the device until that one is active.
  if (req.facilityId !== actor.facilityId) {
    throw new AppError(409, 'facility_mismatch', 'This request names another facility than the active one', {
      activeFacilityId: actor.facilityId,
    });
  }
}

export async function assertWritable(deps: Deps, actor: Actor) {
  // A deactivated facility keeps its history readable (pulls, exports) but takes no writes.
  if (!actor.facility.active) {
    throw new AppError(403, 'read_only', 'This facility is deactivated: its data can be read and exported, not changed');
  }
  if (!billingEnabled(deps.env)) return;
  const sub = await findSubscription(deps.db.prisma, actor.facilityId);
  if (sub && accessMode(sub, new Date()) !== 'full') {
    throw new AppError(403, 'read_only', 'This facility is read-only until its subscription is renewed');
  }
}
