// An admin changes the active facility's settings (http-api.md "Facility settings").
import type { FacilitySettingsInput } from '../../../src/lib/domain/facility-settings.ts';
import type { Deps } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { recordAudit } from '../repositories/audit.ts';
import { updateFacilitySettings } from '../repositories/facility-settings.ts';
import { facilitySettingsOf, getFacility } from './get-facility.ts';
import { authorize, type Actor } from './resolve-actor.ts';
import { assertWritable } from './sync-guards.ts';

export async function updateFacility(deps: Deps, actor: Actor, input: FacilitySettingsInput) {
  authorize(actor, 'facility.update');
  if (!actor.facility.active) throw new AppError(403, 'read_only', 'This facility is closed: its settings cannot change');
  await assertWritable(deps, actor);
  const { quietHours, notificationDefaults, ...plain } = input;
  const fields = settingsChanged(actor.facility, input);
  const updated = await deps.db.withFacility(actor.facilityId, async (tx) => {
    const row = await updateFacilitySettings(tx, actor.facilityId, {
      ...plain,
      ...(quietHours !== undefined ? { quietHoursStart: quietHours?.start ?? null, quietHoursEnd: quietHours?.end ?? null } : {}),
      ...(notificationDefaults ? { notifyEmailDefault: notificationDefaults.email, notifySmsDefault: notificationDefaults.sms } : {}),
      // Saved by an admin: the setup checklist's settings step is done, on every desk.
      settingsReviewedAt: new Date(),
    });
    // The activity log names the settings that changed (a save that changed nothing is no entry).
    if (fields.length) {
      await recordAudit(tx, actor.facilityId, [
        { type: 'settings_changed', subjectType: 'facility', subjectId: actor.facilityId, actorId: actor.user.id, data: { fields } },
      ]);
    }
    return row;
  });
  return getFacility(deps, actor, { ...actor.facility, ...updated });
}

/** The settings `input` changes, by their names in the settings (PATCH /api/facility). */
function settingsChanged(f: Actor['facility'], input: FacilitySettingsInput): string[] {
  const now = facilitySettingsOf(f);
  return (Object.keys(input) as (keyof FacilitySettingsInput)[])
    .filter((k) => input[k] !== undefined && JSON.stringify(input[k]) !== JSON.stringify(now[k]))
    .sort();
}
