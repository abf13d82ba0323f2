// Admin → Integrations (SPEC "Notifications"): the channels a facility connects beyond email, what
// an admin sends to connect each, what the server answers about them (never a secret), and the
// rules a webhook URL must meet before the server will ever request it.
import { z } from 'zod';

export const INTEGRATION_KINDS = ['twilio', 'slack', 'teams'] as const;
export type IntegrationKind = (typeof INTEGRATION_KINDS)[number];

export const INTEGRATION_LABELS: Record<IntegrationKind, string> = {
  twilio: 'Twilio (SMS)',
  slack: 'Slack',
  teams: 'Microsoft Teams',
};

/** The notification channel each integration carries (Twilio sends SMS to recipients; the others post to the facility's feed). */
export const INTEGRATION_CHANNEL = { twilio: 'sms', slack: 'slack', teams: 'teams' } as const satisfies Record<IntegrationKind, string>;

export const isIntegrationKind = (v: unknown): v is IntegrationKind =>
  typeof v === 'string' && (INTEGRATION_KINDS as readonly string[]).includes(v);

/** An E.164 phone number: "+", country code, subscriber number, 8–15 digits in all. */
export const E164 = /^\+[1-9]\d{7,14}$/;

const webhookUrl = z.string().trim().min(1, { message: 'Paste the webhook URL' }).max(2048, { message: 'That URL is too long' });

export const twilioCredentials = z
  .strictObject({
    accountSid: z
      .string()
      .trim()
      .regex(/^AC[0-9a-fA-F]{32}$/, { message: 'An Account SID starts with AC followed by 32 hexadecimal characters' }),
    authToken: z
      .string()
      .trim()
      .regex(/^[0-9a-zA-Z]{32}$/, { message: 'An Auth Token is 32 letters and digits (Twilio Console → Account info)' }),
    from: z
      .string()
      .trim()
      .refine((v) => E164.test(v) || /^MG[0-9a-fA-F]{32}$/.test(v), {
        message: 'Give the sending number as +15551234567, or a Messaging Service SID (MG…)',
      }),
  })
  .describe('Twilio: Account SID, Auth Token, and a sending number (E.164) or Messaging Service SID');

export const slackCredentials = z.strictObject({ webhookUrl }).describe('A Slack incoming webhook URL');
export const teamsCredentials = z
  .strictObject({ webhookUrl })
  .describe('A Microsoft Teams Workflows (Power Automate) or incoming webhook URL');

export type TwilioCredentials = z.infer<typeof twilioCredentials>;
export type WebhookCredentials = z.infer<typeof slackCredentials>;
export type IntegrationCredentials = { twilio: TwilioCredentials; slack: WebhookCredentials; teams: WebhookCredentials };

export const CREDENTIAL_SCHEMAS = { twilio: twilioCredentials, slack: slackCredentials, teams: teamsCredentials } as const;

/** PUT /api/integrations/{kind}: the credentials of that kind, and whether messages go out (default: yes). */
export const connectIntegrationInput = z.strictObject({
  credentials: z
    .record(z.string(), z.unknown())
    .describe('twilio: { accountSid, authToken, from } (from: E.164 number or Messaging Service SID); slack, teams: { webhookUrl }'),
  enabled: z.boolean().optional(),
});
export type ConnectIntegrationInput = z.infer<typeof connectIntegrationInput>;

/** POST /api/integrations/{kind}/test: SMS needs a number to text; the feeds need nothing. */
export const testIntegrationInput = z.strictObject({
  to: z.string().trim().regex(E164, { message: 'Enter the phone number as +15551234567' }).optional(),
});
export type TestIntegrationInput = z.infer<typeof testIntegrationInput>;

const when = z.string().nullable();
export const integrationView = z.object({
  kind: z.enum(INTEGRATION_KINDS),
  connected: z.boolean(),
  enabled: z.boolean(),
  hint: z.string().nullable().describe('The last 4 characters of the account or URL at most; never the secret'),
  lastError: z.string().nullable(),
  lastErrorAt: when,
  lastSentAt: when,
});
export type IntegrationView = z.infer<typeof integrationView>;

export const integrationList = z.object({ items: z.array(integrationView) });
export type IntegrationList = z.infer<typeof integrationList>;

export const testIntegrationResult = z.object({
  ok: z.boolean(),
  error: z.string().nullable().describe("The provider's reason when it refused the message"),
  integration: integrationView,
});
export type TestIntegrationResult = z.infer<typeof testIntegrationResult>;

/** What the admin sees of a credential again: its last 4 characters. */
export function credentialHint(kind: IntegrationKind, credentials: TwilioCredentials | WebhookCredentials): string {
  const source = kind === 'twilio' ? (credentials as TwilioCredentials).accountSid : (credentials as WebhookCredentials).webhookUrl;
  return source.slice(-4);
}

// --- Webhook URLs (SSRF guard, the pure half; the server resolves names and checks addresses) ---

/**
 * The provider's own hosts. Slack: incoming webhooks live on hooks.slack.com. Teams: Workflows
 * ("Post to a channel when a webhook request is received", Power Automate) on
 * <id>.environment.api.powerplatform.com, earlier on *.logic.azure.com (Logic Apps); the Office 365
 * connectors on <tenant>.webhook.office.com (being retired by Microsoft, still accepted for the
 * facilities that have one).
 */
export const WEBHOOK_HOSTS: Record<'slack' | 'teams', { exact: string[]; suffixes: string[] }> = {
  slack: { exact: ['hooks.slack.com'], suffixes: [] },
  teams: { exact: [], suffixes: ['.environment.api.powerplatform.com', '.logic.azure.com', '.webhook.office.com'] },
};

export type WebhookUrlProblem = 'invalid_url' | 'not_https' | 'credentials_in_url' | 'wrong_host' | 'wrong_port';

export const WEBHOOK_URL_MESSAGES: Record<WebhookUrlProblem, string> = {
  invalid_url: 'That is not a web address',
  not_https: 'The webhook URL must start with https://',
  credentials_in_url: 'The webhook URL must not carry a user name or password',
  wrong_host: 'That is not a webhook address of this provider',
  wrong_port: 'The webhook URL must use the standard HTTPS port',
};

/**
 * Whether the server may post to `raw` for `kind`. Production: https on the provider's own hosts,
 * port 443, nothing in the user-info part. With `allowLocal` (development and tests, never
 * production): http or https to any host, so local fakes can stand in for the providers.
 */
export function checkWebhookUrl(
  kind: 'slack' | 'teams',
  raw: string,
  opts: { allowLocal: boolean },
): { ok: true; url: URL } | { ok: false; problem: WebhookUrlProblem } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: 'invalid_url' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, problem: 'invalid_url' };
  if (url.username || url.password) return { ok: false, problem: 'credentials_in_url' };
  if (opts.allowLocal) return { ok: true, url };
  if (url.protocol !== 'https:') return { ok: false, problem: 'not_https' };
  // The URL parser drops ":443" for https, so any port left is another one.
  if (url.port !== '') return { ok: false, problem: 'wrong_port' };
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  const rules = WEBHOOK_HOSTS[kind];
  const allowed = rules.exact.includes(host) || rules.suffixes.some((s) => host.endsWith(s) && host.length > s.length);
  return allowed ? { ok: true, url } : { ok: false, problem: 'wrong_host' };
}

// --- Addresses the server must never request ---

function ipv4ToInt(ip: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

// RFC 6890 special-purpose ranges and the other blocks that are not the public internet.
const V4_BLOCKED: [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata at 169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and broadcast
];

function isPublicIpv4(ip: string): boolean {
  const n = ipv4ToInt(ip);
  if (n === null) return false;
  return !V4_BLOCKED.some(([base, bits]) => {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    return (n & mask) >>> 0 === (ipv4ToInt(base)! & mask) >>> 0;
  });
}

/** The eight 16-bit groups of an IPv6 address, or null when it is not one. */
function ipv6Groups(ip: string): number[] | null {
  let s = ip.toLowerCase();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  if (s.includes('%')) s = s.slice(0, s.indexOf('%'));
  // A trailing dotted IPv4 part (::ffff:127.0.0.1) becomes two groups.
  const v4 = /(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(s);
  if (v4) {
    const n = ipv4ToInt(v4[1]!);
    if (n === null) return null;
    s = s.slice(0, -v4[1]!.length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === '' ? [] : part.split(':'));
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => parseInt(g, 16));
}

function isPublicIpv6(ip: string): boolean {
  const g = ipv6Groups(ip);
  if (!g) return false;
  const embeddedV4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  if (g.every((x) => x === 0)) return false; // ::
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return false; // ::1
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d): judge the IPv4 address.
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) return isPublicIpv4(embeddedV4(g[6]!, g[7]!));
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return isPublicIpv4(embeddedV4(g[6]!, g[7]!));
  if (g[0] === 0x2002) return isPublicIpv4(embeddedV4(g[1]!, g[2]!)); // 6to4 carries its IPv4 address
  if ((g[0]! & 0xfe00) === 0xfc00) return false; // unique local fc00::/7
  if ((g[0]! & 0xffc0) === 0xfe80) return false; // link-local fe80::/10
  if ((g[0]! & 0xffc0) === 0xfec0) return false; // site-local (deprecated) fec0::/10
  if ((g[0]! & 0xff00) === 0xff00) return false; // multicast
  if (g[0] === 0x2001 && g[1] === 0x0db8) return false; // documentation
  if (g[0] === 0x2001 && g[1]! < 0x0200) return false; // 2001::/23 IETF protocol assignments (Teredo, ORCHID…)
  if (g[0] === 0x0100 && g.slice(1, 4).every((x) => x === 0)) return false; // discard-only 100::/64
  return true;
}

/**
 * Whether `ip` (an IPv4 or IPv6 literal) is an address on the public internet: not loopback,
 * private, link-local, carrier-grade NAT, multicast, documentation or otherwise reserved, including
 * when wrapped in an IPv6 form. Anything that does not parse is not public.
 */
export function isPublicAddress(ip: string): boolean {
  if (typeof ip !== 'string') return false;
  return ip.includes(':') ? isPublicIpv6(ip) : isPublicIpv4(ip);
}
