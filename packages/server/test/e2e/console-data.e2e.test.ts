// The console's data pages as a newcomer uses them after `npm start`, in headless Chromium against a real
// sandbox (the vendor simulators in-process, the demo app with a virtual phone per vendor): a REST push shows
// up live on a sandbox phone (also one that reached the phone while the page was connecting its stream); the
// push records table finds it and shows its trace; an all-member push and a tag push started from the Tasks
// form reach 100 %; the statistics charts draw the pushes. Takes the screenshots that docs/console.md shows.
//
// Runs on SQLite only: the API underneath is tested on both backends in console-data.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SDKAPPID } from '../../src/sandbox/demo.js';
import type { Sandbox } from '../../src/sandbox/start.js';
import { chromiumMissing, launchChromium, screenshotConsole } from '../helpers/browser.js';
import { consoleSandbox } from '../helpers/console.js';
import { sandboxText, sandboxV4 } from '../helpers/console-browser.js';

const PASSWORD = 'newcomer-password-1';
const missing = chromiumMissing();

describe.skipIf(missing !== undefined)(
  'console data pages in a browser, in the sandbox',
  { timeout: 60_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'pushline-console-data-'));
    let sandbox: Sandbox;
    let browser: Browser;
    let page: Page;
    const appPath = `/console/apps/${DEMO_SDKAPPID}`;

    async function screenshot(name: string, fullPage = false) {
      await screenshotConsole(page, name, fullPage);
    }

    const v4 = (command: string, body: unknown) => sandboxV4(sandbox, command, body);

    async function newestTaskId(): Promise<string> {
      const { tasks } = await sandbox.pushline.pushTasks.list(DEMO_SDKAPPID, { limit: 1 });
      return tasks[0]!.taskId;
    }

    async function progressOf(taskId: string) {
      return page
        .getByRole('progressbar', { name: `Progress of task ${taskId}` })
        .getAttribute('aria-valuenow');
    }

    beforeAll(async () => {
      sandbox = await consoleSandbox(dir, 'newcomer', PASSWORD);
      await sandbox.pushline.tags.add(DEMO_SDKAPPID, [
        { userId: 'carol', tags: ['beta'] },
        { userId: 'dave', tags: ['beta'] },
      ]);
      browser = await launchChromium();
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
      page = await context.newPage();
      await page.goto(`${sandbox.url}/console/sign-in`);
      await page.getByLabel('User name').fill('newcomer');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/console/apps');
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await sandbox?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('shows a REST push arriving live on the sandbox phone', async () => {
      await page.getByRole('link', { name: 'Pushline Demo' }).click();
      await page.getByRole('navigation').getByRole('link', { name: 'Sandbox phones' }).click();
      await page.waitForURL(`**${appPath}/phones`);
      const alice = page.getByRole('region', { name: 'Phone of alice (APNs)' });
      await alice.waitFor();
      await page.getByRole('region', { name: 'Phone of bob (FCM)' }).waitFor();
      await page.getByTestId('live-status').getByText('Live').waitFor();
      expect(await alice.getByTestId('phone-notification').count()).toBe(0);

      await sandboxText(sandbox, 'alice', 'lunch at noon?', 1);
      // No reload: the notification arrives over the page's event stream.
      await alice.getByTestId('phone-notification').getByText('Sam: lunch at noon?').waitFor();
      expect(
        await page
          .getByRole('region', { name: 'Phone of bob (FCM)' })
          .getByTestId('phone-notification')
          .count(),
      ).toBe(0);
    });

    it('finds that push in the records table and shows its trace stages', async () => {
      await page.getByRole('navigation').getByRole('link', { name: 'Push records' }).click();
      await page.waitForURL(`**${appPath}/records`);
      await page.getByLabel('Search').fill('alice');
      await page.getByRole('button', { name: 'Search' }).click();
      const row = page.getByRole('table', { name: 'Push records' }).getByTestId('push-record');
      await expect.poll(() => row.count()).toBe(1);
      expect(await row.textContent()).toContain('APNs');
      // The vendor's answer is written within a moment: searching again shows it.
      await expect
        .poll(async () => {
          if ((await row.getByText('sent').count()) === 0)
            await page.getByRole('button', { name: 'Search' }).click();
          return row.getByText('sent').count();
        })
        .toBe(1);

      await row.click();
      const trace = page.getByTestId('trace');
      await trace.waitFor();
      expect(await trace.getByTestId('trace-step-Accepted').textContent()).toContain('passed');
      expect(await trace.getByTestId('trace-step-Sent to vendor').textContent()).toContain('passed');
      expect(await trace.getByTestId('trace-step-Vendor answer').textContent()).toContain('passed');
      expect(await trace.getByTestId('trace-step-Delivery receipt').textContent()).toContain('not reached');
      const stages = page.getByRole('table', { name: 'Trace stages' });
      expect(await stages.textContent()).toContain('accepted');
      expect(await stages.textContent()).toContain('sent');
      // The picture waits for the drawer's slide-in to end.
      await page.waitForFunction(() => {
        const el = document.querySelector('.mantine-Drawer-content');
        if (!el) return false;
        const style = getComputedStyle(el);
        return style.opacity === '1' && ['none', 'matrix(1, 0, 0, 1, 0, 0)'].includes(style.transform);
      });
      await screenshot('push-trace');
      await page.keyboard.press('Escape');
      await trace.waitFor({ state: 'hidden' });
    });

    it('starts an all-member push and a tag push from the Tasks form; both progress bars reach 100 %', async () => {
      await page.getByRole('navigation').getByRole('link', { name: 'Push tasks' }).click();
      await page.waitForURL(`**${appPath}/tasks`);
      await page.getByLabel('Title').fill('Maintenance');
      await page.getByLabel('Text').fill('back online at 10:00');
      await page.getByRole('button', { name: 'Start push' }).click();
      await page.getByText('Push task started').waitFor();
      const everyone = await newestTaskId();
      await expect.poll(() => progressOf(everyone), { timeout: 30_000 }).toBe('100');
      // Every demo phone (one per vendor) got it.
      for (const device of sandbox.demo.devices) {
        const shown = await sandbox.simulators.sim.waitFor({
          vendor: device.vendor,
          token: device.token,
          app: device.app,
        });
        expect(shown).toBeDefined();
      }
      await expect
        .poll(
          () =>
            sandbox.simulators.sim.received().filter((n) => n.body?.includes('back online at 10:00')).length,
        )
        .toBe(sandbox.demo.devices.length);

      await page.getByText('Users with tags').click();
      await page.getByRole('textbox', { name: 'Tags' }).fill('beta');
      await page.getByRole('textbox', { name: 'Tags' }).press('Enter');
      await page.getByLabel('Title').fill('Beta');
      await page.getByLabel('Text').fill('new build for testers');
      await page.getByRole('button', { name: 'Start push' }).click();
      await expect.poll(async () => (await newestTaskId()) !== everyone).toBe(true);
      const tagged = await newestTaskId();
      await expect.poll(() => progressOf(tagged), { timeout: 30_000 }).toBe('100');
      await expect
        .poll(() =>
          sandbox.simulators.sim
            .received()
            .filter((n) => n.body?.includes('new build for testers'))
            .map((n) => n.vendor)
            .sort(),
        )
        .toEqual(['honor', 'huawei']);
      const taskRow = page.getByTestId('push-task').first();
      await expect.poll(() => taskRow.textContent()).toContain('tags: any of beta');
      // The "Push task started" notes close by themselves; the picture is clearer without them.
      await expect.poll(() => page.getByText('Push task started').count(), { timeout: 15_000 }).toBe(0);
      await screenshot('push-tasks');
    });

    it('draws the statistics charts with the pushes', async () => {
      await page.getByRole('navigation').getByRole('link', { name: 'Statistics' }).click();
      await page.waitForURL(`**${appPath}/statistics`);
      await page.reload();
      const sent = page.getByTestId('figure-Sent');
      await sent.waitFor();
      // 1 REST push + 9 all-member + 2 tag pushes, all accepted by the simulators.
      const figure = async (name: string) =>
        Number((await page.getByTestId(`figure-${name}`).textContent())?.replace(/\D/g, ''));
      // Counters are written within a moment of the vendors' answers: Refresh until all are in.
      await expect
        .poll(async () => {
          if ((await figure('Sent')) !== 12) await page.getByRole('button', { name: 'Refresh' }).click();
          return figure('Sent');
        })
        .toBe(12);

      // APNs refuses the next push as too large: it shows under Failed, by vendor code, after Refresh.
      sandbox.simulators.sim.faults.add('apns', {
        kind: 'status',
        status: 413,
        reason: 'PayloadTooLarge',
        count: 1,
      });
      await sandboxText(sandbox, 'alice', 'a very long story', 2);
      const failed = page.getByTestId('figure-Failed');
      await expect
        .poll(async () => {
          await page.getByRole('button', { name: 'Refresh' }).click();
          return Number((await failed.textContent())?.replace(/\D/g, ''));
        })
        .toBe(1);
      const reasons = page.getByRole('table', { name: 'Failures by reason' });
      await expect.poll(() => reasons.textContent()).toContain('PayloadTooLarge');
      expect(await reasons.textContent()).toContain('APNs');
      await expect
        .poll(() => page.getByTestId('failures').locator('.recharts-bar-rectangle path').count())
        .toBe(1);
      const bars = page.getByTestId('chart-vendors').locator('.recharts-bar-rectangle');
      await expect.poll(() => bars.count()).toBeGreaterThan(0);
      // The hour of the pushes has a stacked bar segment per vendor: all nine, each drawn.
      const hours = page.getByTestId('chart-hours');
      const segments = hours.locator('.recharts-bar-rectangle path');
      await expect.poll(() => segments.count()).toBe(9);
      expect(await segments.first().getAttribute('d')).toMatch(/^M/);
      for (const name of ['APNs', 'FCM', 'Huawei', 'Honor', 'Xiaomi', 'OPPO', 'vivo', 'Meizu', 'Web Push']) {
        await hours.getByText(name, { exact: true }).first().waitFor();
      }
      // Total and Sent have bars (12 each); nothing was delivered or clicked (the simulators send no receipts).
      const funnel = page.getByTestId('chart-funnel').locator('.recharts-bar-rectangle path');
      await expect.poll(() => funnel.count()).toBe(2);
      const tasks = page.getByRole('table', { name: 'Per-task figures' });
      await expect.poll(() => tasks.getByRole('row').count()).toBe(3);
      await screenshot('statistics', true);
    });

    it('shows the notifications on every phone after a reload', async () => {
      await page.getByRole('navigation').getByRole('link', { name: 'Sandbox phones' }).click();
      await page.waitForURL(`**${appPath}/phones`);
      await page.reload();
      const carol = page.getByRole('region', { name: 'Phone of carol (Huawei)' });
      await carol.getByText('new build for testers').waitFor();
      await carol.getByText('back online at 10:00').waitFor();
      await page.getByTestId('live-status').getByText('Live').waitFor();
      await screenshot('sandbox-phones');
    });

    it('lists every push of the walk-through in the records, the refused one included', async () => {
      await page.getByRole('navigation').getByRole('link', { name: 'Push records' }).click();
      await page.waitForURL(`**${appPath}/records`);
      const rows = page.getByRole('table', { name: 'Push records' }).getByTestId('push-record');
      // 1 + 9 + 2 accepted by the simulators, 1 refused by APNs.
      await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(13);
      await page.getByRole('table', { name: 'Push records' }).getByText('rejected').waitFor();
      await screenshot('push-records');
    });

    it('shows a notification that reached the phone while the page was still connecting its stream', async () => {
      // Hold the page's event stream until the notification is on the phone: the list the page read first
      // lacks it and the stream never carries it, so only reading the list again when the stream opens shows it.
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      await page.route('**/sandbox/events', async (route) => {
        await held;
        await route.continue();
      });
      try {
        await page.getByRole('navigation').getByRole('link', { name: 'Push records' }).click();
        await page.waitForURL(`**${appPath}/records`);
        await page.getByRole('navigation').getByRole('link', { name: 'Sandbox phones' }).click();
        await page.waitForURL(`**${appPath}/phones`);
        const grace = page.getByRole('region', { name: 'Phone of grace (vivo)' });
        await grace.waitFor();
        expect(await page.getByTestId('live-status').getByText('Live').count()).toBe(0);
        await sandboxText(sandbox, 'grace', 'while you were connecting', 4);
        await expect
          .poll(() =>
            sandbox.simulators.sim
              .received({ vendor: 'vivo' })
              .some((r) => JSON.stringify(r).includes('while you were connecting')),
          )
          .toBe(true);
        expect(await grace.getByText('while you were connecting').count()).toBe(0);
        release();
        await page.getByTestId('live-status').getByText('Live').waitFor();
        await grace.getByTestId('phone-notification').getByText('while you were connecting').waitFor();
      } finally {
        release();
        await page.unroute('**/sandbox/events');
      }
    });

    it('a recalled message leaves the sandbox phone live (Xiaomi revokes it)', async () => {
      await page.getByRole('navigation').getByRole('link', { name: 'Sandbox phones' }).click();
      await page.waitForURL(`**${appPath}/phones`);
      await page.getByTestId('live-status').getByText('Live').waitFor();
      const erin = page.getByRole('region', { name: 'Phone of erin (Xiaomi)' });
      const sent = await sandboxText(sandbox, 'erin', 'sent by mistake', 3);
      await erin.getByTestId('phone-notification').getByText('sent by mistake').waitFor();
      const r = await v4('openim/admin_msgwithdraw', {
        From_Account: 'sam',
        To_Account: 'erin',
        MsgKey: sent.MsgKey,
      });
      expect(r.ErrorCode).toBe(0);
      // No reload: the retraction arrives over the page's event stream and the notification goes.
      await expect.poll(() => erin.getByText('sent by mistake').count()).toBe(0);
    });
  },
);
