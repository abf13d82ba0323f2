import { TRIAL_DAYS } from '../../../src/lib/domain/account.ts';
import type { Deps } from '../context.ts';
import { addMembership, createFacility as insertFacility } from '../repositories/facilities.ts';
import { newId, uniqueFacilityCode } from './ids.ts';
import { authorize, type Actor } from './resolve-actor.ts';

/** A new facility in the actor's organization; its creator becomes its admin. */
export async function createFacility(deps: Deps, actor: Actor, input: { name: string; timezone?: string }) {
  authorize(actor, 'facility.create');
  return deps.db.transaction(async (tx) => {
    const facility = await insertFacility(tx, {
      id: newId(),
      organizationId: actor.organizationId,
      name: input.name,
      code: await uniqueFacilityCode(tx, input.name),
      timezone: input.timezone ?? 'UTC',
      trialEndsAt: new Date(Date.now() + TRIAL_DAYS * 24 * 3600 * 1000),
    });
    await addMembership(tx, { id: newId(), userId: actor.user.id, facilityId: facility.id, role: 'admin' });
    return { id: facility.id, name: facility.name, code: facility.code, timezone: facility.timezone };
  });
}
