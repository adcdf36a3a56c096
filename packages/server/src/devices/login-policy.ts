// Multi-device login policy per app (docs/internals/tencent-im.md#multi-device-login-policy), read from the
// app's settings under `loginPolicy`. A login that exceeds the policy evicts the oldest logged-in instances
// it collides with.
import { PLATFORMS, type Platform } from '@pushline/contracts';
import { z } from 'zod';

export { PLATFORMS, type Platform };

/** Platforms whose apps can be in the background and receive offline pushes. */
export const MOBILE_PLATFORMS: ReadonlySet<Platform> = new Set(['iPhone', 'iPad', 'Android']);

export const loginPolicySchema = z.object({
  /**
   * single: one non-Web instance across all platforms; per-platform: one instance per platform;
   * multi: up to `maxPerPlatform` instances per platform. Web instances are limited by `maxWeb` in every mode.
   */
  mode: z.enum(['single', 'per-platform', 'multi']).default('multi'),
  maxPerPlatform: z.number().int().min(1).max(100).default(3),
  maxWeb: z.number().int().min(1).max(100).default(10),
});
export type LoginPolicy = z.infer<typeof loginPolicySchema>;

export const DEFAULT_LOGIN_POLICY: LoginPolicy = loginPolicySchema.parse({});

/** The app's policy from its settings; an invalid stored policy falls back to the default. */
export function loginPolicyOf(settings: Record<string, unknown>): LoginPolicy {
  const parsed = loginPolicySchema.safeParse(settings.loginPolicy ?? {});
  return parsed.success ? parsed.data : DEFAULT_LOGIN_POLICY;
}

export interface LoggedInInstance {
  instanceId: string;
  platform: string;
  loggedInAt: number;
}

/**
 * The instances to evict so that `incoming` fits the policy, oldest first. `existing` are the user's other
 * logged-in instances (the incoming instance itself excluded).
 */
export function instancesToEvict<T extends LoggedInInstance>(
  policy: LoginPolicy,
  existing: T[],
  incoming: { platform: Platform },
): T[] {
  const oldestFirst = [...existing].sort((a, b) => a.loggedInAt - b.loggedInAt);
  const evictBeyond = (pool: T[], keep: number) => pool.slice(0, Math.max(0, pool.length - keep));
  if (incoming.platform === 'Web') {
    return evictBeyond(
      oldestFirst.filter((i) => i.platform === 'Web'),
      policy.maxWeb - 1,
    );
  }
  const sameGroup = oldestFirst.filter((i) =>
    policy.mode === 'single' ? i.platform !== 'Web' : i.platform === incoming.platform,
  );
  const keep = policy.mode === 'multi' ? policy.maxPerPlatform - 1 : 0;
  return evictBeyond(sameGroup, keep);
}
