// The facility's connected channels beyond email (Admin → Integrations): each connected and enabled
// integration as a sender, its credentials decrypted only here, in the server, when a message goes
// out. Sealing binds the envelope to its facility and kind (associated data), so a sealed value
// moved to another row does not open.
import {
  CREDENTIAL_SCHEMAS,
  INTEGRATION_CHANNEL,
  INTEGRATION_KINDS,
  checkWebhookUrl,
  type IntegrationCredentials,
  type IntegrationKind,
  type TwilioCredentials,
  type WebhookCredentials,
} from '../../../src/lib/domain/integrations.ts';
import type { Deps } from '../context.ts';
import type { Env } from '../env.ts';
import { listFacilityIds } from '../repositories/facilities.ts';
import { listSealedIntegrations, recordOutcome, resealIntegration } from '../repositories/integrations.ts';
import type { ChannelSender } from './channel.ts';
import type { Resolver } from './safe-post.ts';
import { needsRotation, open, seal, SecretBoxError } from './secret-box.ts';
import { slackSender, teamsSender, twilioSender } from './senders.ts';

export type FacilityChannels = Partial<Record<'sms' | 'slack' | 'teams', ChannelSender>>;

/** Records the outcome of a send on the integration (last error / last sent), for the admin. */
export type IntegrationOutcome = { ok: true } | { ok: false; error: string };

const KIND_OF_CHANNEL = { sms: 'twilio', slack: 'slack', teams: 'teams' } as const satisfies Record<
  keyof FacilityChannels,
  IntegrationKind
>;

const associatedData = (facilityId: string, kind: IntegrationKind) => `integration:${facilityId}:${kind}`;

export function sealCredentials<K extends IntegrationKind>(
  env: Env,
  facilityId: string,
  kind: K,
  credentials: IntegrationCredentials[K],
): string {
  return seal(env.ENCRYPTION_KEY_RING, JSON.stringify(credentials), associatedData(facilityId, kind));
}

export function openCredentials<K extends IntegrationKind>(
  env: Env,
  facilityId: string,
  kind: K,
  sealed: string,
): IntegrationCredentials[K] {
  const parsed = CREDENTIAL_SCHEMAS[kind].safeParse(JSON.parse(open(env.ENCRYPTION_KEY_RING, sealed, associatedData(facilityId, kind))));
  if (!parsed.success) throw new SecretBoxError('malformed', 'The stored credentials are not of their kind');
  return parsed.data as IntegrationCredentials[K];
}

/**
 * The sender for one integration's credentials. Webhook URLs meet the URL rules again here (a URL
 * stored under looser settings does not get requested under production ones).
 */
export function senderFor(
  env: Env,
  kind: IntegrationKind,
  credentials: TwilioCredentials | WebhookCredentials,
  opts: { resolve?: Resolver } = {},
): ChannelSender {
  if (kind === 'twilio') return twilioSender({ credentials: credentials as TwilioCredentials, apiBase: env.TWILIO_API_BASE });
  const checked = checkWebhookUrl(kind, (credentials as WebhookCredentials).webhookUrl, { allowLocal: env.ALLOW_LOCAL_WEBHOOKS });
  if (!checked.ok) {
    const provider = kind === 'slack' ? 'Slack' : 'Teams';
    return {
      send: async () => ({ ok: false, permanent: true, error: `${provider}: the webhook URL is not allowed (${checked.problem})` }),
    };
  }
  const webhook = { url: checked.url, allowLocal: env.ALLOW_LOCAL_WEBHOOKS, resolve: opts.resolve };
  return kind === 'slack' ? slackSender(webhook) : teamsSender(webhook);
}

export async function facilityChannels(deps: Deps, facilityId: string): Promise<FacilityChannels> {
  const rows = await deps.db.withFacility(facilityId, (tx) => listSealedIntegrations(tx, facilityId));
  const channels: FacilityChannels = {};
  for (const row of rows) {
    const kind = row.kind as IntegrationKind;
    if (!row.enabled || !(INTEGRATION_KINDS as readonly string[]).includes(kind)) continue;
    try {
      channels[INTEGRATION_CHANNEL[kind]] = senderFor(deps.env, kind, openCredentials(deps.env, facilityId, kind, row.credentials));
    } catch (e) {
      // Not a sender: the admin sees why and reconnects (or the operator restores the old key).
      const why = e instanceof SecretBoxError ? e.message : 'The stored credentials cannot be read';
      await recordIntegrationOutcome(deps, facilityId, INTEGRATION_CHANNEL[kind], {
        ok: false,
        error: `Cannot decrypt the credentials: ${why}`,
      });
    }
  }
  return channels;
}

export async function recordIntegrationOutcome(
  deps: Deps,
  facilityId: string,
  channel: keyof FacilityChannels,
  outcome: IntegrationOutcome,
): Promise<void> {
  await deps.db.withFacility(facilityId, (tx) => recordOutcome(tx, facilityId, KIND_OF_CHANNEL[channel], outcome, new Date()));
}

/**
 * Key rotation: re-seals, with the current key of ENCRYPTION_KEY, every integration sealed with an
 * older one. Answers how many were re-sealed; one that cannot be opened (its key no longer listed)
 * is left as it is and counted apart.
 */
export async function rotateIntegrationKeys(deps: Deps): Promise<{ resealed: number; unreadable: number }> {
  const ring = deps.env.ENCRYPTION_KEY_RING;
  let resealed = 0;
  let unreadable = 0;
  for (const facilityId of await listFacilityIds(deps.db.prisma)) {
    await deps.db.withFacility(facilityId, async (tx) => {
      for (const row of await listSealedIntegrations(tx, facilityId)) {
        if (!needsRotation(ring, row.credentials)) continue;
        const kind = row.kind as IntegrationKind;
        let plaintext: string;
        try {
          plaintext = open(ring, row.credentials, associatedData(facilityId, kind));
        } catch {
          unreadable++;
          continue;
        }
        if (await resealIntegration(tx, facilityId, row.id, row.version, seal(ring, plaintext, associatedData(facilityId, kind))))
          resealed++;
      }
    });
  }
  return { resealed, unreadable };
}
