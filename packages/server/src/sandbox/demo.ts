// Sandbox demo data: one demo app that `npm start` creates on first run and prints on every start.
import type { AppsService, AppWithSecret } from '../apps/apps.js';

export const DEMO_SDKAPPID = 1_400_000_000;
export const DEMO_APP_NAME = 'Pushline Demo';

export async function ensureDemoApp(apps: AppsService): Promise<{ app: AppWithSecret; created: boolean }> {
  const existing = await apps.get(DEMO_SDKAPPID);
  if (existing) return { app: existing, created: false };
  const app = await apps.create({ name: DEMO_APP_NAME, sdkAppId: DEMO_SDKAPPID });
  return { app, created: true };
}
