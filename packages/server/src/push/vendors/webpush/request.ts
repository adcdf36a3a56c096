// The request this vendor's renderer builds and its channel sends (one member of VendorRequest, push/types.ts).

/** Web Push: the cleartext payload (encrypted by the channel) and RFC 8030 headers. */
export interface WebPushRequest {
  vendor: 'webpush';
  payload: string;
  ttlSeconds: number;
  urgency?: 'very-low' | 'low' | 'normal' | 'high';
  topic?: string;
}
