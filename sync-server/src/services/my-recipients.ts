// A person's own directory entries (SPEC: "Recipients can turn off email/SMS in their profile"):
// in each facility they belong to, the recipients carrying their proven email address, with the
// email/SMS switches they may turn off and on. An unproven address shows nothing (anyone can sign
// up with any address; only an accepted invitation or a password reset proves it).
import type { MyRecipientPatch, MyRecipients } from '../../../src/lib/domain/notifications-api.ts';
import type { Deps, SessionUser } from '../context.ts';
import { notFound } from '../http/errors.ts';
import { listMemberships } from '../repositories/facilities.ts';
import { recipientsWithEmail } from '../repositories/notifications.ts';
import { emailVerifiedAt } from '../repositories/users.ts';
import { setRecipientSwitches } from './set-recipient-switches.ts';

export async function readMyRecipients(deps: Deps, user: SessionUser): Promise<MyRecipients> {
  const verified = await emailVerifiedAt(deps.db.prisma, user.id);
  if (!verified) return { emailVerified: false, entries: [] };
  const memberships = await listMemberships(deps.db.prisma, user.id);
  const entries: MyRecipients['entries'] = [];
  for (const m of memberships) {
    const rows = await deps.db.withFacility(m.facilityId, (tx) => recipientsWithEmail(tx, m.facilityId, user.email));
    for (const r of rows) {
      entries.push({
        facilityId: m.facilityId,
        facilityName: m.facility.name,
        recipientId: r.id,
        name: r.name,
        email: r.email!,
        hasPhone: Boolean(r.phone),
        notifyEmail: r.notifyEmail,
        notifySms: r.notifySms,
      });
    }
  }
  return { emailVerified: true, entries };
}

/** Changes a switch of one of the person's own entries; another's entry is not found (404). */
export async function changeMyRecipient(deps: Deps, user: SessionUser, patch: MyRecipientPatch): Promise<MyRecipients> {
  const mine = await readMyRecipients(deps, user);
  const facilityId = patch.facilityId.toLowerCase();
  const recipientId = patch.recipientId.toLowerCase();
  if (!mine.entries.some((e) => e.facilityId === facilityId && e.recipientId === recipientId)) throw notFound('No such entry of yours');
  await deps.db.withFacility(facilityId, async (tx) => {
    // Checked again under the version lock: the entry may have changed its address meanwhile.
    const again = await recipientsWithEmail(tx, facilityId, user.email);
    if (!again.some((r) => r.id === recipientId)) throw notFound('No such entry of yours');
    await setRecipientSwitches(
      tx,
      facilityId,
      recipientId,
      { notifyEmail: patch.notifyEmail, notifySms: patch.notifySms },
      { userId: user.id },
    );
  });
  return readMyRecipients(deps, user);
}
