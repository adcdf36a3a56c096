// The console's operator features, in headless Chromium against a sandbox, in English and in Simplified
// Chinese at phone (390x844), tablet (768x1024) and desktop sizes: sign-in without a failed request and with
// a favicon; a certificate turns from untested to verified with the test button, its edit form shows its
// current non-secret fields, its ID copies; the users list shows state, vendors and last seen and pages;
// a sandbox phone's notification is tapped (the click reaches the push's trace), its app is brought to the
// foreground, sent to the background and logged out; records and statistics take a custom time range and
// export it as CSV; the troubleshooter shows local times; a rename shows in the navigation at once; the
// color scheme follows the system and toggles. Takes the screenshots docs/console.md shows for these.
//
// Runs on SQLite only: the API underneath is tested on both backends (certificate-verified, console-csv,
// console-ops, console-sandbox-phones tests).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SDKAPPID } from '../../src/sandbox/demo.js';
import type { Sandbox } from '../../src/sandbox/start.js';
import { chromiumMissing, launchChromium, screenshotConsole } from '../helpers/browser.js';
import { consoleSandbox } from '../helpers/console.js';
import { closeConsoleWorld, LANGUAGES, sandboxText, tr, VIEWPORTS } from '../helpers/console-browser.js';

const PASSWORD = 'polish-password-1';
const missing = chromiumMissing();

/** One vendor (demo user and phone) per run, so that each run starts from an untested certificate. */
const RUN_VENDORS = ['fcm', 'huawei', 'honor', 'xiaomi', 'oppo', 'vivo'] as const;
/** Accounts beyond one page of the users list (50). */
const EXTRA_USERS = 60;

const regexLiteral = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.skipIf(missing !== undefined)('console operator features', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pushline-console-polish-'));
  let sandbox: Sandbox;
  let browser: Browser;
  const appPath = `/console/apps/${DEMO_SDKAPPID}`;

  beforeAll(async () => {
    sandbox = await consoleSandbox(dir, 'olga', PASSWORD);
    await sandbox.pushline.accounts.import(
      DEMO_SDKAPPID,
      Array.from({ length: EXTRA_USERS }, (_, i) => ({ userId: `zz-user-${String(i).padStart(2, '0')}` })),
    );
    browser = await launchChromium();
  }, 120_000);
  afterAll(() => closeConsoleWorld(browser, sandbox, dir));

  let run = 0;
  for (const lang of LANGUAGES) {
    for (const vp of VIEWPORTS) {
      const index = run++;
      const vendor = RUN_VENDORS[index]!;
      // Chinese runs start with a dark system scheme, English ones with a light one.
      const systemScheme = lang.locale === 'zh-CN' ? 'dark' : 'light';
      it(`${lang.locale} at ${vp.width}x${vp.height} (${vp.name}), ${vendor}`, async () => {
        const T = (key: string, vars?: Record<string, string | number>) => tr(lang.texts, key, vars);
        const device = sandbox.demo.devices.find((d) => d.vendor === vendor)!;
        const userId = device.userId;
        const context: BrowserContext = await browser.newContext({
          viewport: { width: vp.width, height: vp.height },
          locale: lang.locale,
          timezoneId: 'Asia/Shanghai',
          colorScheme: systemScheme,
        });
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: sandbox.url });
        const page = await context.newPage();
        const shot = async (name: string) => {
          await page.waitForTimeout(300); // transitions
          await screenshotConsole(page, name);
        };
        const problems: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(`console: ${m.text()}`);
        });
        page.on('response', (r) => {
          if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
        });
        try {
          // Sign-in: no failed request (no 401 before signing in, no favicon 404), no console error.
          await page.goto(`${sandbox.url}/console/`);
          await page.waitForURL('**/console/sign-in');
          const icon = await page.locator('link[rel="icon"]').getAttribute('href');
          expect((await page.request.get(`${sandbox.url}${icon}`)).status()).toBe(200);
          await page.getByLabel(T('signIn.username')).fill('olga');
          await page.getByLabel(T('signIn.password')).fill(PASSWORD);
          await page.getByRole('button', { name: T('signIn.submit'), exact: true }).click();
          await page.waitForURL('**/console/apps');
          expect(problems).toEqual([]);

          // Dark mode follows the system, and the toggle changes it.
          const scheme = () => page.evaluate(() => document.documentElement.dataset.mantineColorScheme);
          expect(await scheme()).toBe(systemScheme);
          const toggle = page.getByRole('banner').getByRole('button', {
            name: T(systemScheme === 'dark' ? 'polish.lightMode' : 'polish.darkMode'),
          });
          await toggle.click();
          await expect.poll(scheme).toBe(systemScheme === 'dark' ? 'light' : 'dark');
          if (vp.name === 'desktop' && lang.locale === 'en-US') {
            await page.goto(`${sandbox.url}${appPath}/overview`);
            await expect.poll(() => page.locator('.mantine-Loader-root').count()).toBe(0);
            await shot('dark');
          }
          await page
            .getByRole('banner')
            .getByRole('button', {
              name: T(systemScheme === 'dark' ? 'polish.darkMode' : 'polish.lightMode'),
            })
            .click();
          await expect.poll(scheme).toBe(systemScheme);

          // Certificates: untested until the test button's push is accepted; vendor names from the one table.
          const certificate = sandbox.demo.certificates[vendor];
          await page.goto(`${sandbox.url}${appPath}/certificates`);
          const row = page.getByTestId(`certificate-${certificate.id}`);
          const badge = page.getByTestId(`verification-${certificate.id}`);
          await expect.poll(() => badge.getAttribute('data-verified')).toBe('false');
          expect(await badge.textContent()).toBe(T('polish.untested'));
          expect(await page.getByText('Apple APNs').count()).toBe(0);
          await row.getByRole('button', { name: T('certificates.testPush') }).click();
          const dialog = page.getByRole('dialog');
          await dialog.getByLabel(T('testPush.token')).fill(device.pushToken);
          await dialog.getByRole('button', { name: T('testPush.send') }).click();
          await dialog.getByText(T('testPush.sent')).waitFor();
          await dialog.getByRole('button', { name: T('common.close') }).click();
          await expect.poll(() => badge.getAttribute('data-verified')).toBe('true');
          expect(await badge.textContent()).toBe(T('polish.verified'));
          expect(
            (await sandbox.pushline.certificateService.get(DEMO_SDKAPPID, certificate.id)).verifiedAt,
          ).not.toBeNull();

          if (vp.name === 'desktop' && lang.locale === 'en-US') await shot('certificates-verified');
          // The certificate ID copies.
          await row
            .getByRole('button', {
              name: `${T('polish.copy')} ${T('polish.certificateId', { id: certificate.id })}`,
            })
            .click();
          await expect
            .poll(() => page.evaluate(() => navigator.clipboard.readText()))
            .toBe(String(certificate.id));

          // Editing shows the current non-secret fields and environment.
          const apns = sandbox.demo.certificates.apns;
          await page
            .getByTestId(`certificate-${apns.id}`)
            .getByRole('button', { name: T('certificates.edit'), exact: true })
            .click();
          const form = page.getByRole('dialog');
          expect(await form.getByLabel(T('certFields.keyId')).inputValue()).toBe(apns.publicFields.keyId);
          expect(await form.getByLabel(T('certFields.teamId')).inputValue()).toBe(apns.publicFields.teamId);
          expect(await form.getByLabel(T('certFields.bundleId')).inputValue()).toBe(apns.appIdentifier);
          expect(await form.getByRole('textbox', { name: T('certificates.environment') }).inputValue()).toBe(
            T('certForm.development'),
          );
          await form.getByRole('button', { name: T('common.cancel') }).click();
          await form.waitFor({ state: 'hidden' });

          // Users: state, vendors and last seen per user, and pages of 50.
          await page.goto(`${sandbox.url}${appPath}/users`);
          const userRow = page
            .getByTestId('user-row')
            .filter({ hasText: new RegExp(`^${regexLiteral(userId)}`) });
          await userRow.waitFor();
          expect(await userRow.textContent()).toContain(T('polish.userBackground'));
          const vendorNames: Record<string, string> = {
            fcm: 'FCM',
            huawei: 'Huawei',
            honor: 'Honor',
            xiaomi: 'Xiaomi',
            oppo: 'OPPO',
            vivo: 'vivo',
          };
          expect(await userRow.textContent()).toContain(vendorNames[vendor]);
          expect(await page.getByTestId('user-row').count()).toBe(50);
          await page.getByRole('button', { name: T('polish.nextPage') }).click();
          await page
            .getByTestId('users-page')
            .getByText(T('polish.pageNumber', { page: 2 }))
            .waitFor();
          await expect.poll(() => page.getByTestId('user-row').first().textContent()).toMatch(/^zz-user-/);
          if (vp.name === 'phone' && lang.locale === 'en-US') await shot('phone-users');
          await page.getByRole('button', { name: T('polish.previousPage') }).click();
          await page
            .getByTestId('users-page')
            .getByText(T('polish.pageNumber', { page: 1 }))
            .waitFor();
          if (vp.name === 'desktop' && lang.locale === 'en-US') await shot('users-list');

          // Sandbox phone: a pushed notification is tapped; the click is reported like a device's.
          await page.goto(`${sandbox.url}${appPath}/phones`);
          const phone = page.getByRole('region', {
            name: T('phones.phoneOf', { userId, vendor: vendorNames[vendor]! }),
          });
          await phone.waitFor();
          const sent = await sandboxText(sandbox, userId, `tap me ${index}`, index + 1);
          const notification = phone.getByTestId('phone-notification').filter({ hasText: `tap me ${index}` });
          await notification.click();
          await expect.poll(() => notification.getAttribute('data-opened')).toBe('true');
          const clicked = await sandbox.pushline.db
            .selectFrom('push_traces as t')
            .innerJoin('push_trace_events as e', 'e.push_id', 't.push_id')
            .select('t.msg_key')
            .where('t.sdkappid', '=', DEMO_SDKAPPID)
            .where('t.to_user', '=', userId)
            .where('e.stage', '=', 'clicked')
            .execute();
          expect(clicked.map((c) => c.msg_key)).toEqual([sent.MsgKey]);

          // Foreground, background, log out.
          const state = phone.getByTestId('phone-app-state');
          expect(await state.getAttribute('data-state')).toBe('background');
          await phone.getByRole('button', { name: T('polish.toForeground') }).click();
          await expect.poll(() => state.getAttribute('data-state')).toBe('foreground');
          if (vp.name === 'desktop' && lang.locale === 'en-US') await shot('phone-controls');
          if (vp.name === 'desktop' && lang.locale === 'zh-CN') await shot('zh-phones');
          await phone.getByRole('button', { name: T('polish.toBackground') }).click();
          await expect.poll(() => state.getAttribute('data-state')).toBe('background');
          await phone.getByRole('button', { name: T('polish.logOut') }).click();
          await phone.waitFor({ state: 'detached' });
          expect(await sandbox.pushline.bindings.of(DEMO_SDKAPPID, userId)).toEqual([]);

          // Records: a custom range (local time) and its CSV, every matching record.
          await page.goto(`${sandbox.url}${appPath}/records`);
          // A table, or cards on a phone.
          await page.getByRole(vp.name === 'phone' ? 'list' : 'table', { name: T('nav.records') }).waitFor();
          await page.getByRole('textbox', { name: T('common.time'), exact: true }).click();
          await page.getByRole('option', { name: T('polish.customRange') }).click();
          const from = page.getByLabel(T('polish.rangeFrom'), { exact: true });
          const to = page.getByLabel(T('polish.rangeTo'), { exact: true });
          await from.fill('2020-01-01T00:00');
          await to.fill('2020-01-02T00:00');
          await page.getByText(T('records.noMatch')).waitFor();
          const csvLink = page.getByTestId('records-csv');
          // 2020-01-01 00:00 in Shanghai is 2019-12-31 16:00 UTC. "No match" can show before both ends of
          // the range reach the link (the end alone already matches nothing): wait for the start too.
          await expect
            .poll(async () =>
              new URL(`${sandbox.url}${await csvLink.getAttribute('href')}`).searchParams.get('from'),
            )
            .toBe(String(Date.UTC(2019, 11, 31, 16)));
          const emptyCsv = await page.request.get(`${sandbox.url}${await csvLink.getAttribute('href')}`);
          expect((await emptyCsv.text()).trim().split('\r\n')).toHaveLength(1);
          await to.fill('2099-01-01T00:00');
          await page.getByTestId('push-record').first().waitFor();
          const csv = await (
            await page.request.get(`${sandbox.url}${await csvLink.getAttribute('href')}`)
          ).text();
          const total = await sandbox.pushline.db
            .selectFrom('push_traces')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('sdkappid', '=', DEMO_SDKAPPID)
            .executeTakeFirstOrThrow();
          expect(csv.trim().split('\r\n')).toHaveLength(Number(total.n) + 1);
          expect(csv).toContain(sent.MsgKey!);

          // Statistics: a custom range and its CSV.
          await page.goto(`${sandbox.url}${appPath}/statistics`);
          await page.getByText(T('polish.customRange'), { exact: true }).click();
          await page.getByLabel(T('polish.rangeFrom'), { exact: true }).waitFor();
          const statsHref = await page.getByTestId('statistics-csv').getAttribute('href');
          const stats = await (await page.request.get(`${sandbox.url}${statsHref}`)).text();
          expect(stats).toContain('scope,name,kind,total,sent,delivered,clicked,failed');
          await page.getByLabel(T('polish.rangeFrom'), { exact: true }).fill('2030-01-02T00:00');
          await page.getByLabel(T('polish.rangeTo'), { exact: true }).fill('2030-01-01T00:00');
          await page.getByText(T('polish.rangeError.order')).waitFor();

          // The troubleshooter's times are local like everywhere else (Shanghai here), not UTC.
          const other = sandbox.demo.devices.find((d) => d.vendor === 'apns')!;
          await page.goto(`${sandbox.url}${appPath}/troubleshoot?userId=${other.userId}`);
          const checks = page.getByTestId('checks');
          await checks.getByTestId('check-token').waitFor();
          const text = (await checks.textContent()) ?? '';
          expect(text).not.toContain('UTC');
          const binding = (await sandbox.pushline.bindings.of(DEMO_SDKAPPID, other.userId))[0]!;
          const parts = new Intl.DateTimeFormat('en-US', {
            hour: 'numeric',
            minute: '2-digit',
            second: '2-digit',
            hourCycle: lang.locale === 'en-US' ? 'h12' : 'h23',
            timeZone: 'Asia/Shanghai',
          }).formatToParts(binding.reportedAt);
          const part = (type: string) => parts.find((p) => p.type === type)!.value;
          expect(text).toContain(`${part('hour')}:${part('minute')}:${part('second')}`);

          // A rename shows in the navigation bar at once.
          await page.goto(`${sandbox.url}${appPath}`);
          const name = `Demo ${lang.locale} ${vp.name}`;
          await page.getByLabel(T('appSettings.appName')).fill(name);
          await page.getByRole('button', { name: T('appSettings.save') }).click();
          await expect.poll(() => page.getByRole('navigation').textContent()).toContain(name);
          expect(problems).toEqual([]);
          await sandbox.pushline.apps.update(DEMO_SDKAPPID, { name: 'Pushline Demo' });
        } finally {
          await context.close();
        }
      });
    }
  }
});
