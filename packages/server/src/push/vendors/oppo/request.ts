// The request this vendor's renderer builds and its channel sends (one member of VendorRequest, push/types.ts).

/** OPPO: the `notification` object of a unicast message. */
export interface OppoRequest {
  vendor: 'oppo';
  notification: Record<string, unknown>;
}
