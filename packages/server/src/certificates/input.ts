// What a user hands in when adding a certificate (CLI flags, console JSON). One flat shape for every
// vendor: each vendor's validator (validate/*.ts) picks the fields it needs and explains what is missing.
import { z } from 'zod';
import { displayNameSchema } from '../apps/settings.js';
import { fillText, type TextParams } from '../fill-text.js';
import { CERTIFICATE_ERROR_TEXTS, type CertificateErrorKey } from './messages.js';
import type { ApnsEnvironment, CertificateDefaults, Vendor } from './types.js';

export interface CertificateInput {
  vendor: Vendor;
  /** A label for people; defaults to "<vendor> <bundle ID / package / project>". */
  name?: string;
  /** APNs: a VoIP (PushKit) certificate. */
  voip?: boolean;
  /** APNs certificate auth: the .p12 file and its password. */
  p12?: Buffer;
  password?: string;
  /** APNs token auth: the .p8 key (PEM text), its key ID and the team ID. */
  p8?: string;
  keyId?: string;
  teamId?: string;
  bundleId?: string;
  environment?: ApnsEnvironment;
  /** FCM: the service-account JSON file content. */
  serviceAccount?: string;
  /** FCM legacy server key: refused with an explanation. */
  serverKey?: string;
  appId?: string;
  clientId?: string;
  clientSecret?: string;
  appKey?: string;
  appSecret?: string;
  masterSecret?: string;
  packageName?: string;
  /** Web Push VAPID key pair (base64url) and subject (mailto: or https: URL). */
  vapidPublicKey?: string;
  vapidPrivateKey?: string;
  subject?: string;
  defaults?: CertificateDefaults;
}

/** Fields that carry credential material: changing any of them means validating the credential again. */
export const CREDENTIAL_FIELDS = [
  'p12',
  'password',
  'p8',
  'keyId',
  'teamId',
  'bundleId',
  'environment',
  'voip',
  'serviceAccount',
  'serverKey',
  'appId',
  'clientId',
  'clientSecret',
  'appKey',
  'appSecret',
  'masterSecret',
  'packageName',
  'vapidPublicKey',
  'vapidPrivateKey',
  'subject',
] as const satisfies readonly (keyof CertificateInput)[];

/** A refused upload: `field` names the input field to show the message next to. */
export class CertificateInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
    /** The message as a key of CERTIFICATE_ERROR_TEXTS with its values, for the console's languages. */
    readonly text?: { key: CertificateErrorKey; params?: TextParams },
  ) {
    super(message);
    this.name = 'CertificateInputError';
  }
}

/** A refused upload whose message is a text of CERTIFICATE_ERROR_TEXTS (validate/messages.ts). */
export function invalidInput(
  field: string,
  key: CertificateErrorKey,
  params?: TextParams,
): CertificateInputError {
  return new CertificateInputError(field, fillText(CERTIFICATE_ERROR_TEXTS[key], params), {
    key,
    ...(params ? { params } : {}),
  });
}

const clickAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('open_app') }),
  z.object({ type: z.literal('open_url'), url: z.string().url() }),
  z.object({ type: z.literal('open_page'), page: z.string().min(1).max(1024) }),
]);

export const certificateDefaultsSchema = z
  .object({
    channelId: z.string().min(1).max(200).optional(),
    category: z.string().min(1).max(64).optional(),
    importance: z.enum(['LOW', 'NORMAL', 'HIGH']).optional(),
    clickAction: clickAction.optional(),
    badgeClass: z.string().min(1).max(256).optional(),
    fcmMessageType: z.enum(['notification', 'data']).optional(),
    displayName: displayNameSchema,
    rateLimit: z
      .object({
        perSecond: z.number().positive().max(1_000_000),
        burst: z.number().int().min(1).max(10_000_000).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export function parseDefaults(value: unknown): CertificateDefaults {
  const parsed = certificateDefaultsSchema.safeParse(value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    throw invalidInput(`defaults${path ? `.${path}` : ''}`, 'certDefaultsInvalid', {
      problem: issue?.message ?? 'invalid defaults',
    });
  }
  return parsed.data as CertificateDefaults;
}

/** A required, trimmed, non-empty string field. */
export function required(
  input: CertificateInput,
  field: keyof CertificateInput,
  missing: CertificateErrorKey,
  params?: TextParams,
): string {
  const value = input[field];
  if (typeof value !== 'string' || value.trim() === '') throw invalidInput(field, missing, params);
  return value.trim();
}
