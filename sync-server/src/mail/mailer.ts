// Outgoing email. Resend (through its SDK) when RESEND_API_KEY is set; in development the message
// is logged and kept in memory so a person (or a test) can follow the link without a mail provider.
// Account emails (invitations, password resets) and notification emails share the one Resend client.
import { Resend } from 'resend';
import type { ChannelSender, OutgoingMessage, SendResult } from '../notifications/channel.ts';

export interface Email {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** True when mail really leaves the server (a token must then never be shown in the API). */
  readonly delivers: boolean;
  send(email: Email): Promise<void>;
}

export class LogMailer implements Mailer {
  readonly delivers = false;
  readonly sent: Email[] = [];
  constructor(private readonly log: boolean = true) {}
  async send(email: Email) {
    this.sent.push(email);
    if (this.sent.length > 100) this.sent.shift();
    if (this.log) console.log(`[mail] to ${email.to}: ${email.subject}`);
  }
}

/** Email through the Resend SDK; `baseUrl` points it at any Resend-compatible server (RESEND_BASE_URL). */
export class ResendEmail implements Mailer, ChannelSender {
  readonly delivers = true;
  private readonly client: Resend;
  constructor(
    apiKey: string,
    private readonly from: string,
    baseUrl?: string,
  ) {
    this.client = new Resend(apiKey, baseUrl ? { baseUrl } : undefined);
  }

  async send(email: Email): Promise<void>;
  async send(message: OutgoingMessage): Promise<SendResult>;
  async send(message: Email | OutgoingMessage): Promise<void | SendResult> {
    if (!('idempotencyKey' in message)) {
      const { error } = await this.client.emails.send({ from: this.from, to: [message.to], subject: message.subject, text: message.text });
      if (error) throw new Error(`Resend refused the email: ${error.message}`);
      return;
    }
    const { data, error } = await this.client.emails.send(
      {
        from: this.from,
        to: [message.to],
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        ...(message.headers && Object.keys(message.headers).length ? { headers: message.headers } : {}),
      },
      // The same key on every retry: Resend sends a message once however often it is asked.
      { idempotencyKey: message.idempotencyKey },
    );
    if (!error) return { ok: true, providerId: data?.id };
    return { ok: false, permanent: isPermanent(error), error: describe(error) };
  }
}

type ResendError = { statusCode?: number | null; name?: string; message?: string };

/**
 * A 4xx is the provider refusing this message (bad address, validation): retrying cannot help.
 * 408 and 429 (timeout, rate limit) and 409 (the same idempotency key still in flight) pass;
 * 5xx and a request that never got an answer are retried.
 */
function isPermanent(e: ResendError): boolean {
  const s = e.statusCode ?? 0;
  return s >= 400 && s < 500 && ![408, 409, 429].includes(s);
}

const describe = (e: ResendError) =>
  `${e.statusCode ? `${e.statusCode} ` : ''}${e.name ?? 'error'}: ${e.message ?? 'no reason given'}`.slice(0, 500);
