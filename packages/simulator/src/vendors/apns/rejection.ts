// A push APNs refuses. Thrown by the checks (answer.ts, provider-token.ts) so the first failing rule
// wins, exactly as Apple answers one reason per request; answer.ts turns it into the error answer.
export class Rejection {
  constructor(
    readonly reason: string,
    /** Unregistered only: when the token was last known invalid, epoch milliseconds. */
    readonly timestamp?: number,
  ) {}
}
