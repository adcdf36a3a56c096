// The console writes what the server found in the reader's language, in headless Chromium against a
// sandbox, in English and in Simplified Chinese at phone (390x844), tablet (768x1024) and desktop sizes:
// the troubleshooter's checks (sent by the server as message keys) read in that language; a push that was
// not sent says why in words, with what to do, in the records and in its trace; a push scheduled for later
// is cancelled with a confirmation and a toast and shows as cancelled; the records, tasks and statistics
// pages never scroll sideways (phones get cards); an overview alert reads in that language. Takes the screenshots docs/console.md shows for these.
//
// Runs on SQLite only: the API underneath is tested on both backends (console-tasks.test.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SDKAPPID } from '../../src/sandbox/demo.js';
import type { Sandbox } from '../../src/sandbox/start.js';
import { chromiumMissing, launchChromium, screenshotConsole } from '../helpers/browser.js';
import { ConsoleClient, consoleSandbox } from '../helpers/console.js';
import {
  closeConsoleWorld,
  horizontalOverflow,
  LANGUAGES,
  sandboxText,
  tr,
  VIEWPORTS,
} from '../helpers/console-browser.js';

const PASSWORD = 'words-password-1';
const missing = chromiumMissing();

/** An account with no device: a message to it is not pushed (instance-offline). */
const NOBODY = 'words-nobody';

const HAN = /[\u4e00-\u9fff]/;

describe.skipIf(missing !== undefined)(
  'console texts in words, in both languages',
  { timeout: 120_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'pushline-console-words-'));
    let sandbox: Sandbox;
    let browser: Browser;
    const appPath = `/console/apps/${DEMO_SDKAPPID}`;
    const api = `/api/console/apps/${DEMO_SDKAPPID}`;

    beforeAll(async () => {
      sandbox = await consoleSandbox(dir, 'wendy', PASSWORD);
      await sandbox.pushline.accounts.import(DEMO_SDKAPPID, [{ userId: NOBODY }]);
      // A push with nowhere to go, one APNs refuses (a failure for the statistics) and a task that ran.
      await sandboxText(sandbox, NOBODY, 'anyone there?', 1);
      sandbox.simulators.sim.faults.add('apns', {
        kind: 'status',
        status: 400,
        reason: 'BadTopic',
        count: 1,
      });
      await sandboxText(sandbox, 'alice', 'refused one', 2);
      const operator = new ConsoleClient(sandbox.url);
      expect((await operator.login('wendy', PASSWORD)).status).toBe(200);
      const ran = await operator.request('POST', `${api}/push-tasks`, {
        audience: 'users',
        userIds: ['bob'],
        title: 'Weekly digest',
        text: 'five new posts',
      });
      expect(ran.status).toBe(201);
      browser = await launchChromium();
    }, 120_000);
    afterAll(() => closeConsoleWorld(browser, sandbox, dir));

    let run = 0;
    for (const lang of LANGUAGES) {
      for (const vp of VIEWPORTS) {
        const index = run++;
        it(`${lang.locale} at ${vp.width}x${vp.height} (${vp.name})`, async () => {
          const T = (key: string, vars?: Record<string, string | number>) => tr(lang.texts, key, vars);
          const context = await browser.newContext({
            viewport: { width: vp.width, height: vp.height },
            locale: lang.locale,
            timezoneId: 'Asia/Shanghai',
          });
          const page = await context.newPage();
          const shot = async (name: string, when: boolean) => {
            if (!when) return;
            await page.waitForTimeout(300); // transitions
            await screenshotConsole(page, name);
          };
          const en390 = vp.name === 'phone' && lang.locale === 'en-US';
          const zhDesktop = vp.name === 'desktop' && lang.locale === 'zh-CN';
          const problems: string[] = [];
          page.on('console', (m) => {
            if (m.type() === 'error') problems.push(`console: ${m.text()}`);
          });
          try {
            await page.goto(`${sandbox.url}/console/sign-in`);
            await page.getByLabel(T('signIn.username')).fill('wendy');
            await page.getByLabel(T('signIn.password')).fill(PASSWORD);
            await page.getByRole('button', { name: T('signIn.submit'), exact: true }).click();
            await page.waitForURL('**/console/apps');

            // The troubleshooter: every check's title, line and fix in the reader's language.
            await page.goto(`${sandbox.url}${appPath}/troubleshoot?userId=${NOBODY}`);
            const checks = page.getByTestId('checks');
            await checks.getByTestId('check-vendor-answer').waitFor();
            const titles = await checks.getByTestId('check-title').allTextContents();
            expect(titles).toEqual(
              [
                'account',
                'certificate',
                'login',
                'token',
                'foreground',
                'receiveOptions',
                'vendorAnswer',
                'rateLimit',
              ].map((c) => T(`checkText.${c}Title`)),
            );
            expect(await checks.getByTestId('check-login').getByTestId('check-detail').textContent()).toBe(
              T('checkText.loginNever', { userId: NOBODY }),
            );
            expect(await checks.getByTestId('check-token').getByTestId('check-detail').textContent()).toBe(
              T('checkText.nothingToCheck'),
            );
            // The push that was not sent: its reason in words, inside the check's sentence.
            const answerLine = await checks
              .getByTestId('check-vendor-answer')
              .getByTestId('check-detail')
              .textContent();
            expect(answerLine).toContain(
              T('checkText.pushNotSent', {
                code: 'instance-offline',
                reason: T('skipReason.instance-offline'),
              }),
            );
            expect(answerLine).not.toContain('UTC');
            if (lang.locale === 'zh-CN') {
              // Every text of every check is Chinese: no English sentence from the server is left.
              for (const text of await checks.getByTestId(/^check-(title|detail)$/).allTextContents()) {
                expect(text).toMatch(HAN);
                expect(text).not.toMatch(/\b(the|is|was|has|no|push(es)?) [a-z]+ [a-z]+/);
              }
            }
            // A user with a device: the token line names the certificate and the time, in words.
            await page.goto(`${sandbox.url}${appPath}/troubleshoot?userId=alice`);
            const token = page.getByTestId('check-token').getByTestId('check-detail').first();
            await token.waitFor();
            const apns = sandbox.demo.certificates.apns;
            expect(await token.textContent()).toContain(
              T('checkText.certificateLabel', {
                id: apns.id,
                kind: `apns ${apns.environment}`,
                name: apns.name,
              }),
            );
            const refused = page.getByTestId('push-explanation').filter({ hasText: 'BadTopic' });
            await expect.poll(() => refused.count()).toBeGreaterThan(0);
            if (lang.locale === 'zh-CN') expect(await refused.first().textContent()).toMatch(HAN);
            await shot('zh-troubleshooter', zhDesktop);

            // Records: a push that was not sent says why in words, with what to do; its trace too.
            await page.goto(`${sandbox.url}${appPath}/records?search=${NOBODY}`);
            const record = page.getByTestId('push-record').first();
            await record.waitFor();
            const reason = record.getByTestId('skip-reason');
            expect(await reason.getAttribute('data-code')).toBe('instance-offline');
            expect(await reason.textContent()).toBe(
              `${T('skipReason.instance-offline')}${T('answers.action')} ${T('skipAction.instance-offline')}`,
            );
            expect(await page.getByRole('table', { name: T('nav.records') }).count()).toBe(
              vp.name === 'phone' ? 0 : 1,
            );
            expect(await horizontalOverflow(page)).toBe(0);
            await record.click();
            const skip = page.getByTestId('trace-skip');
            await skip.waitFor();
            expect(await skip.textContent()).toContain(T('skipReason.instance-offline'));
            expect(await skip.textContent()).toContain(T('skipAction.instance-offline'));
            await page.keyboard.press('Escape');
            await skip.waitFor({ state: 'hidden' });
            await page.goto(`${sandbox.url}${appPath}/records`);
            await page.getByTestId('push-record').nth(2).waitFor();
            expect(await horizontalOverflow(page)).toBe(0);
            await shot('phone-records', en390);

            // Tasks: a push scheduled for later is cancelled, after a confirmation, with a toast.
            const text = `cancel me ${index}`;
            const taskId = await page.evaluate(
              async ({ path, text }) => {
                const { csrfToken } = await (await fetch('/api/console/session')).json();
                const res = await fetch(`${path}/push-tasks`, {
                  method: 'POST',
                  headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
                  body: JSON.stringify({ audience: 'all', text, startAt: Date.now() + 3_600_000 }),
                });
                return ((await res.json()) as { task: { taskId: string } }).task.taskId;
              },
              { path: api, text },
            );
            await page.goto(`${sandbox.url}${appPath}/tasks`);
            const row = page.getByTestId('push-task').filter({ hasText: text });
            await row.waitFor();
            expect(await row.getByTestId('task-status').textContent()).toBe(T('taskResults.scheduled'));
            expect(await page.getByRole('table', { name: T('tasks.table') }).count()).toBe(
              vp.name === 'phone' ? 0 : 1,
            );
            expect(await horizontalOverflow(page)).toBe(0);
            if (en390) {
              await row.scrollIntoViewIfNeeded();
              await shot('phone-tasks', true);
            }
            // Keep it: nothing happens.
            await row.getByTestId('task-cancel').click();
            const dialog = page.getByRole('dialog', { name: T('tasks.cancelTitle') });
            await dialog.waitFor();
            expect(await dialog.textContent()).toContain(text);
            await dialog.getByRole('button', { name: T('tasks.keep') }).click();
            await dialog.waitFor({ state: 'hidden' });
            expect((await sandbox.pushline.pushTasks.get(DEMO_SDKAPPID, taskId))?.status).toBe('queued');
            // Cancel it.
            await row.getByTestId('task-cancel').click();
            await dialog.waitFor();
            await shot('task-cancel', vp.name === 'desktop' && lang.locale === 'en-US');
            await dialog.getByRole('button', { name: T('tasks.cancelConfirm') }).click();
            await page.getByText(T('tasks.cancelledToast')).waitFor();
            await expect
              .poll(() => row.getByTestId('task-status').textContent())
              .toBe(T('tasks.status.cancelled'));
            expect(await row.getByTestId('task-cancel').count()).toBe(0);
            expect(await sandbox.pushline.pushTasks.get(DEMO_SDKAPPID, taskId)).toMatchObject({
              status: 'cancelled',
              startedAt: null,
            });
            await shot('zh-tasks', zhDesktop);

            // Statistics: failures and per-task figures fit the screen (cards on a phone).
            await page.goto(`${sandbox.url}${appPath}/statistics`);
            await page.getByTestId('failure-row').first().waitFor();
            await page.getByTestId('task-figure').first().waitFor();
            await expect.poll(() => page.locator('.mantine-Loader-root').count()).toBe(0);
            expect(await page.getByRole('table').count()).toBe(vp.name === 'phone' ? 0 : 2);
            await page.waitForTimeout(300); // charts draw a moment after their data
            expect(await horizontalOverflow(page)).toBe(0);
            if (en390) {
              await page.getByTestId('failures').scrollIntoViewIfNeeded();
              await shot('phone-statistics', true);
            }

            // Overview alerts: a paused certificate in the reader's language, the reason as it was given.
            const vivo = sandbox.demo.certificates.vivo;
            await sandbox.pushline.certificateService.pause(DEMO_SDKAPPID, vivo.id, 'key revoked', 'discard');
            try {
              await page.goto(`${sandbox.url}${appPath}/overview`);
              const alert = page.getByTestId('alert-text');
              await alert.waitFor();
              expect(await alert.textContent()).toBe(
                T('overviewAlert.certificatePausedDiscard', { id: vivo.id, name: vivo.name }) +
                  T('overview.alertBecause', { because: 'key revoked' }),
              );
            } finally {
              await sandbox.pushline.certificateService.resume(DEMO_SDKAPPID, vivo.id);
            }
            expect(problems).toEqual([]);
          } finally {
            await context.close();
          }
        });
      }
    }
  },
);
