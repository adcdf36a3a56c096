// The request this vendor's renderer builds and its channel sends (one member of VendorRequest, push/types.ts).

/** Meizu: the `messageJson` object. */
export interface MeizuRequest {
  vendor: 'meizu';
  messageJson: Record<string, unknown>;
}
