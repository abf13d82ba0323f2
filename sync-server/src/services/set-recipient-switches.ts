// A recipient's email/SMS switches changed from outside the directory editor: the one-click
// unsubscribe link and the person's own /account page. Written like any directory change — the
// shared `recipient.upsert` mutator under the facility's version lock (run-mutations.ts) — so
// every device pulls the change. An opt-out is a person's right (privacy policy §8): it is written
// even when the facility is read-only.
import { checkMutation } from '../../../src/lib/domain/sync/mutators.ts';
import type { RecipientRow } from '../../../src/lib/domain/sync/rows.ts';
import type { Tx } from '../db/index.ts';
import { AppError } from '../http/errors.ts';
import { loadRowsAndTakenIds, lockFacilityVersion, takeVersion } from '../repositories/sync.ts';
import { runMutationBatch } from './run-mutations.ts';

/** The device id the server's own directory writes are recorded under (as the import's). */
const SERVER_CLIENT_ID = '00000000-0000-0000-0000-000000000000';

export interface Switches {
  notifyEmail?: boolean;
  notifySms?: boolean;
}

/**
 * Sets the switches of one live recipient inside the caller's facility transaction; answers the
 * row as it is now, or null when there is no such live recipient. Nothing is written (no version
 * taken) when the switches already read so.
 */
export async function setRecipientSwitches(
  tx: Tx,
  facilityId: string,
  recipientId: string,
  switches: Switches,
  by: { userId: string | null },
): Promise<RecipientRow | null> {
  await lockFacilityVersion(tx, facilityId);
  const { rows } = await loadRowsAndTakenIds<RecipientRow>(tx, 'recipients', facilityId, [recipientId]);
  const r = rows[0];
  if (!r || r.deletedAt) return null;
  const next = { notifyEmail: switches.notifyEmail ?? r.notifyEmail, notifySms: switches.notifySms ?? r.notifySms };
  if (next.notifyEmail === r.notifyEmail && next.notifySms === r.notifySms) return r;

  const args = {
    id: r.id,
    name: r.name,
    email: r.email,
    phone: r.phone,
    employeeId: r.employeeId,
    departmentId: r.departmentId,
    defaultLocationId: r.defaultLocationId,
    notes: r.notes,
    ...next,
  };
  const batch = [{ id: 1, name: 'recipient.upsert', args, clientTime: new Date().toISOString() }];
  // The switch belongs to the person, not to a role: the write runs with the directory's rights.
  const checks = new Map([[1, checkMutation(batch[0]!, 'admin')]]);
  const version = await takeVersion(tx, facilityId);
  const outcome = await runMutationBatch(tx, facilityId, version, batch, checks, {
    actor: { id: by.userId ?? SERVER_CLIENT_ID, role: 'admin' },
    clientId: SERVER_CLIENT_ID,
    now: new Date().toISOString(),
  });
  const refused = outcome.rejections[0];
  if (refused) throw new AppError(409, 'conflict', refused.message);
  return { ...r, ...next, version };
}
