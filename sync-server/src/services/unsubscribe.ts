// One-click unsubscribe without a session (RFC 8058; http-api.md "Notifications"): the token is the
// only authority. It names one recipient of one facility and one channel; the page reads what it
// would change, the POST turns that switch off.
import type { UnsubscribeState } from '../../../src/lib/domain/notifications-api.ts';
import type { Deps } from '../context.ts';
import { notFound } from '../http/errors.ts';
import { readUnsubscribeToken, type UnsubscribeTarget } from '../notifications/unsubscribe.ts';
import { findFacilityName } from '../repositories/facilities.ts';
import { findRecipient } from '../repositories/notifications.ts';
import { setRecipientSwitches } from './set-recipient-switches.ts';

/** Forged, altered, or naming a recipient that is gone: the same answer, whichever. */
const unknownLink = () => notFound('This unsubscribe link is not valid (any more)');

function target(deps: Deps, token: string): UnsubscribeTarget {
  const t = readUnsubscribeToken(deps.env.APP_SECRET, token);
  if (!t) throw unknownLink();
  return t;
}

const SWITCH = { email: 'notifyEmail', sms: 'notifySms' } as const;

export async function readUnsubscribe(deps: Deps, token: string): Promise<UnsubscribeState> {
  const t = target(deps, token);
  const facilityName = await findFacilityName(deps.db.prisma, t.facilityId);
  const r = facilityName ? await deps.db.withFacility(t.facilityId, (tx) => findRecipient(tx, t.facilityId, t.recipientId)) : null;
  if (!facilityName || !r || r.deletedAt) throw unknownLink();
  return { channel: t.channel, facilityName, subscribed: r[SWITCH[t.channel]] };
}

export async function unsubscribe(deps: Deps, token: string): Promise<UnsubscribeState> {
  const t = target(deps, token);
  const facilityName = await findFacilityName(deps.db.prisma, t.facilityId);
  if (!facilityName) throw unknownLink();
  const row = await deps.db.withFacility(t.facilityId, (tx) =>
    setRecipientSwitches(tx, t.facilityId, t.recipientId, { [SWITCH[t.channel]]: false }, { userId: null }),
  );
  if (!row) throw unknownLink();
  return { channel: t.channel, facilityName, subscribed: row[SWITCH[t.channel]] };
}
