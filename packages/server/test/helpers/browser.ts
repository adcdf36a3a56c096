// Headless Chromium for end-to-end tests: Debian's /usr/bin/chromium driven by playwright-core (which
// never downloads a browser). `.ci/run` installs chromium; without it the e2e suites fail in CI and skip,
// with a message, on a developer's machine.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.PUSHLINE_CHROMIUM ?? '/usr/bin/chromium';

/** Undefined when Chromium is there; otherwise why not. Throws in CI, where a missing browser is a failure. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const message = `Chromium is not installed at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (.ci/run does)`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`skipping browser tests: ${message}`);
  return message;
}

export function launchChromium(): Promise<Browser> {
  // launch() gives every run a fresh, empty profile. The flags keep Chromium off the network: this
  // machine has none, and background requests would only fail slowly.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Where the console tests put their screenshots: docs/images (what docs/console.md shows) only on request
 * (`PUSHLINE_UPDATE_SCREENSHOTS=1 npm test`), so that an ordinary run leaves the working tree clean;
 * otherwise a temporary folder.
 */
export const SCREENSHOTS =
  process.env.PUSHLINE_UPDATE_SCREENSHOTS === '1'
    ? resolve(import.meta.dirname, '../../../../docs/images')
    : mkdtempSync(join(tmpdir(), 'pushline-screenshots-'));

/** Saves `console-<name>.png` of the page into SCREENSHOTS. */
export async function screenshotConsole(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: resolve(SCREENSHOTS, `console-${name}.png`), fullPage });
}
