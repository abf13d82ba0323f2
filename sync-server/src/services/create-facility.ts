import { TRIAL_DAYS } from '../../../src/lib/domain/account.ts';
import { isTimeZone } from '../../../src/lib/domain/facility-settings.ts';
import { newPickupKey } from '../../../src/lib/domain/pickup-code.ts';
import type { Deps } from '../context.ts';
import type { Tx } from '../db/index.ts';
import { AppError } from '../http/errors.ts';
import { addMembership, createFacility as insertFacility } from '../repositories/facilities.ts';
import { newId, uniqueFacilityCode } from './ids.ts';
import { authorize, type Actor } from './resolve-actor.ts';

/** Opens a facility: a unique code, its own pickup key and trial, and `adminUserId` as its admin. */
export async function openFacility(tx: Tx, input: { organizationId: string; name: string; timezone?: string; adminUserId: string }) {
  if (input.timezone !== undefined && !isTimeZone(input.timezone)) {
    throw new AppError(400, 'invalid_input', `Not a known time zone: ${input.timezone}`);
  }
  const facility = await insertFacility(tx, {
    id: newId(),
    organizationId: input.organizationId,
    name: input.name,
    code: await uniqueFacilityCode(tx, input.name),
    timezone: input.timezone ?? 'UTC',
    pickupKey: newPickupKey(),
    trialEndsAt: new Date(Date.now() + TRIAL_DAYS * 24 * 3600 * 1000),
  });
  await addMembership(tx, { id: newId(), userId: input.adminUserId, facilityId: facility.id, role: 'admin' });
  return facility;
}

/** A new facility in the actor's organization; its creator becomes its admin. */
export async function createFacility(deps: Deps, actor: Actor, input: { name: string; timezone?: string }) {
  authorize(actor, 'facility.create');
  return deps.db.transaction(async (tx) => {
    const facility = await openFacility(tx, {
      organizationId: actor.organizationId,
      name: input.name,
      timezone: input.timezone,
      adminUserId: actor.user.id,
    });
    return { id: facility.id, name: facility.name, code: facility.code, timezone: facility.timezone };
  });
}
