// Every `reason` APNs answers with, bound to the HTTP status it comes with (Apple: "Handling notification
// responses from APNs"; as Pushy's RejectionReason does). One table for the server's APNs channel and vendor
// answers (packages/server/src/push/answers/vendor-answers.ts explains each reason) and the APNs simulator
// (packages/simulator/src/vendors/apns.ts answers with these statuses). docs/internals/apns.md.

export const APNS_REASONS = {
  BadCollapseId: 400,
  BadDeviceToken: 400,
  BadExpirationDate: 400,
  BadMessageId: 400,
  BadPriority: 400,
  BadTopic: 400,
  DeviceTokenNotForTopic: 400,
  DuplicateHeaders: 400,
  IdleTimeout: 400,
  InvalidPushType: 400,
  MissingDeviceToken: 400,
  MissingTopic: 400,
  PayloadEmpty: 400,
  TopicDisallowed: 400,
  BadCertificate: 403,
  BadCertificateEnvironment: 403,
  ExpiredProviderToken: 403,
  Forbidden: 403,
  InvalidProviderToken: 403,
  MissingProviderToken: 403,
  BadPath: 404,
  MethodNotAllowed: 405,
  ExpiredToken: 410,
  Unregistered: 410,
  PayloadTooLarge: 413,
  TooManyProviderTokenUpdates: 429,
  TooManyRequests: 429,
  InternalServerError: 500,
  ServiceUnavailable: 503,
  Shutdown: 503,
} as const;

export type ApnsReason = keyof typeof APNS_REASONS;
export type ApnsStatus = (typeof APNS_REASONS)[ApnsReason];
