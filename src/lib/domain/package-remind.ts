// POST /api/packages/remind: an admin reminds the recipients of selected packages now (the desk's
// bulk "Remind"). One reminder per recipient, listing everything still waiting for them.
import { z } from 'zod';

export const REMIND_MAX_PACKAGES = 500;

export const remindInput = z.object({ packageIds: z.array(z.string().uuid()).min(1).max(REMIND_MAX_PACKAGES) }).strict();
export type RemindInput = z.infer<typeof remindInput>;

/**
 * Why a selected package led to no reminder: it is no longer waiting (`not_open`), it is not a
 * live package of the active facility (`not_found`), its recipient has no email address
 * (`no_email`), or they do not want reminders by email (`opted_out`).
 */
export const REMIND_SKIP_REASONS = ['not_open', 'not_found', 'no_email', 'opted_out'] as const;
export type RemindSkipReason = (typeof REMIND_SKIP_REASONS)[number];

export const remindResponse = z.object({
  /** How many recipients get a reminder (one each, however many of their packages were selected). */
  reminded: z.number().int(),
  skipped: z.array(z.object({ packageId: z.string(), reason: z.enum(REMIND_SKIP_REASONS) })),
});
export type RemindResponse = z.infer<typeof remindResponse>;

const SKIP_WORDS: Record<RemindSkipReason, [string, string]> = {
  not_open: ['is no longer waiting', 'are no longer waiting'],
  not_found: ['is not in this facility', 'are not in this facility'],
  no_email: ['has a recipient without an email address', 'have recipients without an email address'],
  opted_out: ['has a recipient who switched reminders off', 'have recipients who switched reminders off'],
};

/** The outcome in words, e.g. "Reminder sent to 2 recipients. 1 package is no longer waiting." */
export function remindSummary(r: RemindResponse): string {
  const sent = r.reminded === 0 ? 'No reminder sent.' : `Reminder sent to ${r.reminded} ${r.reminded === 1 ? 'recipient' : 'recipients'}.`;
  const counts = new Map<RemindSkipReason, number>();
  for (const s of r.skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  const parts = REMIND_SKIP_REASONS.filter((k) => counts.has(k)).map((k) => {
    const n = counts.get(k)!;
    return `${n} ${n === 1 ? 'package' : 'packages'} ${SKIP_WORDS[k][n === 1 ? 0 : 1]}.`;
  });
  return [sent, ...parts].join(' ');
}
