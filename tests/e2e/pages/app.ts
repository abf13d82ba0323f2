// Page objects: how a person drives the app (labels and roles, as a screen reader would).
import { expect, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';

export interface Account {
  name: string;
  email: string;
  password: string;
  organization: string;
  facility: string;
}

export function newAccount(prefix = 'e2e'): Account {
  const tag = randomBytes(4).toString('hex');
  return {
    name: `Pat ${tag}`,
    email: `${prefix}-${tag}@example.test`,
    password: `pw-${tag}-long-enough`,
    organization: `Org ${tag}`,
    facility: `Front Desk ${tag}`,
  };
}

export class AppPage {
  constructor(readonly page: Page) {}

  async signUp(a: Account) {
    await this.page.goto('/signup');
    await this.page.getByLabel('Name', { exact: true }).fill(a.name);
    await this.page.getByLabel('Email').fill(a.email);
    await this.page.getByLabel('Password').fill(a.password);
    await this.page.getByLabel('Organization').fill(a.organization);
    await this.page.getByLabel('First facility').fill(a.facility);
    await this.page.getByLabel('I confirm I am 18 or older').check();
    await this.page.getByRole('button', { name: 'Create account' }).click();
    await expect(this.activeFacilityName).toHaveText(a.facility);
  }

  async signIn(email: string, password: string) {
    await this.page.goto('/login');
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
  }

  async signOut() {
    await this.page.getByRole('button', { name: 'Sign out' }).click();
    await expect(this.page).toHaveURL(/\/login/);
  }

  get activeFacilityName() {
    return this.page.getByTestId('active-facility-name');
  }

  get facilitySwitcher() {
    return this.page.getByLabel('Facility', { exact: true });
  }

  async addFacility(name: string) {
    await this.page.getByRole('link', { name: 'New facility' }).click();
    await this.page.getByLabel('Facility name').fill(name);
    await this.page.getByRole('button', { name: 'Create facility' }).click();
    await expect(this.activeFacilityName).toHaveText(name);
  }

  async switchTo(name: string) {
    await this.facilitySwitcher.selectOption({ label: name });
    await expect(this.activeFacilityName).toHaveText(name);
  }

  async invite(email: string, role: string): Promise<string> {
    await this.page.getByRole('link', { name: 'Team' }).click();
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Role').selectOption(role);
    await this.page.getByRole('button', { name: 'Send invitation' }).click();
    const link = this.page.getByLabel('Invitation link');
    await expect(link).toHaveValue(/\/invite\/[A-Za-z0-9_-]+$/);
    return link.inputValue();
  }
}
