// The notification queue's doorbell: anything that makes a notification due now (a push that
// queued some, an admin's resend) rings it so the sender runs without waiting for its next poll.
// Filled in by the delivery pipeline.
import type { Deps } from '../context.ts';

export function wakeNotifications(deps: Deps): void {
  void deps;
}
