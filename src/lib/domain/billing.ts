// Access by subscription state (SPEC "billing"; privacy policy §6): a 10-day trial; a trial ended
// without subscribing, or a cancelled subscription, gives 30 days read-only, then deletion.
// Read-only means everything can be viewed and exported, nothing changed.

export const READ_ONLY_DAYS = 30;
const DAY = 24 * 3600 * 1000;

export type SubscriptionStatus = 'trialing' | 'active' | 'past_due' | 'canceled' | 'expired';
export type AccessMode = 'full' | 'read_only' | 'pending_deletion';

export interface SubscriptionState {
  status: SubscriptionStatus;
  trialEndsAt: Date;
  currentPeriodEnd: Date | null;
  canceledAt: Date | null;
}

export function accessMode(s: SubscriptionState, now: Date): AccessMode {
  if (s.status === 'active' || s.status === 'past_due') return 'full';
  const end = s.status === 'trialing' ? s.trialEndsAt : (s.currentPeriodEnd ?? s.canceledAt ?? s.trialEndsAt);
  if (now < end) return 'full';
  if (now.getTime() < end.getTime() + READ_ONLY_DAYS * DAY) return 'read_only';
  return 'pending_deletion';
}
