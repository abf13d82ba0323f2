// Page objects: how a person drives the app (labels and roles, as a screen reader would).
import { expect, type Locator, type Page } from '@playwright/test';
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

/**
 * A destination of the main navigation. On a phone the bottom bar holds the everyday ones and the
 * rest sit under "More", which is opened first when the link is not on screen.
 */
export async function mainNav(page: Page, name: string): Promise<Locator> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  const link = nav.getByRole('link', { name });
  const more = nav.getByRole('button', { name: 'More' });
  await expect(link.or(more).first()).toBeVisible();
  if (!(await link.isVisible()) && (await more.isVisible())) await more.click();
  return link;
}

/** A button of the header, or of the phone's "More" sheet. */
async function headerButton(page: Page, name: string): Promise<Locator> {
  const wide = page.locator('header').getByRole('button', { name });
  const more = page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'More' });
  await expect(wide.or(more).first()).toBeVisible();
  if (await wide.isVisible()) return wide;
  await more.click();
  return page.getByRole('dialog', { name: 'More' }).getByRole('button', { name });
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
    await (await headerButton(this.page, 'Sign out')).click();
    await expect(this.page).toHaveURL(/\/login/);
  }

  get activeFacilityName() {
    return this.page.getByTestId('active-facility-name');
  }

  get facilitySwitcher() {
    return this.page.getByLabel('Facility', { exact: true });
  }

  async addFacility(name: string) {
    await (await mainNav(this.page, 'New facility')).click();
    await this.page.getByLabel('Facility name').fill(name);
    await this.page.getByRole('button', { name: 'Create facility' }).click();
    await expect(this.activeFacilityName).toHaveText(name);
  }

  async switchTo(name: string) {
    await this.facilitySwitcher.selectOption({ label: name });
    await expect(this.activeFacilityName).toHaveText(name);
  }

  async invite(email: string, role: string): Promise<string> {
    await (await mainNav(this.page, 'Team')).click();
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Role', { exact: true }).selectOption(role);
    await this.page.getByRole('button', { name: 'Send invitation' }).click();
    const link = this.page.getByLabel('Invitation link');
    await expect(link).toHaveValue(/\/invite\/[A-Za-z0-9_-]+$/);
    return link.inputValue();
  }
}
