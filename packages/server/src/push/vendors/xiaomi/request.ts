// The request this vendor's renderer builds and its channel sends (one member of VendorRequest, push/types.ts).

/** Xiaomi MiPush: form fields without `registration_id`. */
export interface XiaomiRequest {
  vendor: 'xiaomi';
  form: Record<string, string>;
  /** A retraction: POST /v3/message/regid/revoke of the notification with this notify_id (not `form`). */
  revoke?: { notifyId: number };
}
