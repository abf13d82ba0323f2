// What every notification channel speaks: the pipeline (notifications/ worker) renders one message
// and hands it to a channel's sender; a sender answers whether the provider took it, and whether a
// failure is worth retrying. Email is built in; SMS, Slack and Teams come from the facility's
// integrations (integrations.ts); the in-app bell is a row the recipient's user reads.

/** The kinds on the wire (http-api.md "Notifications"). */
export type NotificationKind = 'received' | 'held' | 'delivered' | 'reminder';
export type NotificationChannel = 'email' | 'sms' | 'slack' | 'teams' | 'inapp';
export type NotificationStatus = 'queued' | 'sent' | 'failed' | 'captured';

export interface OutgoingMessage {
  /** An email address, an E.164 phone number, or the feed (Slack/Teams: the facility's webhook). */
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Extra headers (email: List-Unsubscribe, List-Unsubscribe-Post). */
  headers?: Record<string, string>;
  /** Stable per message across retries: the provider's idempotency key (Resend), or our own record. */
  idempotencyKey: string;
}

export type SendResult =
  | { ok: true; providerId?: string }
  /**
   * `permanent`: the provider refused the message itself (4xx); retrying cannot help.
   * `ambiguous`: the request may have reached the provider and no answer came back (a timeout
   * after sending, a connection dropped mid-request): the message may have gone out.
   */
  | { ok: false; permanent: boolean; ambiguous?: boolean; error: string };

export interface ChannelSender {
  send(message: OutgoingMessage): Promise<SendResult>;
  /**
   * Providers that can be asked (Twilio): the ids of messages already accepted for this address
   * with exactly this text, created at or after `since`. Senders without it cannot tell whether an
   * ambiguous attempt went out.
   */
  findAccepted?(message: OutgoingMessage, since: Date): Promise<string[]>;
}
