// The senders of the facility's integrations (ChannelSender, channel.ts): Slack and Teams post the
// facility's feed to an incoming webhook; Twilio texts a recipient through the twilio SDK. Each
// answers whether the provider took the message and, when not, whether retrying can help: a 4xx is
// the provider refusing this message or these credentials (permanent, with its reason), a 429 or a
// 5xx is a definite "not taken" (retried), and a timeout or a connection lost once it was open is
// ambiguous: the message may have gone out (the pipeline asks Twilio, and never reposts a feed).
import twilio from 'twilio';
import type { TwilioCredentials } from '../../../src/lib/domain/integrations.ts';
import type { ChannelSender, OutgoingMessage, SendResult } from './channel.ts';
import { BlockedAddressError, safePostJson, type Resolver } from './safe-post.ts';

const REASON_MAX = 300;

/** A provider's reason, on one line and short; never the request (webhook URLs and tokens are secrets). */
export function reason(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > REASON_MAX ? `${line.slice(0, REASON_MAX - 1)}…` : line;
}

const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

function httpOutcome(provider: string, status: number, body: string): SendResult {
  if (status >= 200 && status < 300) return { ok: true };
  const said = reason(body) || 'no reason given';
  if (status >= 300 && status < 400)
    return { ok: false, permanent: true, error: `${provider} answered ${status} (redirects are not followed)` };
  return { ok: false, permanent: !retryable(status), error: `${provider} answered ${status}: ${said}` };
}

/** Failures that happen before a connection is open: the request cannot have reached the provider. */
const NOT_CONNECTED = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

function networkOutcome(provider: string, err: unknown): SendResult {
  if (err instanceof BlockedAddressError) return { ok: false, permanent: true, error: `${provider}: ${err.message}` };
  const code = (err as NodeJS.ErrnoException)?.code;
  const ambiguous = !(code && NOT_CONNECTED.has(code));
  const what =
    code === 'ETIMEDOUT'
      ? 'did not answer in time'
      : code === 'ENOTFOUND'
        ? 'its host name does not resolve'
        : `could not be reached (${code ?? 'network error'})`;
  return { ok: false, permanent: false, ambiguous, error: `${provider} ${what}` };
}

export interface WebhookSenderOptions {
  url: URL;
  allowLocal: boolean;
  timeoutMs?: number;
  resolve?: Resolver;
}

/** The first line of a message, bold, then the rest: what a feed reader scans. */
const lines = (m: OutgoingMessage) => ({ title: m.subject, body: m.text });

/** Slack incoming webhook: `text` is the notification fallback, `blocks` what the channel shows. */
export function slackPayload(m: OutgoingMessage) {
  const { title, body } = lines(m);
  return {
    text: `${title}\n${body}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150), emoji: false } },
      { type: 'section', text: { type: 'mrkdwn', text: body.slice(0, 3000) } },
    ],
  };
}

/**
 * Teams: a message with one Adaptive Card, the shape both Workflows ("When a Teams webhook request is
 * received") and the older incoming webhooks accept.
 */
export function teamsPayload(m: OutgoingMessage) {
  const { title, body } = lines(m);
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true },
            { type: 'TextBlock', text: body, wrap: true },
          ],
        },
      },
    ],
  };
}

function webhookSender(provider: string, payload: (m: OutgoingMessage) => unknown, opts: WebhookSenderOptions): ChannelSender {
  return {
    async send(message) {
      try {
        const answer = await safePostJson(opts.url, payload(message), opts);
        return httpOutcome(provider, answer.status, answer.body);
      } catch (err) {
        return networkOutcome(provider, err);
      }
    },
  };
}

export const slackSender = (opts: WebhookSenderOptions) => webhookSender('Slack', slackPayload, opts);
export const teamsSender = (opts: WebhookSenderOptions) => webhookSender('Teams', teamsPayload, opts);

/**
 * The SDK's HTTP client, sending to `apiBase` instead of Twilio's hosts when one is configured
 * (TWILIO_API_BASE: a local stand-in in tests), with no retries of its own (the pipeline retries).
 */
class BaseRewritingClient extends twilio.RequestClient {
  constructor(
    private readonly apiBase: URL | null,
    timeoutMs: number,
  ) {
    super({ timeout: timeoutMs, autoRetry: false });
  }
  override request<TData>(opts: Parameters<twilio.RequestClient['request']>[0]) {
    if (!this.apiBase) return super.request<TData>(opts as never);
    const uri = new URL(opts.uri);
    uri.protocol = this.apiBase.protocol;
    uri.host = this.apiBase.host;
    return super.request<TData>({ ...opts, uri: uri.href } as never);
  }
}

export interface TwilioSenderOptions {
  credentials: TwilioCredentials;
  apiBase?: string;
  timeoutMs?: number;
}

/**
 * Twilio SMS. The message SID is the provider id the pipeline stores, so a retried job knows it was
 * sent; after an ambiguous attempt the pipeline asks `findAccepted` before sending again.
 */
export function twilioSender(opts: TwilioSenderOptions): ChannelSender {
  const { accountSid, authToken, from } = opts.credentials;
  const client = twilio(accountSid, authToken, {
    httpClient: new BaseRewritingClient(opts.apiBase ? new URL(opts.apiBase) : null, opts.timeoutMs ?? 10_000),
  });
  return {
    async send(message) {
      try {
        const sent = await client.messages.create({
          to: message.to,
          body: message.text,
          ...(from.startsWith('MG') ? { messagingServiceSid: from } : { from }),
        });
        return { ok: true, providerId: sent.sid };
      } catch (err) {
        if (err instanceof twilio.RestException) {
          const code = err.code ? ` (error ${err.code})` : '';
          return {
            ok: false,
            permanent: !retryable(err.status),
            error: `Twilio answered ${err.status}${code}: ${reason(err.message || 'no reason given')}`,
          };
        }
        return networkOutcome('Twilio', err);
      }
    },
    async findAccepted(message, since) {
      // Newest first; a recipient gets few texts, so one page covers any retry window. Filtered on
      // the creation time (not DateSent: a message still queued at Twilio has none yet).
      const viaService = from.startsWith('MG');
      const found = await client.messages.list({ to: message.to, ...(viaService ? {} : { from }), limit: 100 });
      return found
        .filter(
          (m) =>
            m.body === message.text &&
            (viaService ? m.messagingServiceSid === from : true) &&
            m.dateCreated instanceof Date &&
            m.dateCreated.getTime() >= since.getTime(),
        )
        .map((m) => m.sid);
    },
  };
}
