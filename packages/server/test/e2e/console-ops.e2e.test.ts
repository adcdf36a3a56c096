import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, screenshotConsole } from '../helpers/browser.js';
import { loggedIn, type TestClient, waitFor } from '../helpers/clients.js';
import { assertConsoleBuilt } from '../helpers/console.js';
import {
  BUNDLE,
  backgroundPhone,
  type PushWorld,
  random,
  startPushWorld,
  text,
} from '../helpers/push-e2e.js';

const PASSWORD = 'olivia-password-1';
const missing = chromiumMissing();

describe.skipIf(missing !== undefined)('console operations pages in a browser', () => {
  let w: PushWorld;
  let browser: Browser;
  let page: Page;
  let console_: string;
  let productionCertId: number;
  let bobWeb: TestClient;

  async function screenshot(name: string) {
    // Without the pop-up notifications of earlier steps, which would cover the page.
    const hide = await page.addStyleTag({ content: '.mantine-Notifications-root { display: none; }' });
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshotConsole(page, name, true);
    await hide.evaluate((el) => el.remove());
  }
  const sendmsg = (to: string, words: string) =>
    w.s.v4('openim/sendmsg', {
      From_Account: 'alice',
      To_Account: to,
      MsgRandom: random(),
      MsgBody: text(words),
    });

  beforeAll(async () => {
    assertConsoleBuilt();
    w = await startPushWorld('sqlite');
    await w.s.pushline.apps.update(w.s.app.sdkAppId, { name: 'Chat (production)' });
    await w.s.pushline.consoleUsers.create({ username: 'olivia', password: PASSWORD, role: 'admin' });
    await w.s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: [
        { UserID: 'alice', Nick: 'Alice' },
        { UserID: 'bob' },
        { UserID: 'carl' },
        { UserID: 'dina' },
      ],
    });
    console_ = `${w.s.url}/console/apps/${w.s.app.sdkAppId}`;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  it('signs in', async () => {
    await page.goto(`${console_}/certificates`);
    await page.waitForURL('**/console/sign-in');
    await page.getByLabel('User name').fill('olivia');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`**/console/apps/${w.s.app.sdkAppId}/certificates`);
    await page.getByRole('table', { name: 'Certificates' }).waitFor();
  });

  it('adds a .p12 certificate (a wrong password shows next to the field, the right one is accepted), renames it; an FCM key file without its private key is refused', async () => {
    const issued = w.sim.issueApnsClientCertificate({
      bundleId: BUNDLE,
      environment: 'production',
      password: 'right-one',
    });
    await page.getByRole('button', { name: 'Add certificate' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('iOS production');
    await dialog
      .locator('input[type="file"]')
      .setInputFiles({ name: 'chat-production.p12', mimeType: 'application/x-pkcs12', buffer: issued.p12 });
    await dialog.getByLabel('Password of the .p12', { exact: true }).fill('not-the-password');
    await dialog.getByRole('button', { name: 'Add certificate' }).click();
    await dialog.getByText('wrong password for this .p12 file').waitFor();
    await screenshot('certificate-error');

    await dialog.getByLabel('Password of the .p12', { exact: true }).fill('right-one');
    await dialog.getByRole('button', { name: 'Add certificate' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const added = (await w.s.pushline.certificateService.list(w.s.app.sdkAppId)).find(
      (c) => c.name === 'iOS production',
    );
    expect(added).toMatchObject({ vendor: 'apns', environment: 'production', appIdentifier: BUNDLE });
    productionCertId = added!.id;
    const row = page.getByTestId(`certificate-${productionCertId}`);
    await row.getByText('production', { exact: true }).waitFor();
    expect(await row.textContent()).toContain(BUNDLE);

    // Editing only the name keeps the stored credential.
    await row.getByRole('button', { name: 'Edit' }).click();
    await dialog.getByLabel('Name', { exact: true }).fill('iOS App Store');
    await dialog.getByRole('button', { name: 'Save certificate' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.getByText('iOS App Store').waitFor();
    const edited = await w.s.pushline.certificateService.get(w.s.app.sdkAppId, productionCertId);
    expect(edited).toMatchObject({
      name: 'iOS App Store',
      environment: 'production',
      expiresAt: added!.expiresAt,
    });

    // Another vendor's form: an FCM service-account file without its private key is refused at the file.
    await page.getByRole('button', { name: 'Add certificate' }).click();
    await dialog.getByRole('textbox', { name: 'Vendor' }).click();
    await page.getByRole('option', { name: 'FCM', exact: true }).click();
    const incomplete = JSON.stringify({ type: 'service_account', project_id: 'chat-prod' });
    await dialog.locator('input[type="file"]').setInputFiles({
      name: 'chat-prod.json',
      mimeType: 'application/json',
      buffer: Buffer.from(incomplete),
    });
    await dialog.getByRole('button', { name: 'Add certificate' }).click();
    await dialog.getByText(/lacks private_key/).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await screenshot('certificates');
  });

  it('sends a test push to a token from the certificate page; the simulator receives it', async () => {
    const phone = w.sim.devices.install('apns', { app: BUNDLE, environment: 'production' });
    await page
      .getByTestId(`certificate-${productionCertId}`)
      .getByRole('button', { name: 'Test push' })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Device token').fill(phone.token);
    await dialog.getByLabel('Text').fill('Hello from the console');
    await dialog.getByRole('button', { name: 'Send test push' }).click();
    await expect.poll(() => dialog.getByTestId('test-push-outcome').textContent()).toContain('Sent');
    expect((await w.sim.waitFor({ token: phone.token })).body).toBe('Hello from the console');
    await screenshot('test-push');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it("shows a user's instances and bindings; test push, remove a binding and kick work", async () => {
    const phone = await backgroundPhone(w, 'bob', 'apns', 4);
    bobWeb = await loggedIn(w.s, 'bob', { instanceID: 'bob-web', platform: 'Web' });
    await page.getByRole('navigation').getByRole('link', { name: 'Users and devices' }).click();
    await page.getByLabel('Find a user').fill('bo');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: 'bob', exact: true }).click();
    const iphone = page.getByTestId('instance-bob-apns');
    await expect.poll(() => iphone.getByTestId('instance-state').textContent()).toBe('PushOnline');
    expect(await page.getByTestId('instance-bob-web').getByTestId('instance-state').textContent()).toBe(
      'Online',
    );
    const bindings = iphone.getByRole('table', { name: 'Bindings of bob-apns' });
    expect(await bindings.textContent()).toContain(`${phone.token.slice(0, 6)}…${phone.token.slice(-4)}`);
    expect(await bindings.textContent()).toContain('development');
    await screenshot('users');

    await iphone.getByRole('button', { name: 'Test push' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Text').fill('Device test');
    await dialog.getByRole('button', { name: 'Send test push' }).click();
    await expect.poll(() => dialog.getByTestId('test-push-outcome').textContent()).toContain('Sent');
    expect((await w.sim.waitFor({ token: phone.token })).body).toBe('Device test');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await iphone.getByRole('button', { name: 'Remove binding' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove push token' }).click();
    await iphone.getByText('No push token reported.').waitFor();
    expect(await w.s.pushline.bindings.of(w.s.app.sdkAppId, 'bob')).toEqual([]);

    await page.getByRole('button', { name: 'Kick user' }).click();
    // Nothing happens before the confirmation.
    await page.getByRole('dialog', { name: 'Kick bob?' }).waitFor();
    expect(bobWeb.kicked).toEqual([]);
    await page.getByRole('dialog').getByRole('button', { name: 'Kick every device' }).click();
    await expect.poll(() => iphone.getByTestId('instance-state').textContent()).toBe('Offline');
    await expect
      .poll(() => page.getByTestId('instance-bob-web').getByTestId('instance-state').textContent())
      .toBe('Offline');
    await waitFor(() => bobWeb.kicked.length > 0 || undefined, 'bob kicked on the web');
  });

  it('explains a logged-out user', async () => {
    const phone = await backgroundPhone(w, 'carl', 'fcm');
    await phone.client.chat.logout();
    await sendmsg('carl', 'are you there?');
    await waitFor(async () => {
      const res = await page.request.get(
        `${w.s.url}/api/console/apps/${w.s.app.sdkAppId}/troubleshoot?userId=carl`,
      );
      return ((await res.json()) as { pushes: unknown[] }).pushes.length > 0 || undefined;
    }, 'carl trace');
    await page.getByRole('navigation').getByRole('link', { name: 'Troubleshooter' }).click();
    await page.getByLabel('UserID').fill('carl');
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    const login = page.getByTestId('check-login');
    await login.waitFor();
    expect(await login.getAttribute('data-status')).toBe('problem');
    expect(await login.textContent()).toContain('is logged out');
    expect(await login.textContent()).toContain('gets no offline pushes');
    await screenshot('troubleshooter-logged-out');
  });

  it('says APNs answered BadDeviceToken because a development token was sent with a production certificate', async () => {
    const device = w.sim.devices.install('apns', { app: BUNDLE, environment: 'development' });
    const client = await loggedIn(w.s, 'dina', { instanceID: 'dina-iphone', platform: 'iPhone' });
    await client.chat.setOfflinePushConfig({ businessID: productionCertId, token: device.token });
    await client.chat.doBackground(0);
    await sendmsg('dina', 'hello dina');
    await waitFor(async () => {
      const res = await page.request.get(
        `${w.s.url}/api/console/apps/${w.s.app.sdkAppId}/troubleshoot?userId=dina`,
      );
      return ((await res.json()) as { pushes: { answer: unknown }[] }).pushes[0]?.answer ?? undefined;
    }, 'dina vendor answer');
    await page.getByLabel('UserID').fill('dina');
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    const answer = page.getByTestId('check-vendor-answer');
    await expect.poll(() => answer.getAttribute('data-status')).toBe('problem');
    expect(await answer.textContent()).toContain(
      'APNs answered BadDeviceToken: a development token was sent with a production certificate',
    );
    await screenshot('troubleshooter');
    await client.chat.logout();
  });

  it('shows the alerts and a 24-hour chart with data on the overview', async () => {
    const erin = await backgroundPhone(w, 'erin', 'apns');
    for (const words of ['one', 'two', 'three']) await sendmsg('erin', words);
    await waitFor(
      () => w.sim.received({ token: erin.token }).length === 3 || undefined,
      'three pushes to erin',
    );
    await waitFor(async () => {
      const res = await page.request.get(`${w.s.url}/api/console/apps/${w.s.app.sdkAppId}/overview`);
      const hours = ((await res.json()) as { pushes: { hours: { sent: number }[] } }).pushes.hours;
      return hours.reduce((n, h) => n + h.sent, 0) === 3 || undefined;
    }, 'three sent pushes counted');
    await page.getByRole('navigation').getByRole('link', { name: 'Push certificates' }).click();
    await page.getByTestId(`certificate-${w.fcm.id}`).getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Pause certificate' }).click();
    await page.getByTestId(`certificate-${w.fcm.id}`).getByText('paused from the console').waitFor();
    await page.getByTestId(`certificate-${w.fcm.id}`).getByText('pushes held for the resume').waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Overview' }).click();
    const alerts = page.getByTestId('alerts');
    await alerts.waitFor();
    expect(await alerts.textContent()).toContain(`Certificate ${w.fcm.id}`);
    expect(await alerts.textContent()).toMatch(/is paused\. Its pushes are held \(\d+ waiting in this app\)/);
    expect(await alerts.textContent()).toContain('Reason: paused from the console');
    // Bars of the pushes above (sent to erin, skipped for carl, refused for dina) are drawn.
    await expect
      .poll(() => page.getByTestId('pushes-chart').locator('.recharts-bar-rectangle path').count())
      .toBeGreaterThan(0);
    await screenshot('overview');
    // The paused certificate's alert resumes it in place.
    await alerts.getByRole('button', { name: 'Resume' }).click();
    await page.getByTestId('no-alerts').waitFor();
    await expect
      .poll(async () => (await w.s.pushline.certificateService.get(w.s.app.sdkAppId, w.fcm.id)).status)
      .toBe('active');
  });

  it('sets the multi-device login policy and the do-not-disturb switch in app settings', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'App settings' }).click();
    await page.getByRole('textbox', { name: 'Multi-device login policy' }).click();
    await page.getByRole('option', { name: /One device per platform/ }).click();
    await page.getByLabel('Global do-not-disturb feature').uncheck();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved').waitFor();
    const settings = (await w.s.pushline.apps.get(w.s.app.sdkAppId))?.settings;
    expect(settings).toMatchObject({ loginPolicy: { mode: 'per-platform' }, dndEnabled: false });
    await screenshot('app-settings-policy');
  });

  it('deletes a certificate after confirming', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Push certificates' }).click();
    const row = page.getByTestId(`certificate-${productionCertId}`);
    await row.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete certificate' }).click();
    await row.waitFor({ state: 'detached' });
    const left = await w.s.pushline.certificateService.list(w.s.app.sdkAppId);
    expect(left.map((c) => c.id)).not.toContain(productionCertId);
  });
});
