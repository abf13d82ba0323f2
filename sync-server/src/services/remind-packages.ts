// The desk's bulk "Remind": an admin reminds the recipients of selected packages now.
import type { RemindInput, RemindResponse } from '../../../src/lib/domain/package-remind.ts';
import type { Deps } from '../context.ts';
import { remindSelected } from '../notifications/pipeline.ts';
import { wakeNotifications } from '../notifications/queue.ts';
import { authorize, type Actor } from './resolve-actor.ts';
import { assertWritable } from './sync-guards.ts';

export async function remindPackages(deps: Deps, actor: Actor, input: RemindInput): Promise<RemindResponse> {
  authorize(actor, 'package.remind');
  // A reminder is a new outbox row and a message out: a deactivated or read-only facility sends
  // none (its automatic reminders stop too), so it is refused like any other write.
  await assertWritable(deps, actor);
  const result = await remindSelected(deps, actor.facilityId, input.packageIds, new Date());
  if (result.reminded > 0) wakeNotifications(deps);
  return result;
}
