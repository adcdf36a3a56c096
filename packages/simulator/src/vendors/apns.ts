// APNs' reason strings and the HTTP status each is answered with: @pushline/contracts' APNS_REASONS, the one
// table the server's APNs channel and vendor answers use too (edits to the reasons belong there). The APNs
// simulator itself lives in vendors/apns/: listener.ts (HTTP/2 transport) and answer.ts (what to answer).
import { APNS_REASONS } from '@pushline/contracts';

/** APNs' HTTP status per reason (docs/internals/apns.md#answers-and-outcomes); other reasons are 400. */
export const APNS_REASON_STATUS: Readonly<Record<string, number>> = APNS_REASONS;

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
