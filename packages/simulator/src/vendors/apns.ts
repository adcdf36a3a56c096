// APNs' reason strings and the HTTP status each is answered with. The table stays in this file, where
// it has always been (a shared table is being introduced elsewhere; edits to the reasons belong
// there). The APNs simulator itself lives in vendors/apns/: listener.ts (HTTP/2 transport) and
// answer.ts (what to answer).

/** APNs' HTTP status per reason (docs/internals/apns.md#answers-and-outcomes); other reasons are 400. */
export const APNS_REASON_STATUS: Readonly<Record<string, number>> = {
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
};
export const DEFAULT_REASON_FOR_STATUS: Record<number, string> = {
  400: 'BadDeviceToken',
  403: 'Forbidden',
  404: 'BadPath',
  405: 'MethodNotAllowed',
  410: 'Unregistered',
  413: 'PayloadTooLarge',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  503: 'ServiceUnavailable',
};
