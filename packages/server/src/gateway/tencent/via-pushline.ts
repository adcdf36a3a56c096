// The Tencent gateway answering with Pushline's own request handlers (gateway/ops.ts): one implementation of
// each fact, whichever front door reports it. Their refusals keep their code and message.
import { GatewayError } from '../protocol.js';

/** Makes the gateway's error (connection.ts TencentError), passed in to keep these modules free of it. */
export type ErrorOf = (code: number, message: string) => Error;

export async function viaPushline<T>(run: () => Promise<T>, fail: ErrorOf): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof GatewayError) throw fail(err.code, err.message);
    throw err;
  }
}
