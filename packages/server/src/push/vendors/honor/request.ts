// The request this vendor's renderer builds and its channel sends (one member of VendorRequest, push/types.ts).

/** Honor Push: the camelCase message body without `token`. */
export interface HonorRequest {
  vendor: 'honor';
  message: Record<string, unknown>;
}
