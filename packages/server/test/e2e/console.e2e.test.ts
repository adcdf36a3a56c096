import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, screenshotConsole } from '../helpers/browser.js';
import { assertConsoleBuilt } from '../helpers/console.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const PASSWORD = 'olivia-password-1';
const NEW_PASSWORD = 'staple-lantern-orbit-9';
const missing = chromiumMissing();

describe.skipIf(missing !== undefined)('console in a browser', () => {
  let s: TestServer;
  let browser: Browser;
  let page: Page;

  async function screenshot(name: string) {
    await screenshotConsole(page, name);
  }

  beforeAll(async () => {
    assertConsoleBuilt();
    s = await startTestServer();
    await s.pushline.apps.update(s.app.sdkAppId, { name: 'Chat (production)' });
    await s.pushline.apps.create({ name: 'Support desk', adminIdentifier: 'support_admin' });
    await s.pushline.consoleUsers.create({ username: 'olivia', password: PASSWORD, role: 'admin' });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it('sends an anonymous visitor to sign-in and refuses a wrong password', async () => {
    await page.goto(`${s.url}/console/`);
    await page.waitForURL('**/console/sign-in');
    await page.getByLabel('User name').fill('olivia');
    await screenshot('sign-in');
    await page.getByLabel('Password').fill('not-her-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('wrong username or password');
  });

  it('signs in and lists the apps', async () => {
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/console/apps');
    const table = page.getByRole('table', { name: 'Apps' });
    await table.getByRole('link', { name: 'Chat (production)' }).waitFor();
    await table.getByRole('link', { name: 'Support desk' }).waitFor();
    expect(await page.getByTestId('signed-in-user').textContent()).toBe('olivia');
    await screenshot('apps');
  });

  it('opens app settings with the secret masked and reveals it with the password', async () => {
    await page.getByRole('link', { name: 'Chat (production)' }).click();
    await page.waitForURL(`**/console/apps/${s.app.sdkAppId}`);
    const secret = page.getByTestId('secret-key');
    expect(await secret.textContent()).toBe(`${'•'.repeat(12)}${s.app.secretKey.slice(-4)}`);
    await screenshot('app-settings');

    await page.getByRole('button', { name: 'Reveal secret key' }).click();
    await page.getByLabel('Your password').fill('wrong-password-here');
    await page.getByRole('button', { name: 'Reveal', exact: true }).click();
    await page.getByText('wrong password').waitFor();
    await page.getByLabel('Your password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Reveal', exact: true }).click();
    await expect.poll(() => secret.textContent()).toBe(s.app.secretKey);
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await screenshot('secret-revealed');
    await page.getByRole('button', { name: 'Hide' }).click();
  });

  it('edits the callback URL, which persists', async () => {
    const callback = page.getByLabel('Callback URL');
    await callback.fill('not a url');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Enter an http(s) URL or leave it empty').waitFor();
    await callback.fill('https://hooks.example.com/im');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved').waitFor();
    await expect
      .poll(async () => (await s.pushline.apps.get(s.app.sdkAppId))?.settings.callbackUrl)
      .toBe('https://hooks.example.com/im');
    await page.reload();
    await expect
      .poll(() => page.getByLabel('Callback URL').inputValue())
      .toBe('https://hooks.example.com/im');
  });

  it('shows the callback token, makes a new one and switches message callbacks on', async () => {
    const token = page.getByLabel('Callback token');
    const before = (await s.pushline.apps.get(s.app.sdkAppId))?.settings.callbackToken;
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    expect(await token.inputValue()).toBe(before);
    await page.getByRole('button', { name: 'New token' }).click();
    const renewed = await token.inputValue();
    expect(renewed).toMatch(/^[0-9a-f]{64}$/);
    expect(renewed).not.toBe(before);
    await page.getByRole('textbox', { name: 'Callbacks' }).click();
    await page.getByRole('option', { name: /^C2C\.CallbackBeforeSendMsg/ }).click();
    await page.getByRole('option', { name: /^Group\.CallbackAfterSendMsg/ }).click();
    await page.keyboard.press('Escape');
    await page.getByLabel('Before-send callback time-out (ms)').fill('1500');
    await page.getByRole('textbox', { name: 'When a before-send callback fails' }).click();
    await page.getByRole('option', { name: /^Refuse/ }).click();
    await screenshot('app-callbacks');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved').waitFor();
    await expect
      .poll(async () => (await s.pushline.apps.get(s.app.sdkAppId))?.settings)
      .toMatchObject({
        callbackToken: renewed,
        callbackCommands: ['C2C.CallbackBeforeSendMsg', 'Group.CallbackAfterSendMsg'],
        callbackTimeoutMs: 1500,
        callbackFailurePolicy: 'refuse',
      });
  });

  it('creates an app and deletes it after typing its SDKAppID', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Apps' }).click();
    await page.getByRole('button', { name: 'Create app' }).click();
    await page.getByLabel('App name').fill('Short-lived');
    await screenshot('create-app');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.waitForURL(/\/console\/apps\/\d+$/);
    const sdkAppId = Number(await page.getByTestId('sdkappid').textContent());
    expect((await s.pushline.apps.get(sdkAppId))?.name).toBe('Short-lived');

    await page.getByRole('button', { name: 'Delete app' }).click();
    const confirm = page.getByRole('button', { name: 'Delete permanently' });
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByLabel('SDKAppID').fill(String(sdkAppId));
    await screenshot('delete-app');
    await confirm.click();
    await page.waitForURL('**/console/apps');
    await page.getByRole('link', { name: 'Support desk' }).waitFor();
    expect(await page.getByRole('link', { name: 'Short-lived' }).count()).toBe(0);
    expect(await s.pushline.apps.get(sdkAppId)).toBeUndefined();
  });

  it('changes her own password from the account menu: a weak one is refused with the reason', async () => {
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Change password' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change password' });
    await dialog.getByLabel('Current password').fill(PASSWORD);
    await dialog.getByLabel('New password', { exact: true }).fill('aaaaaaaaaa');
    await dialog.getByLabel('New password again').fill('aaaaaaaaaa');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByText('password is too easy to guess (strength 0 of 4').waitFor();
    await screenshot('change-password');
    expect(await s.pushline.consoleUsers.authenticate('olivia', PASSWORD)).toBeDefined();

    await dialog.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await dialog.getByLabel('New password again').fill(NEW_PASSWORD);
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed. Your other sessions are signed out.').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    expect(await s.pushline.consoleUsers.authenticate('olivia', NEW_PASSWORD)).toBeDefined();
    expect(await s.pushline.consoleUsers.authenticate('olivia', PASSWORD)).toBeUndefined();
    // This browser stays signed in.
    await page.getByRole('navigation').getByRole('link', { name: 'Apps' }).click();
    await page.getByRole('link', { name: 'Support desk' }).waitFor();
  });

  it('signs out; the pages then ask to sign in again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/console/sign-in');
    await page.goto(`${s.url}/console/apps/${s.app.sdkAppId}`);
    await page.waitForURL('**/console/sign-in');
    const res = await page.request.get(`${s.url}/api/console/apps`);
    expect(res.status()).toBe(401);
  });

  it("shows a member only the apps granted to them, without admins' buttons", async () => {
    await s.pushline.consoleUsers.create({ username: 'max', password: PASSWORD, apps: [s.app.sdkAppId] });
    await page.getByLabel('User name').fill('max');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Back to the page that asked for sign-in.
    await page.waitForURL(`**/console/apps/${s.app.sdkAppId}`);
    await page.getByRole('button', { name: 'Reveal secret key' }).waitFor();
    expect(await page.getByRole('button', { name: 'Delete app' }).count()).toBe(0);
    await page.getByRole('navigation').getByRole('link', { name: 'Apps' }).click();
    await page.getByRole('link', { name: 'Chat (production)' }).waitFor();
    expect(await page.getByRole('link', { name: 'Support desk' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Create app' }).count()).toBe(0);
  });
});
