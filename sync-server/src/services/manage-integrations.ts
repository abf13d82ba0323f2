// An admin connects, lists and disconnects the facility's integrations (Admin → Integrations).
// What goes back is the view of integrations.ts in the domain: connected, enabled, a hint of 4
// characters at most, the last error and the last send; never a credential.
import { randomUUID } from 'node:crypto';
import {
  CREDENTIAL_SCHEMAS,
  INTEGRATION_KINDS,
  INTEGRATION_LABELS,
  WEBHOOK_URL_MESSAGES,
  checkWebhookUrl,
  credentialHint,
  type ConnectIntegrationInput,
  type IntegrationKind,
  type IntegrationView,
  type TwilioCredentials,
  type WebhookCredentials,
} from '../../../src/lib/domain/integrations.ts';
import type { Deps } from '../context.ts';
import { AppError, invalidInput, notFound } from '../http/errors.ts';
import { sealCredentials } from '../notifications/integrations.ts';
import { deleteIntegration, listIntegrations, upsertIntegration } from '../repositories/integrations.ts';
import { authorize, type Actor } from './resolve-actor.ts';

type Row = Awaited<ReturnType<typeof listIntegrations>>[number];

export function integrationView(kind: IntegrationKind, row: Row | null | undefined): IntegrationView {
  return {
    kind,
    connected: Boolean(row),
    enabled: row?.enabled ?? false,
    hint: row?.hint ?? null,
    lastError: row?.lastError ?? null,
    lastErrorAt: row?.lastErrorAt?.toISOString() ?? null,
    lastSentAt: row?.lastSentAt?.toISOString() ?? null,
  };
}

export async function listFacilityIntegrations(deps: Deps, actor: Actor) {
  authorize(actor, 'integrations.manage');
  const rows = await deps.db.withFacility(actor.facilityId, (tx) => listIntegrations(tx, actor.facilityId));
  return {
    items: INTEGRATION_KINDS.map((kind) =>
      integrationView(
        kind,
        rows.find((r) => r.kind === kind),
      ),
    ),
  };
}

/** Validates the credentials of `kind` (and, for a webhook, the SSRF guard's URL rules), seals them and stores them. */
export async function connectIntegration(deps: Deps, actor: Actor, kind: IntegrationKind, input: ConnectIntegrationInput) {
  authorize(actor, 'integrations.manage');
  const parsed = CREDENTIAL_SCHEMAS[kind].safeParse(input.credentials);
  if (!parsed.success) {
    const e = invalidInput(parsed.error);
    throw new AppError(400, 'invalid_credentials', `${INTEGRATION_LABELS[kind]}: ${e.message}`, e.extra);
  }
  const credentials = parsed.data as TwilioCredentials | WebhookCredentials;
  if (kind !== 'twilio') {
    const checked = checkWebhookUrl(kind, (credentials as WebhookCredentials).webhookUrl, { allowLocal: deps.env.ALLOW_LOCAL_WEBHOOKS });
    if (!checked.ok) throw new AppError(400, 'webhook_url_refused', WEBHOOK_URL_MESSAGES[checked.problem], { problem: checked.problem });
    (credentials as WebhookCredentials).webhookUrl = checked.url.href;
  }
  const row = await deps.db.withFacility(actor.facilityId, (tx) =>
    upsertIntegration(tx, actor.facilityId, {
      id: randomUUID(),
      kind,
      credentials: sealCredentials(deps.env, actor.facilityId, kind, credentials),
      hint: credentialHint(kind, credentials),
      enabled: input.enabled ?? true,
    }),
  );
  return integrationView(kind, row);
}

export async function disconnectIntegration(deps: Deps, actor: Actor, kind: IntegrationKind) {
  authorize(actor, 'integrations.manage');
  const deleted = await deps.db.withFacility(actor.facilityId, (tx) => deleteIntegration(tx, actor.facilityId, kind));
  if (!deleted) throw notFound(`${INTEGRATION_LABELS[kind]} is not connected`);
}
