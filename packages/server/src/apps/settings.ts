import { z } from 'zod';

// Per-app settings. Unknown keys are kept so that newer nodes' settings survive older nodes' writes.
export const appSettingsSchema = z
  .object({
    /** Where webhooks (State.StateChange, Push.OfflinePush, ...) are POSTed; empty = none. */
    callbackUrl: z.string().url().or(z.literal('')).default(''),
  })
  .passthrough();

export type AppSettings = z.infer<typeof appSettingsSchema>;

export function parseAppSettings(input: unknown): AppSettings {
  return appSettingsSchema.parse(input ?? {});
}
