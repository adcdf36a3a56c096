// The request this vendor's renderer builds and its channel sends (one member of VendorRequest, push/types.ts).

/** APNs request: headers and JSON body for POST /3/device/<token>. */
export interface ApnsRequest {
  vendor: 'apns';
  pushType: 'alert' | 'background' | 'voip';
  /** Defaults to the certificate's bundle ID (+ ".voip" for voip). */
  topic?: string;
  priority: 10 | 5 | 1;
  /** apns-expiration, UNIX seconds; 0 = deliver once or never. */
  expiration?: number;
  collapseId?: string;
  /** The JSON payload: `aps` plus custom top-level keys such as `ext`. */
  body: Record<string, unknown>;
}
