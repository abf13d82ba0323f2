// One-click unsubscribe (RFC 8058) for non-essential messages: a link to the app's own origin that
// works without a session, only for its own recipient and channel, and cannot be guessed. The token
// names the facility, the recipient and the channel, signed with an HMAC-SHA256 under a key derived
// from APP_SECRET (nothing stored; a changed APP_SECRET retires every link sent before). The page at
// the link asks before it changes anything (link scanners open links); mail providers POST to the
// API route the List-Unsubscribe header names (RFC 8058 §3.1).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { UnsubscribeChannel } from '../../../src/lib/domain/notifications-api.ts';
import type { Deps } from '../context.ts';

export interface UnsubscribeLink {
  url: string;
  /** `List-Unsubscribe` and `List-Unsubscribe-Post` */
  headers: Record<string, string>;
}

export interface UnsubscribeTarget {
  facilityId: string;
  recipientId: string;
  channel: UnsubscribeChannel;
}

const CHANNEL_BYTE: Record<UnsubscribeChannel, number> = { email: 1, sms: 2 };
const CHANNEL_OF = new Map(Object.entries(CHANNEL_BYTE).map(([c, b]) => [b, c as UnsubscribeChannel]));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');
const uuidOf = (b: Buffer) => {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/** A key for this purpose only, so the signature is never valid as any other token of the app. */
const signingKey = (secret: string) => createHmac('sha256', secret).update('packagetrack unsubscribe v1').digest();
const sign = (secret: string, payload: Buffer) => createHmac('sha256', signingKey(secret)).update(payload).digest();

export function unsubscribeToken(secret: string, t: UnsubscribeTarget): string {
  if (!UUID.test(t.facilityId) || !UUID.test(t.recipientId)) throw new Error('unsubscribe token needs uuids');
  const payload = Buffer.concat([uuidBytes(t.facilityId), uuidBytes(t.recipientId), Buffer.from([CHANNEL_BYTE[t.channel]])]);
  return `${payload.toString('base64url')}.${sign(secret, payload).toString('base64url')}`;
}

/** What a token names, or null when it is not one this server signed (forged, cut, altered). */
export function readUnsubscribeToken(secret: string, token: string): UnsubscribeTarget | null {
  const m = /^([A-Za-z0-9_-]{44})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const payload = Buffer.from(m[1]!, 'base64url');
  const given = Buffer.from(m[2]!, 'base64url');
  if (payload.length !== 33 || given.length !== 32) return null;
  if (!timingSafeEqual(given, sign(secret, payload))) return null;
  const channel = CHANNEL_OF.get(payload[32]!);
  if (!channel) return null;
  return { facilityId: uuidOf(payload.subarray(0, 16)), recipientId: uuidOf(payload.subarray(16, 32)), channel };
}

/**
 * The link and headers every non-essential message carries (the pipeline adds them): `url` is the
 * page a person opens from the message (it asks before it changes anything), the List-Unsubscribe
 * header names the API route a mail provider POSTs `List-Unsubscribe=One-Click` to (RFC 8058 §3.1;
 * opened in a browser instead, it leads to the same page).
 */
export function unsubscribeLink(deps: Deps, facilityId: string, recipientId: string, channel: UnsubscribeChannel): UnsubscribeLink {
  const token = unsubscribeToken(deps.env.APP_SECRET, { facilityId, recipientId, channel });
  const url = new URL(`/unsubscribe/${token}`, deps.env.PUBLIC_ORIGIN).toString();
  const oneClick = new URL(`/api/unsubscribe/${token}`, deps.env.PUBLIC_ORIGIN).toString();
  return { url, headers: { 'List-Unsubscribe': `<${oneClick}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } };
}
