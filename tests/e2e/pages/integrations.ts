// Page object: Admin → Integrations.
import { expect, type Locator, type Page } from '@playwright/test';
import { mainNav } from './app.ts';

export class IntegrationsPage {
  constructor(readonly page: Page) {}

  async open() {
    await (await mainNav(this.page, 'Integrations')).click();
    await expect(this.page.getByRole('heading', { name: 'Integrations', level: 1 })).toBeVisible();
    await expect(this.card('slack')).toBeVisible();
  }

  card(kind: 'twilio' | 'slack' | 'teams'): Locator {
    return this.page.getByTestId(`integration-${kind}`);
  }

  status(kind: 'twilio' | 'slack' | 'teams') {
    return this.page.getByTestId(`${kind}-status`);
  }

  async connectSlack(webhookUrl: string) {
    const card = this.card('slack');
    await card.getByLabel('Webhook URL').fill(webhookUrl);
    await card.getByRole('button', { name: 'Connect' }).click();
    await expect(card.getByRole('status')).toHaveText('Slack connected.');
  }
}
