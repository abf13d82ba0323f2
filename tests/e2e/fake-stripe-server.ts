// The fake Stripe of the end-to-end run (playwright.config.ts starts it beside the app): the
// server's STRIPE_API_BASE points here, and its events are POSTed, signed, to the app's webhook.
import { startFakeStripe } from '../server/fake-stripe.ts';

const port = Number(process.env.E2E_STRIPE_PORT);
const appUrl = process.env.E2E_APP_URL!;
const secret = process.env.STRIPE_WEBHOOK_SECRET!;

const fake = await startFakeStripe({ port, webhookSecret: secret });
fake.deliver = async (payload, signature) => {
  const res = await fetch(`${appUrl}/api/billing/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    body: payload,
  });
  if (!res.ok) console.error('[fake-stripe] webhook answered', res.status, await res.text());
  return res.status;
};
console.log(`[fake-stripe] listening on ${fake.url}, delivering to ${appUrl}`);
const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
