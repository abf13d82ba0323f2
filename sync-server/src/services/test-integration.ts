// An admin sends a test message through one integration now (Admin → Integrations): the provider's
// answer is recorded on the integration like any send's, and answered.
import { randomUUID } from 'node:crypto';
import {
  INTEGRATION_CHANNEL,
  INTEGRATION_LABELS,
  type IntegrationKind,
  type TestIntegrationInput,
} from '../../../src/lib/domain/integrations.ts';
import type { Deps } from '../context.ts';
import { AppError, notFound } from '../http/errors.ts';
import type { OutgoingMessage } from '../notifications/channel.ts';
import { openCredentials, recordIntegrationOutcome, senderFor } from '../notifications/integrations.ts';
import { SecretBoxError } from '../notifications/secret-box.ts';
import { findIntegration, listSealedIntegrations } from '../repositories/integrations.ts';
import { integrationView } from './manage-integrations.ts';
import { authorize, type Actor } from './resolve-actor.ts';

export function testMessage(kind: IntegrationKind, facilityName: string, to: string): OutgoingMessage {
  const text =
    kind === 'twilio'
      ? `${facilityName}: test message from PackageTrack Pro. Package notifications will come from this sender.`
      : `This is a test from ${facilityName}. Package notifications for this facility will appear here.`;
  return { to, subject: `${facilityName}: test message from PackageTrack Pro`, text, idempotencyKey: `test-${randomUUID()}` };
}

export async function testIntegration(deps: Deps, actor: Actor, kind: IntegrationKind, input: TestIntegrationInput) {
  authorize(actor, 'integrations.manage');
  if (kind === 'twilio' && !input.to) throw new AppError(400, 'invalid_input', 'to: enter the phone number to text, as +15551234567');
  const row = await deps.db.withFacility(actor.facilityId, async (tx) =>
    (await listSealedIntegrations(tx, actor.facilityId)).find((r) => r.kind === kind),
  );
  if (!row) throw notFound(`${INTEGRATION_LABELS[kind]} is not connected`);

  let result: { ok: true } | { ok: false; error: string };
  try {
    const sender = senderFor(deps.env, kind, openCredentials(deps.env, actor.facilityId, kind, row.credentials));
    const sent = await sender.send(testMessage(kind, actor.facility.name, input.to ?? 'feed'));
    result = sent.ok ? { ok: true } : { ok: false, error: sent.error };
  } catch (e) {
    if (!(e instanceof SecretBoxError)) throw e;
    result = { ok: false, error: `Cannot decrypt the credentials: ${e.message}` };
  }
  await recordIntegrationOutcome(deps, actor.facilityId, INTEGRATION_CHANNEL[kind], result);
  const view = await deps.db.withFacility(actor.facilityId, (tx) => findIntegration(tx, actor.facilityId, kind));
  return { ok: result.ok, error: result.ok ? null : result.error, integration: integrationView(kind, view) };
}
