// The request this vendor's renderer builds and its channel sends (one member of VendorRequest, push/types.ts).

/** vivo: the send body without `regId` and `requestId`. */
export interface VivoRequest {
  vendor: 'vivo';
  message: Record<string, unknown>;
}
