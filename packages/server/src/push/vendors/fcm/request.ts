// The request this vendor's renderer builds and its channel sends (one member of VendorRequest, push/types.ts).

/** FCM HTTP v1: the `message` object without `token` (the channel adds it). */
export interface FcmRequest {
  vendor: 'fcm';
  message: Record<string, unknown>;
}
