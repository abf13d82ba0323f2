// The facility's connected channels beyond email (Admin → Integrations): each connected and enabled
// integration as a sender, its credentials decrypted only here, in the server, when a message goes
// out. Filled in by the integrations work; until then a facility has none.
import type { Deps } from '../context.ts';
import type { ChannelSender } from './channel.ts';

export type FacilityChannels = Partial<Record<'sms' | 'slack' | 'teams', ChannelSender>>;

/** Records the outcome of a send on the integration (last error / last sent), for the admin. */
export type IntegrationOutcome = { ok: true } | { ok: false; error: string };

export async function facilityChannels(_deps: Deps, _facilityId: string): Promise<FacilityChannels> {
  return {};
}

export async function recordIntegrationOutcome(
  _deps: Deps,
  _facilityId: string,
  _channel: keyof FacilityChannels,
  _outcome: IntegrationOutcome,
): Promise<void> {}
