// What the console's browser tests share: the two languages and three window sizes they run in, the
// console's texts with their placeholders filled, and REST calls as the sandbox app's backend makes them.
import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { en } from '../../../console/src/i18n/en.js';
import { zhCN } from '../../../console/src/i18n/zh-CN.js';
import { DEMO_SDKAPPID, DEMO_SENDER } from '../../src/sandbox/demo.js';
import type { Sandbox } from '../../src/sandbox/start.js';

export const LANGUAGES = [
  { locale: 'en-US', texts: en },
  { locale: 'zh-CN', texts: zhCN },
] as const;

export const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'tablet', width: 768, height: 1024 },
  { name: 'desktop', width: 1280, height: 800 },
] as const;

export type Texts = typeof en;

/** A console text with its {{placeholders}} filled, as the console shows it. */
export function tr(texts: Texts, key: string, vars: Record<string, string | number> = {}): string {
  let node: unknown = texts;
  for (const part of key.split('.')) node = (node as Record<string, unknown>)[part];
  if (typeof node !== 'string') throw new Error(`no text ${key}`);
  return node.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(vars[name]));
}

/** How far the page is wider than the window: 0 = nothing to scroll sideways. */
export const horizontalOverflow = (page: Page) =>
  page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth));

/** A v4 REST call to the sandbox's demo app, signed as its administrator. */
export async function sandboxV4(
  sandbox: Sandbox,
  command: string,
  body: unknown,
): Promise<{ ErrorCode: number; MsgKey?: string } & Record<string, unknown>> {
  const q = new URLSearchParams({
    sdkappid: String(DEMO_SDKAPPID),
    identifier: sandbox.demo.app.adminIdentifier,
    usersig: sandbox.adminUserSig,
    random: String(Math.floor(Math.random() * 4_294_967_295)),
    contenttype: 'json',
  });
  const res = await fetch(`${sandbox.url}/v4/${command}?${q}`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  return (await res.json()) as { ErrorCode: number; MsgKey?: string };
}

/** A text message from the demo sender (`sam`) to `to` over v4 `openim/sendmsg`; throws unless it is accepted. */
export async function sandboxText(
  sandbox: Sandbox,
  to: string,
  text: string,
  msgRandom: number,
): Promise<{ ErrorCode: number; MsgKey?: string } & Record<string, unknown>> {
  const answer = await sandboxV4(sandbox, 'openim/sendmsg', {
    From_Account: DEMO_SENDER.userId,
    To_Account: to,
    MsgRandom: msgRandom,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }],
  });
  if (answer.ErrorCode !== 0) throw new Error(`sendmsg to ${to} refused: ${JSON.stringify(answer)}`);
  return answer;
}

/** A console browser test's teardown: the browser, then the sandbox, then its data directory. */
export async function closeConsoleWorld(
  browser: Browser | undefined,
  sandbox: Sandbox | undefined,
  dir: string,
): Promise<void> {
  await browser?.close();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
}
