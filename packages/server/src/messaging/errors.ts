// Errors of the messaging stage, carrying the Tencent code the REST API and the gateway answer with.

/** A send refused for a reason with a Tencent code. */
export class MessagingError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
