// The in-app bell (SPEC "Notifications": in-app for recipients with accounts): the signed-in user's
// own notifications in the active facility, newest first, with the unread count; marking read.
import { BELL_PAGE_DEFAULT, wireKind, type BellPage, type MarkReadInput } from '../../../src/lib/domain/notifications-api.ts';
import type { Deps } from '../context.ts';
import { countUnread, listBell, markRead } from '../repositories/notifications.ts';
import type { Actor } from './resolve-actor.ts';

export async function readBell(deps: Deps, actor: Actor, limit = BELL_PAGE_DEFAULT): Promise<BellPage> {
  const { items, unread } = await deps.db.withFacility(actor.facilityId, (tx) => listBell(tx, actor.facilityId, actor.user.id, limit));
  return { items: items.map((i) => ({ ...i, kind: wireKind(i.kind) })), unread };
}

export async function markBellRead(deps: Deps, actor: Actor, input: MarkReadInput): Promise<{ unread: number }> {
  return deps.db.withFacility(actor.facilityId, async (tx) => {
    await markRead(tx, actor.facilityId, actor.user.id, 'all' in input ? 'all' : input.ids.map((id) => id.toLowerCase()));
    return { unread: await countUnread(tx, actor.facilityId, actor.user.id) };
  });
}
