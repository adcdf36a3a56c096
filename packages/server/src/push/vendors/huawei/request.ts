// The request this vendor's renderer builds and its channel sends (one member of VendorRequest, push/types.ts).

/** Huawei Push Kit v1: the `message` object without `token`. */
export interface HuaweiRequest {
  vendor: 'huawei';
  message: Record<string, unknown>;
  /** A retraction: POST /v1/{appId}/messages:revoke of the notification with this notify ID (not `message`). */
  revoke?: { notifyId: number };
}
