// One-click unsubscribe (RFC 8058) for non-essential messages: a link to the app's own origin that
// works without a session, only for its own recipient and channel, and cannot be guessed. Filled in
// by the preferences work; the pipeline adds what this answers to every non-essential email.
import type { Deps } from '../context.ts';

export interface UnsubscribeLink {
  url: string;
  /** `List-Unsubscribe` and `List-Unsubscribe-Post` */
  headers: Record<string, string>;
}

export function unsubscribeLink(deps: Deps, facilityId: string, recipientId: string, channel: 'email' | 'sms'): UnsubscribeLink {
  void deps;
  void facilityId;
  void recipientId;
  void channel;
  return { url: '', headers: {} };
}
