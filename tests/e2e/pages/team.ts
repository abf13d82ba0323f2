// Page objects: the team page and the organization page (admins; the organization's owner acts).
import { expect, type Page } from '@playwright/test';
import { mainNav } from './app.ts';

export class TeamPage {
  constructor(readonly page: Page) {}

  async open() {
    await (await mainNav(this.page, 'Team')).click();
    await expect(this.page.getByRole('heading', { name: 'Team', exact: true })).toBeVisible();
  }

  member(email: string) {
    return this.page.getByTestId('member-row').and(this.page.locator(`[data-email="${email}"]`));
  }

  invitation(email: string) {
    return this.page.getByTestId('invitation-row').and(this.page.locator(`[data-email="${email}"]`));
  }

  roleOf(name: string) {
    return this.page.getByLabel(`Role of ${name}`);
  }

  get status() {
    return this.page.getByRole('main').getByRole('status');
  }
}

export class OrganizationPage {
  constructor(readonly page: Page) {}

  async open() {
    await (await mainNav(this.page, 'Organization')).click();
    await expect(this.page.getByRole('heading', { name: 'Organization', exact: true })).toBeVisible();
  }

  facility(name: string) {
    return this.page.getByTestId('facility-row').and(this.page.locator(`[data-name="${name}"]`));
  }
}
