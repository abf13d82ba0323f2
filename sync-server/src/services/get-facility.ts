import { quietHoursOf, type FacilitySettingsInput } from '../../../src/lib/domain/facility-settings.ts';
import { newPickupKey } from '../../../src/lib/domain/pickup-code.ts';
import { can } from '../../../src/lib/domain/permissions.ts';
import type { Deps } from '../context.ts';
import type { Tx } from '../db/index.ts';
import { ensurePickupKey } from '../repositories/facility-settings.ts';
import type { Actor } from './resolve-actor.ts';
import { aiAvailable } from '../ai/claude.ts';

type FacilityRow = Actor['facility'];

/**
 * The facility's pickup key (docs/sync.md "Pickup codes"). Facilities made before pickup codes
 * have none: the first read makes one, and a concurrent first read ends with the same key.
 */
export async function pickupKeyOf(db: Deps['db']['prisma'] | Tx, facility: Pick<FacilityRow, 'id' | 'pickupKey'>): Promise<string> {
  if (facility.pickupKey) return facility.pickupKey;
  const key = await ensurePickupKey(db, facility.id, newPickupKey());
  if (!key) throw new Error(`Facility ${facility.id} vanished while its pickup key was made`);
  return key;
}

/** The facility's settings as PATCH /api/facility names them (what an admin changes). */
export function facilitySettingsOf(f: FacilityRow): Required<FacilitySettingsInput> {
  return {
    name: f.name,
    timezone: f.timezone,
    photoRetentionDays: f.photoRetentionDays,
    reminderIntervalHours: f.reminderIntervalHours,
    signatureRequired: f.signatureRequired,
    quietHours: quietHoursOf(f.quietHoursStart, f.quietHoursEnd),
    notificationDefaults: { email: f.notifyEmailDefault, sms: f.notifySmsDefault },
    holdNoteInNotifications: f.holdNoteInNotifications,
    aiEnabled: f.aiEnabled,
  };
}

/**
 * The facility as its members see it. The pickup key goes only to roles that hand packages over
 * (they check codes offline); a viewer never receives it.
 */
export async function getFacility(deps: Deps, actor: Actor, facility: FacilityRow = actor.facility) {
  const f = facility;
  const pickupKey = can(actor, 'package.deliver') ? await pickupKeyOf(deps.db.prisma, f) : undefined;
  return {
    id: f.id,
    code: f.code,
    ...facilitySettingsOf(f),
    settingsReviewedAt: f.settingsReviewedAt?.toISOString() ?? null,
    active: f.active,
    organizationId: f.organizationId,
    organizationName: f.organization.name,
    ai: { enabled: aiAvailable(deps.env, f) },
    role: actor.role,
    isOrganizationOwner: actor.isOrganizationOwner,
    ...(pickupKey ? { pickupKey } : {}),
  };
}
