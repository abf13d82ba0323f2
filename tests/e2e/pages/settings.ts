// Page object: the facility settings page (admins).
import { expect, type Page } from '@playwright/test';

export class SettingsPage {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.getByRole('link', { name: 'Settings' }).click();
    await expect(this.page.getByRole('heading', { name: 'Facility settings' })).toBeVisible();
    await expect(this.name).not.toHaveValue('');
  }

  get name() {
    return this.page.getByLabel('Name', { exact: true });
  }
  get code() {
    return this.page.getByLabel('Facility code');
  }
  get timezone() {
    return this.page.getByLabel('Time zone');
  }
  get photoRetention() {
    return this.page.getByLabel('Photo retention (days)');
  }
  get reminderInterval() {
    return this.page.getByLabel('Reminder interval (hours)');
  }
  get signatureRequired() {
    return this.page.getByRole('switch', { name: 'Signature required for every hand-off' });
  }

  async save() {
    await this.page.getByRole('button', { name: 'Save settings' }).click();
  }

  async expectSaved() {
    await expect(this.page.getByRole('status').filter({ hasText: 'Settings saved' })).toBeVisible();
  }
}
