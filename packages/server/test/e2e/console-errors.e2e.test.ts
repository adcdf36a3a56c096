// The server's refusals read in the console's language, in headless Chromium against a sandbox, in English
// and in Simplified Chinese: a wrong sign-in, a certificate file that is not a service-account JSON (shown at
// the file) and a signing key that is not a .p8 key, a new password that is too easy to guess and one that is the same as the current password,
// an app name that is too long and a push composer's UserID that is too long; on the users page a UserID
// that is too long and a search that zod refuses (a generic check), and a push sender that the push command
// refuses (Tencent's 70107). The
// server sends each as a message key with values next to its English words (error-messages.ts); the
// console writes the key in its language. Takes the Chinese screenshot docs/console.md shows.
//
// Runs on SQLite only: the API underneath is tested on both backends (console-password-change.test.ts,
// console-certificates.test.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_PASSWORD_SCORE } from '../../src/auth/passwords.js';
import { DEMO_SDKAPPID } from '../../src/sandbox/demo.js';
import type { Sandbox } from '../../src/sandbox/start.js';
import { chromiumMissing, launchChromium, screenshotConsole } from '../helpers/browser.js';
import { consoleSandbox } from '../helpers/console.js';
import { closeConsoleWorld, LANGUAGES, tr } from '../helpers/console-browser.js';

const PASSWORD = 'violet-harbor-lantern-42';
const missing = chromiumMissing();
const HAN = /[\u4e00-\u9fff]/;

describe.skipIf(missing !== undefined)('console errors in both languages', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pushline-console-errors-'));
  let sandbox: Sandbox;
  let browser: Browser;

  beforeAll(async () => {
    sandbox = await consoleSandbox(dir, 'erin', PASSWORD);
    browser = await launchChromium();
  }, 120_000);
  afterAll(() => closeConsoleWorld(browser, sandbox, dir));

  /** A desktop-size page in the language's locale, and its text lookup. */
  async function desktopPage(lang: (typeof LANGUAGES)[number]) {
    const T = (key: string, vars?: Record<string, string | number>) => tr(lang.texts, key, vars);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: lang.locale });
    return { T, context, page: await context.newPage(), zh: lang.locale === 'zh-CN' };
  }

  async function signIn(page: Page, T: (key: string) => string) {
    await page.goto(`${sandbox.url}/console/sign-in`);
    await page.getByLabel(T('signIn.username')).fill('erin');
    await page.getByLabel(T('signIn.password')).fill(PASSWORD);
    await page.getByRole('button', { name: T('signIn.submit'), exact: true }).click();
    await page.waitForURL('**/console/apps');
  }

  for (const lang of LANGUAGES) {
    it(`shows refused sign-ins, certificate files and passwords in ${lang.locale}`, async () => {
      const { T, context, page, zh } = await desktopPage(lang);
      try {
        // A wrong password at sign-in.
        await page.goto(`${sandbox.url}/console/sign-in`);
        await page.getByLabel(T('signIn.username')).fill('erin');
        await page.getByLabel(T('signIn.password')).fill('not-erins-password');
        await page.getByRole('button', { name: T('signIn.submit'), exact: true }).click();
        await page.getByRole('alert').getByText(T('serverError.signInWrong')).waitFor();
        await page.getByLabel(T('signIn.password')).fill(PASSWORD);
        await page.getByRole('button', { name: T('signIn.submit'), exact: true }).click();
        await page.waitForURL('**/console/apps');

        // A certificate upload the server refuses: the reason at the file, in the reader's language.
        await page.goto(`${sandbox.url}/console/apps/${DEMO_SDKAPPID}/certificates`);
        await page.getByRole('button', { name: T('certificates.add') }).click();
        const dialog = page.getByRole('dialog');
        await dialog.getByRole('textbox', { name: T('certificates.vendor') }).click();
        await page.getByRole('option', { name: 'FCM', exact: true }).click();
        await dialog.locator('input[type="file"]').setInputFiles({
          name: 'google-services.json',
          mimeType: 'application/json',
          buffer: Buffer.from('this is not JSON'),
        });
        await dialog.getByRole('button', { name: T('certificates.add') }).click();
        const notJson = dialog.getByText(T('serverError.fcmNotJson'), { exact: true });
        await notJson.waitFor();
        if (zh) expect(await notJson.textContent()).toMatch(HAN);
        else expect(await notJson.textContent()).toBe('the service-account file is not valid JSON');
        await dialog.getByRole('button', { name: T('common.cancel') }).click();
        await dialog.waitFor({ state: 'hidden' });

        // An APNs signing key that is not a .p8 key.
        await page.getByRole('button', { name: T('certificates.add') }).click();
        await dialog.getByText(T('certForm.p8'), { exact: true }).click();
        await dialog.locator('input[type="file"]').setInputFiles({
          name: 'AuthKey_ABCDE12345.p8',
          mimeType: 'application/octet-stream',
          buffer: Buffer.from('-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n'),
        });
        await dialog.getByRole('textbox', { name: T('certFields.keyId') }).fill('ABCDE12345');
        await dialog.getByRole('textbox', { name: T('certFields.teamId') }).fill('TEAM123456');
        await dialog.getByRole('textbox', { name: T('certFields.bundleId') }).fill('com.example.chat');
        await dialog.getByRole('textbox', { name: T('certificates.environment') }).click();
        await page.getByRole('option', { name: T('certForm.development') }).click();
        await dialog.getByRole('button', { name: T('certificates.add') }).click();
        const notP8 = dialog.getByText(T('serverError.apnsNotP8'), { exact: true });
        await notP8.waitFor();
        if (zh) expect(await notP8.textContent()).toMatch(/^这不是 \.p8 密钥文件/);
        else expect(await notP8.textContent()).toMatch(/^this is not a \.p8 key file/);
        if (zh) await screenshotConsole(page, 'zh-certificate-refused');
        await dialog.getByRole('button', { name: T('common.cancel') }).click();
        await dialog.waitFor({ state: 'hidden' });

        // A new password the server refuses: too easy to guess (with zxcvbn's advice), then the same one.
        await page.getByTestId('signed-in-user').click();
        await page.getByRole('menuitem', { name: T('password.title') }).click();
        const form = page.getByRole('dialog', { name: T('password.title') });
        const change = async (newPassword: string) => {
          await form.getByLabel(T('password.current')).fill(PASSWORD);
          await form.getByLabel(T('password.new'), { exact: true }).fill(newPassword);
          await form.getByLabel(T('password.repeat')).fill(newPassword);
          await form.getByRole('button', { name: T('password.title') }).click();
        };
        await change('aaaaaaaaaa');
        // The text up to zxcvbn's advice.
        const weak = T('serverError.passwordTooWeakBecause', {
          score: 0,
          minScore: MIN_PASSWORD_SCORE,
          why: '\u0000',
        }).split('\u0000')[0]!;
        const refusal = form.getByText(weak);
        await refusal.waitFor();
        // zxcvbn's advice in the reader's language: "aaaaaaaaaa" repeats one character.
        const advice = T('passwordAdvice.warnings.simpleRepeat');
        expect(await refusal.textContent()).toContain(advice);
        if (zh) {
          expect(weak).toMatch(/^密码太容易被猜到/);
          // No English words, apart from the quoted example ("aaa").
          expect((await refusal.textContent())?.replace(/“[^”]*”/g, '')).not.toMatch(/[A-Za-z]{2,}/);
        } else expect(weak).toMatch(/^password is too easy to guess \(strength 0 of 4/);
        if (zh) await screenshotConsole(page, 'zh-password-refused');
        await change(PASSWORD);
        const same = form.getByText(T('serverError.passwordUnchanged'), { exact: true });
        await same.waitFor();
        expect(await same.textContent()).toBe(
          zh ? '新密码与当前密码相同' : 'the new password is the same as the current one',
        );
      } finally {
        await context.close();
      }
    });

    it(`shows refused app settings and push composer input in ${lang.locale}`, async () => {
      const { T, context, page, zh } = await desktopPage(lang);
      // Chinese refusals hold no English words, apart from identifiers and codes.
      const noEnglish = (text: string | null) =>
        expect(text?.replace(/UserID|UTF-8/g, '')).not.toMatch(/[A-Za-z]{2,}/);
      try {
        await signIn(page, T);

        // An app name longer than the server takes (the form only checks that there is one).
        await page.goto(`${sandbox.url}/console/apps/${DEMO_SDKAPPID}`);
        await page.getByLabel(T('appSettings.appName')).fill('n'.repeat(129));
        await page.getByRole('button', { name: T('appSettings.save') }).click();
        const tooLong = page.getByRole('alert').getByText(T('serverError.appNameTooLong', { max: 128 }));
        await tooLong.waitFor();
        if (zh) {
          expect(await tooLong.textContent()).toBe('应用名称最多 128 个字符');
          noEnglish(await tooLong.textContent());
        } else expect(await tooLong.textContent()).toBe('the app name must be at most 128 characters');

        // A push to a UserID longer than 32 bytes: refused in the estimate and when sent.
        await page.goto(`${sandbox.url}/console/apps/${DEMO_SDKAPPID}/tasks`);
        await page.getByText(T('composer.userList'), { exact: true }).click();
        await page.getByLabel(T('composer.userIds'), { exact: true }).fill('u'.repeat(40));
        await page.getByLabel(T('testPush.text'), { exact: true }).fill('hello');
        const refusal = T('serverError.userIdTooLong', { bytes: 40, max: 32 });
        await expect.poll(() => page.getByTestId('audience-estimate').textContent()).toBe(refusal);
        await page.getByRole('button', { name: T('newPush.start') }).click();
        const refused = page.getByRole('alert').getByText(refusal);
        await refused.waitFor();
        if (zh) {
          expect(await refused.textContent()).toBe('UserID 为 40 字节（UTF-8），最多 32 字节');
          noEnglish(await refused.textContent());
        } else expect(await refused.textContent()).toBe('UserID is 40 bytes of UTF-8; at most 32');
      } finally {
        await context.close();
      }
    });

    it(`shows a refused UserID, a generic input check and a push command's refusal in ${lang.locale}`, async () => {
      const { T, context, page, zh } = await desktopPage(lang);
      // No English words, apart from identifiers and what the reader typed (quoted “...”).
      const noEnglish = (text: string | null) =>
        expect(text?.replace(/UserID|UTF-8|“[^”]*”/g, '')).not.toMatch(/[A-Za-z]{2,}/);
      try {
        await signIn(page, T);

        // The users page opened on a UserID longer than 32 bytes (a link or a typed address).
        const users = `${sandbox.url}/console/apps/${DEMO_SDKAPPID}/users`;
        await page.goto(`${users}?user=${'u'.repeat(40)}`);
        const badUser = page
          .getByRole('alert')
          .getByText(T('serverError.userIdTooLong', { bytes: 40, max: 32 }));
        await badUser.waitFor();
        if (zh) {
          expect(await badUser.textContent()).toBe('UserID 为 40 字节（UTF-8），最多 32 字节');
          noEnglish(await badUser.textContent());
        } else expect(await badUser.textContent()).toBe('UserID is 40 bytes of UTF-8; at most 32');

        // A search longer than the API takes: zod's check, with the field's name in the reader's words.
        await page.goto(users);
        await page.getByLabel(T('users.find')).fill('s'.repeat(65));
        await page.getByLabel(T('users.find')).press('Enter');
        const field = T('serverErrorField.search');
        const tooLong = page.getByRole('alert').getByText(T('serverError.fieldTooLong', { field, max: 64 }));
        await tooLong.waitFor();
        if (zh) {
          expect(await tooLong.textContent()).toBe('搜索内容最多 64 个字符');
          noEnglish(await tooLong.textContent());
        } else expect(await tooLong.textContent()).toBe('search: at most 64 characters');

        // A push from a sender the app does not have: timpush/push refuses it (70107).
        await page.goto(`${sandbox.url}/console/apps/${DEMO_SDKAPPID}/tasks`);
        await page.getByLabel(T('newPush.sender'), { exact: true }).fill('nobody');
        await page.getByLabel(T('testPush.text'), { exact: true }).fill('hello');
        await page.getByRole('button', { name: T('newPush.start') }).click();
        const sender = page
          .getByRole('alert')
          .getByText(T('serverError.composerSenderNotFound', { userId: 'nobody' }));
        await sender.waitFor();
        if (zh) {
          expect(await sender.textContent()).toBe('本应用中没有发送者账号“nobody”');
          noEnglish(await sender.textContent());
        } else
          expect(await sender.textContent()).toBe('fromAccount: there is no account "nobody" in this app');
      } finally {
        await context.close();
      }
    });
  }
});
