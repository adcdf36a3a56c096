import { z } from 'zod';
import { loginPolicySchema } from '../gateway/login-policy.js';

// Per-app settings. Unknown keys are kept so that newer nodes' settings survive older nodes' writes.
export const appSettingsSchema = z
  .object({
    /** Where webhooks (State.StateChange, Push.OfflinePush, ...) are POSTed; empty = none. */
    callbackUrl: z.string().url().or(z.literal('')).default(''),
    /** Multi-device login policy (gateway/login-policy.ts); absent = the default policy. */
    loginPolicy: loginPolicySchema.optional(),
    /**
     * The global do-not-disturb feature switch (Tencent: "must first be enabled in the console"). Off:
     * im_msg_db_logic/admin_set_do_not_disturb is refused. Absent = on.
     */
    dndEnabled: z.boolean().optional(),
  })
  .passthrough();

export type AppSettings = z.infer<typeof appSettingsSchema>;

export function parseAppSettings(input: unknown): AppSettings {
  return appSettingsSchema.parse(input ?? {});
}

/** Whether the app's global do-not-disturb feature is on (it is unless switched off). */
export function dndFeatureEnabled(settings: AppSettings): boolean {
  return settings.dndEnabled !== false;
}
