// An admin changes the active facility's settings (http-api.md "Facility settings").
import type { FacilitySettingsInput } from '../../../src/lib/domain/facility-settings.ts';
import type { Deps } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { updateFacilitySettings } from '../repositories/facility-settings.ts';
import { getFacility } from './get-facility.ts';
import { authorize, type Actor } from './resolve-actor.ts';
import { assertWritable } from './sync-guards.ts';

export async function updateFacility(deps: Deps, actor: Actor, input: FacilitySettingsInput) {
  authorize(actor, 'facility.update');
  if (!actor.facility.active) throw new AppError(403, 'read_only', 'This facility is closed: its settings cannot change');
  await assertWritable(deps, actor);
  const { quietHours, notificationDefaults, ...plain } = input;
  const updated = await updateFacilitySettings(deps.db.prisma, actor.facilityId, {
    ...plain,
    ...(quietHours !== undefined ? { quietHoursStart: quietHours?.start ?? null, quietHoursEnd: quietHours?.end ?? null } : {}),
    ...(notificationDefaults ? { notifyEmailDefault: notificationDefaults.email, notifySmsDefault: notificationDefaults.sms } : {}),
  });
  return getFacility(deps, actor, { ...actor.facility, ...updated });
}
