// The console in Simplified Chinese, in headless Chromium against a sandbox: a browser whose language is
// zh-CN gets Chinese navigation and pages with dates in the Chinese form; the language switch in the header
// changes to English, which is remembered over the browser's language after a reload. Takes the Chinese
// screenshot docs/console.md shows.
//
// Runs on SQLite only: the texts do not depend on the database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SDKAPPID } from '../../src/sandbox/demo.js';
import type { Sandbox } from '../../src/sandbox/start.js';
import { chromiumMissing, launchChromium, screenshotConsole } from '../helpers/browser.js';
import { consoleSandbox } from '../helpers/console.js';

const PASSWORD = 'lin-password-1';
const missing = chromiumMissing();

describe.skipIf(missing !== undefined)('console in Simplified Chinese', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pushline-console-i18n-'));
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;
  const nav = () => page.getByRole('navigation');

  beforeAll(async () => {
    sandbox = await consoleSandbox(dir, 'lin', PASSWORD);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    page = await context.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs in in Chinese, chosen from the browser language', async () => {
    await page.goto(`${sandbox.url}/console/`);
    await page.waitForURL('**/console/sign-in');
    await page.getByRole('heading', { name: 'Pushline 控制台' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.getByLabel('用户名').fill('lin');
    await page.getByLabel('密码').fill('wrong-password-1');
    await page.getByRole('button', { name: '登录' }).click();
    // The console's title and the server's refusal (sent as a message key) are both Chinese.
    await page.getByRole('alert').getByText('登录失败').waitFor();
    await page.getByRole('alert').getByText('用户名或密码错误').waitFor();
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL('**/console/apps');
    await page.getByRole('heading', { name: '应用' }).waitFor();
    const table = page.getByRole('table', { name: '应用' });
    await table.getByRole('columnheader', { name: '管理员账号' }).waitFor();
    // Dates in the Chinese form: 2026/12/3 08:00:00.
    const created = await table.getByRole('row').nth(1).getByRole('cell').nth(3).textContent();
    expect(created).toMatch(/^\d{4}\/\d{1,2}\/\d{1,2} \d{2}:\d{2}:\d{2}$/);
    await page.getByRole('button', { name: '退出登录' }).waitFor();
  });

  it('shows the navigation and an app page in Chinese', async () => {
    await page.getByRole('link', { name: 'Pushline Demo' }).click();
    await page.waitForURL(`**/console/apps/${DEMO_SDKAPPID}`);
    for (const label of [
      '概览',
      '应用设置',
      '推送证书',
      '用户与设备',
      '问题排查',
      '沙盒手机',
      '推送记录',
      '统计',
      '推送任务',
    ]) {
      await nav().getByRole('link', { name: label, exact: true }).waitFor();
    }
    await page.getByRole('heading', { name: '密钥' }).waitFor();
    await nav().getByRole('link', { name: '推送证书' }).click();
    await page.waitForURL(`**/console/apps/${DEMO_SDKAPPID}/certificates`);
    await page.getByRole('heading', { name: '推送证书' }).waitFor();
    const certificates = page.getByRole('table', { name: '证书' });
    for (const header of ['名称', '厂商', '环境', '过期时间', '状态']) {
      await certificates.getByRole('columnheader', { name: header }).waitFor();
    }
    await certificates.getByRole('button', { name: '测试推送' }).first().waitFor();
    await certificates.getByText('启用中').first().waitFor();
    // Technical identifiers stay as they are.
    await page.getByText('businessID').waitFor();
    await screenshotConsole(page, 'zh-certificates');
  });

  it('switches to English in the header and remembers it over the browser language', async () => {
    await page.getByRole('button', { name: '语言' }).click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await nav().getByRole('link', { name: 'Push certificates' }).waitFor();
    await page.getByRole('heading', { name: 'Push certificates' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('pushline.console.language'))).toBe('en');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.reload();
    await page.getByRole('heading', { name: 'Push certificates' }).waitFor();
    expect(await nav().getByRole('link', { name: '推送证书' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Language' }).click();
    await page.getByRole('menuitem', { name: '简体中文' }).click();
    await page.getByRole('heading', { name: '推送证书' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('pushline.console.language'))).toBe('zh-CN');
  });
});
