// Vendor answers in words and push tasks that tell the truth, in headless Chromium against a real sandbox, in
// English and in Simplified Chinese: a push APNs refuses shows what the code means and what to do in the
// records table, in its trace and in the troubleshooter; the composer estimates the audience of a UserID
// list and previews the notification; a task whose pushes partly failed is "partly failed" with its main
// reason, one that reached nobody says so, one scheduled for later says when; the statistics show one row
// per vendor code with what to do, and count axes in whole numbers.
//
// Runs on SQLite only: the API underneath is tested on both backends in console-tasks.test.ts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SDKAPPID } from '../../src/sandbox/demo.js';
import type { Sandbox } from '../../src/sandbox/start.js';
import { chromiumMissing, launchChromium, screenshotConsole } from '../helpers/browser.js';
import { consoleSandbox } from '../helpers/console.js';
import { closeConsoleWorld, sandboxText } from '../helpers/console-browser.js';

const PASSWORD = 'operator-password-1';
const missing = chromiumMissing();

describe.skipIf(missing !== undefined)(
  'vendor answers and push tasks in a browser, in English and Chinese',
  { timeout: 90_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'pushline-console-answers-'));
    let sandbox: Sandbox;
    let browser: Browser;
    let page: Page;
    const appPath = `/console/apps/${DEMO_SDKAPPID}`;

    async function signIn(locale: string, labels: { user: string; password: string; button: string }) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale });
      page = await context.newPage();
      await page.goto(`${sandbox.url}/console/sign-in`);
      await page.getByLabel(labels.user).fill('operator');
      await page.getByLabel(labels.password).fill(PASSWORD);
      await page.getByRole('button', { name: labels.button }).click();
      await page.waitForURL('**/console/apps');
    }

    const newestTask = async () =>
      (await sandbox.pushline.pushTasks.list(DEMO_SDKAPPID, { limit: 1 })).tasks[0]!;

    beforeAll(async () => {
      sandbox = await consoleSandbox(dir, 'operator', PASSWORD);
      browser = await launchChromium();
    }, 120_000);
    afterAll(() => closeConsoleWorld(browser, sandbox, dir));

    it('explains a refused push in the records table and in its trace', async () => {
      await signIn('en-US', { user: 'User name', password: 'Password', button: 'Sign in' });
      sandbox.simulators.sim.faults.add('apns', {
        kind: 'status',
        status: 400,
        reason: 'BadTopic',
        count: 1,
      });
      await sandboxText(sandbox, 'alice', 'refused one', 7);
      await page.goto(`${sandbox.url}${appPath}/records?search=alice`);
      const row = page.getByRole('table', { name: 'Push records' }).getByTestId('push-record');
      await expect
        .poll(async () => {
          if ((await row.getByText('rejected').count()) === 0) await page.reload();
          return row.getByText('rejected').count();
        })
        .toBe(1);
      await page.getByRole('columnheader', { name: 'Reason' }).waitFor();
      expect(await row.getByTestId('record-reason').textContent()).toBe(
        'BadTopic apns-topic not allowed for this push type or certificate',
      );
      await row.click();
      const answer = page.getByTestId('trace-answer');
      await answer.waitFor();
      const words = await answer.textContent();
      expect(words).toContain('APNs answered BadTopic');
      expect(words).toContain('What it means: apns-topic not allowed for this push type or certificate');
      expect(words).toContain(
        'What to do: Check the bundle ID of the certificate: it must be the app’s bundle ID',
      );
      expect(await page.getByTestId('trace-step-Vendor answer').textContent()).toContain(
        'BadTopic · apns-topic not allowed for this push type or certificate',
      );
      // The picture waits for the drawer's slide-in to end.
      await page.waitForFunction(() => {
        const el = document.querySelector('.mantine-Drawer-content');
        if (!el) return false;
        const style = getComputedStyle(el);
        return style.opacity === '1' && ['none', 'matrix(1, 0, 0, 1, 0, 0)'].includes(style.transform);
      });
      await screenshotConsole(page, 'push-trace-refused');
      await page.keyboard.press('Escape');

      // The troubleshooter's recent pushes say the same, with what to do.
      await page.goto(`${sandbox.url}${appPath}/troubleshoot?userId=alice`);
      const explained = page.getByTestId('troubleshoot-answer');
      await expect.poll(() => explained.count()).toBe(1);
      expect(await explained.textContent()).toBe(
        'What it means: apns-topic not allowed for this push type or certificate What to do: Check the bundle ID of the certificate: it must be the app’s bundle ID (with .voip for VoIP pushes).',
      );
    });

    it('composes a UserID-list push with an audience estimate and previews; the task says it partly failed', async () => {
      await page.goto(`${sandbox.url}${appPath}/tasks`);
      await page.getByText('UserID list', { exact: true }).click();
      const estimate = page.getByTestId('audience-estimate');
      await page.getByLabel('UserIDs').fill('alice, ghost');
      await expect
        .poll(() => estimate.textContent())
        .toBe('Audience now: 1 user. Not users of this app: ghost.');
      await page.getByLabel('UserIDs').fill('alice bob');
      await expect.poll(() => estimate.textContent()).toBe('Audience now: 2 users.');
      await page.getByLabel('Title').fill('Flash sale');
      await page.getByLabel('Text', { exact: true }).fill('half price today');
      await page.getByLabel('Custom data (Ext)').fill('{"page":"sale"}');
      for (const id of ['preview-ios', 'preview-android']) {
        const preview = await page.getByTestId(id).textContent();
        expect(preview).toContain('Flash sale');
        expect(preview).toContain('half price today');
      }
      // APNs refuses alice's copy; bob's (FCM) goes.
      sandbox.simulators.sim.faults.add('apns', {
        kind: 'status',
        status: 400,
        reason: 'BadTopic',
        count: 1,
      });
      await page.getByRole('button', { name: 'Start push' }).click();
      await page.getByText('Push task started').waitFor();
      const task = await newestTask();
      expect(task.kind).toBe('batch');
      const row = page.getByTestId('push-task').first();
      await expect
        .poll(() => row.getByTestId('task-status').textContent(), { timeout: 30_000 })
        .toBe('partly failed');
      expect(await row.getByTestId('task-title').textContent()).toBe('Flash sale');
      expect(await row.getByTestId('task-text').textContent()).toBe('half price today');
      expect(await row.getByTestId('task-failed-count').textContent()).toBe('1 push failed');
      await expect
        .poll(() => row.getByTestId('task-main-reason').textContent())
        .toBe('Mostly APNs BadTopic: apns-topic not allowed for this push type or certificate');
      const bob = sandbox.demo.devices.find((d) => d.vendor === 'fcm')!;
      await expect
        .poll(() =>
          sandbox.simulators.sim.received({ token: bob.token }).some((n) => n.body === 'half price today'),
        )
        .toBe(true);
    });

    it('says a tag push reached nobody, and a push scheduled for later when it starts', async () => {
      await page.getByText('Users with tags', { exact: true }).click();
      await page.getByRole('textbox', { name: 'Tags' }).fill('nobody-has-this');
      await page.getByRole('textbox', { name: 'Tags' }).press('Enter');
      await expect
        .poll(() => page.getByTestId('audience-estimate').textContent())
        .toBe('Audience now: 0 users.');
      await page.getByLabel('Text', { exact: true }).fill('into the void');
      await page.getByRole('button', { name: 'Start push' }).click();
      const row = page.getByTestId('push-task').first();
      await expect.poll(() => row.getByTestId('task-text').textContent()).toBe('into the void');
      await expect
        .poll(() => row.getByTestId('task-status').textContent(), { timeout: 30_000 })
        .toBe('no recipients');

      await page.getByText('Everyone', { exact: true }).click();
      await page.getByLabel('Text', { exact: true }).fill('tomorrow morning');
      await page.getByRole('switch', { name: 'Send later' }).check();
      // Two hours from now, in the browser's time zone (an <input type="datetime-local"> value).
      const later = await page.evaluate(() => {
        const d = new Date(Date.now() + 2 * 3_600_000);
        const p = (n: number) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
      });
      await page.getByLabel('Start at').fill(later);
      await page.getByRole('button', { name: 'Schedule push' }).click();
      await page.getByText('Push scheduled').waitFor();
      await expect.poll(() => row.getByTestId('task-text').textContent()).toBe('tomorrow morning');
      expect(await row.getByTestId('task-status').textContent()).toBe('scheduled');
      await row.getByText(/^starts /).waitFor();
      const task = await newestTask();
      expect(task.status).toBe('queued');
      expect(task.startAt).toBeGreaterThan(Date.now() + 3_600_000);
      await screenshotConsole(page, 'push-tasks-results');

      // One due in a few seconds (the form takes minutes: the console API directly, as the page calls it):
      // the open page shows it start and finish without a reload.
      const soon = await page.evaluate(async (path) => {
        const { csrfToken } = await (await fetch('/api/console/session')).json();
        const res = await fetch(`/api/console${path}/push-tasks`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
          body: JSON.stringify({
            audience: 'users',
            userIds: ['bob'],
            text: 'in a moment',
            startAt: Date.now() + 3000,
          }),
        });
        return ((await res.json()) as { task: { taskId: string } }).task.taskId;
      }, `/apps/${DEMO_SDKAPPID}`);
      const soonRow = page.getByTestId('push-task').filter({ hasText: soon });
      await page.getByRole('button', { name: 'Schedule push' }).waitFor();
      await expect
        .poll(() => soonRow.getByTestId('task-status').textContent(), { timeout: 20_000 })
        .toBe('done');
      expect((await sandbox.pushline.pushTasks.get(DEMO_SDKAPPID, soon))?.startedAt).toBeGreaterThan(0);
    });

    it('merges the statistics per vendor code, says what to do, and draws whole numbers on the axes', async () => {
      await page.goto(`${sandbox.url}${appPath}/statistics`);
      const reasons = page.getByRole('table', { name: 'Failures by reason' });
      // BadTopic came from a chat message and from a batch task: one row, counted twice.
      const badTopic = reasons.getByTestId('failure-row').filter({ hasText: 'BadTopic' });
      await expect
        .poll(async () => {
          if ((await badTopic.count()) !== 1) await page.getByRole('button', { name: 'Refresh' }).click();
          return badTopic.count();
        })
        .toBe(1);
      const cells = await badTopic.getByRole('cell').allTextContents();
      expect(cells).toEqual([
        'APNs',
        'rejected',
        'BadTopic',
        '2',
        'apns-topic not allowed for this push type or certificate',
        'Check the bundle ID of the certificate: it must be the app’s bundle ID (with .voip for VoIP pushes).',
      ]);
      // Small counts (1, 2...) used to draw ticks at 0.25, 0.5...: every tick of a count axis is whole.
      const ticks = page.locator(
        [
          '[data-testid="chart-funnel"] .recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value',
          '[data-testid="chart-vendors"] .recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value',
          '[data-testid="chart-hours"] .recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value',
          '[data-testid="failures"] .recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value',
        ].join(', '),
      );
      await expect.poll(() => ticks.count()).toBeGreaterThan(3);
      for (const tick of await ticks.allTextContents()) expect(tick.replace(/,/g, '')).toMatch(/^\d+$/);
    });

    it('shows the same in Chinese', async () => {
      await signIn('zh-CN', { user: '用户名', password: '密码', button: '登录' });
      await page.goto(`${sandbox.url}${appPath}/tasks`);
      const rows = page.getByTestId('push-task');
      await expect.poll(() => rows.count()).toBe(4);
      expect(await rows.nth(0).getByTestId('task-status').textContent()).toBe('已完成');
      expect(await rows.nth(1).getByTestId('task-status').textContent()).toBe('已定时');
      expect(await rows.nth(2).getByTestId('task-status').textContent()).toBe('无接收者');
      const partial = rows.nth(3);
      expect(await partial.getByTestId('task-status').textContent()).toBe('部分失败');
      expect(await partial.getByTestId('task-failed-count').textContent()).toBe('1 条推送失败');
      expect(await partial.getByTestId('task-main-reason').textContent()).toBe(
        '主要原因：APNs BadTopic：该推送类型或证书不允许此 apns-topic',
      );
      await page.getByText('UserID 列表', { exact: true }).click();
      await page.getByLabel('UserID', { exact: true }).fill('alice');
      await expect
        .poll(() => page.getByTestId('audience-estimate').textContent())
        .toBe('当前受众：1 个用户。');

      await page.goto(`${sandbox.url}${appPath}/statistics`);
      const badTopic = page
        .getByRole('table', { name: '按原因统计的失败' })
        .getByTestId('failure-row')
        .filter({ hasText: 'BadTopic' });
      await expect.poll(() => badTopic.count()).toBe(1);
      const cells = await badTopic.getByRole('cell').allTextContents();
      expect(cells[4]).toBe('该推送类型或证书不允许此 apns-topic');
      expect(cells[5]).toContain('请检查证书的 Bundle ID');

      await page.goto(`${sandbox.url}${appPath}/troubleshoot?userId=alice`);
      await expect.poll(() => page.getByTestId('troubleshoot-answer').count()).toBe(2);
      expect(await page.getByTestId('troubleshoot-answer').first().textContent()).toContain(
        '含义： 该推送类型或证书不允许此 apns-topic 处理建议： 请检查证书的 Bundle ID',
      );

      await page.goto(`${sandbox.url}${appPath}/records?search=alice`);
      const refused = page
        .getByRole('table', { name: '推送记录' })
        .getByTestId('push-record')
        .filter({ hasText: 'BadTopic' });
      await expect.poll(() => refused.count()).toBe(2);
      expect(await refused.first().getByTestId('record-reason').textContent()).toBe(
        'BadTopic 该推送类型或证书不允许此 apns-topic',
      );
      await refused.first().click();
      const answer = page.getByTestId('trace-answer');
      await answer.waitFor();
      const words = await answer.textContent();
      expect(words).toContain('APNs 返回 BadTopic');
      expect(words).toContain('含义： 该推送类型或证书不允许此 apns-topic');
      expect(words).toContain('处理建议： 请检查证书的 Bundle ID');
    });
  },
);
