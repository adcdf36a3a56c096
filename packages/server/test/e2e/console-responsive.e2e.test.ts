// The console at phone, tablet and desktop sizes, in headless Chromium against a sandbox (the demo app has a
// certificate per vendor, so the certificates table is as wide as it gets): sign in, open the navigation,
// go to the certificates, push records and users pages. At every size the page never scrolls sideways (wide
// tables scroll inside their own box; certificates, records, tasks and statistics become cards on a phone),
// and below the navigation breakpoint the navigation bar hides behind a burger and closes again once a page
// is chosen. Takes the phone-size screenshot docs/console.md shows.
//
// Runs on SQLite only: the layout does not depend on the database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SDKAPPID } from '../../src/sandbox/demo.js';
import type { Sandbox } from '../../src/sandbox/start.js';
import { chromiumMissing, launchChromium, screenshotConsole } from '../helpers/browser.js';
import { consoleSandbox } from '../helpers/console.js';

const PASSWORD = 'phone-password-1';
const missing = chromiumMissing();

const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844, burger: true },
  { name: 'tablet', width: 768, height: 1024, burger: true },
  { name: 'desktop', width: 1280, height: 800, burger: false },
] as const;

/** Pages the test visits, by their navigation label, path and what shows they are loaded. */
const PAGES = [
  { label: 'Push certificates', path: 'certificates', table: 'Certificates' },
  { label: 'Push records', path: 'records', table: 'Push records' },
  { label: 'Users and devices', path: 'users', table: undefined },
] as const;

/** The page is no wider than the window: nothing to scroll sideways. */
async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth));
}

/** Whether the navigation bar is on screen (a collapsed one is moved out to the left). */
async function navOnScreen(page: Page): Promise<boolean> {
  const box = await page.getByRole('navigation', { name: 'Console pages' }).boundingBox();
  return box !== null && box.x + box.width > 1 && box.width > 0;
}

describe.skipIf(missing !== undefined)(
  'console layout at phone, tablet and desktop sizes',
  { timeout: 60_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'pushline-console-responsive-'));
    let sandbox: Sandbox;
    let browser: Browser;

    beforeAll(async () => {
      sandbox = await consoleSandbox(dir, 'pat', PASSWORD);
      // One push, so the records table has a row.
      const q = new URLSearchParams({
        sdkappid: String(DEMO_SDKAPPID),
        identifier: sandbox.demo.app.adminIdentifier,
        usersig: sandbox.adminUserSig,
        random: '1',
        contenttype: 'json',
      });
      const res = await fetch(`${sandbox.url}/v4/openim/sendmsg?${q}`, {
        method: 'POST',
        body: JSON.stringify({
          From_Account: 'sam',
          To_Account: 'alice',
          MsgRandom: 1,
          MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'on my way' } }],
        }),
      });
      expect(((await res.json()) as { ErrorCode: number }).ErrorCode).toBe(0);
      browser = await launchChromium();
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await sandbox?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    for (const vp of VIEWPORTS) {
      it(`at ${vp.width}x${vp.height} (${vp.name}): signs in, navigates, never scrolls sideways`, async () => {
        const context = await browser.newContext({
          viewport: { width: vp.width, height: vp.height },
          locale: 'en-US',
        });
        const page = await context.newPage();
        try {
          await page.goto(`${sandbox.url}/console/sign-in`);
          await page.getByLabel('User name').fill('pat');
          await page.getByLabel('Password').fill(PASSWORD);
          expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
          await page.getByRole('button', { name: 'Sign in' }).click();
          await page.waitForURL('**/console/apps');
          await page.getByRole('table', { name: 'Apps' }).waitFor();
          expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

          const burger = page.getByRole('button', { name: /navigation/ });
          if (vp.burger) {
            // Closed at first: the page has the whole width.
            expect(await navOnScreen(page)).toBe(false);
            expect(await burger.getAttribute('aria-expanded')).toBe('false');
          } else {
            expect(await burger.isVisible()).toBe(false);
            expect(await navOnScreen(page)).toBe(true);
          }

          await page.getByRole('link', { name: 'Pushline Demo' }).click();
          await page.waitForURL(`**/console/apps/${DEMO_SDKAPPID}`);
          for (const p of PAGES) {
            if (vp.burger) {
              await burger.click();
              await expect.poll(() => navOnScreen(page)).toBe(true);
              expect(await burger.getAttribute('aria-expanded')).toBe('true');
              if (vp.name === 'phone' && p.path === 'certificates') {
                await page.waitForTimeout(300); // the slide-in
                await screenshotConsole(page, 'phone-navigation');
              }
            }
            await page
              .getByRole('navigation', { name: 'Console pages' })
              .getByRole('link', { name: p.label })
              .click();
            await page.waitForURL(`**/console/apps/${DEMO_SDKAPPID}/${p.path}`);
            if (p.table && vp.name === 'phone') {
              // Phones get the certificates and the push records as cards, not a table wider than the screen.
              await page.getByRole('list', { name: p.table }).getByRole('listitem').first().waitFor();
              expect(await page.getByRole('table', { name: p.table }).count()).toBe(0);
            } else if (p.table) {
              await page.getByRole('table', { name: p.table }).getByRole('row').nth(1).waitFor();
            } else {
              await page.getByLabel('Find a user').waitFor();
            }
            if (vp.burger) {
              // Choosing a page closed the navigation bar.
              await expect.poll(() => navOnScreen(page)).toBe(false);
              expect(await burger.getAttribute('aria-expanded')).toBe('false');
            }
            expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
            // The page's own heading is on screen, not under the navigation bar.
            const heading = await page.getByRole('heading', { name: p.label }).boundingBox();
            expect(heading!.x).toBeGreaterThanOrEqual(0);
            expect(heading!.x + heading!.width).toBeLessThanOrEqual(vp.width);
            if (vp.name === 'phone' && p.path === 'certificates') {
              await page.waitForTimeout(300); // the navigation bar's slide-out
              await screenshotConsole(page, 'phone-certificates');
            }
          }

          // Every other page of the app fits too (charts, forms, cards).
          for (const path of ['', 'overview', 'troubleshoot?userId=alice', 'phones', 'statistics', 'tasks']) {
            await page.goto(`${sandbox.url}/console/apps/${DEMO_SDKAPPID}${path ? `/${path}` : ''}`);
            await page.getByRole('heading', { level: 2 }).first().waitFor();
            // Loaded: no spinner left; charts draw a moment after their data.
            await expect.poll(() => page.locator('.mantine-Loader-root').count()).toBe(0);
            await page.waitForTimeout(300);
            expect({ path, overflow: await horizontalOverflow(page) }).toEqual({ path, overflow: 0 });
          }

          // A modal fits the screen (full screen on a phone) and its form can be filled in.
          await page.goto(`${sandbox.url}/console/apps/${DEMO_SDKAPPID}/certificates`);
          await page.getByRole('button', { name: 'Add certificate' }).click();
          const dialog = page.getByRole('dialog');
          await dialog.waitFor();
          await page.waitForTimeout(300);
          const box = await dialog.boundingBox();
          expect(box!.x).toBeGreaterThanOrEqual(0);
          expect(box!.x + box!.width).toBeLessThanOrEqual(vp.width);
          if (vp.name === 'phone') expect(box!.width).toBe(vp.width);
          expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
          await page.keyboard.press('Escape');
          await dialog.waitFor({ state: 'hidden' });
        } finally {
          await context.close();
        }
      });
    }
  },
);
