// What both client gateways (connection.ts, tencent/connection.ts) do with a device's acknowledgements and a
// slow socket: acknowledged seqs are written to the device's session at most one write at a time, the newest
// winning (a burst of acks is one or two writes), and a long resume waits for the client to read.

/** The newest seq a device acknowledged, written through `write` without piling writes up. */
export class AckWriter {
  #acked = 0;
  #writing = false;

  constructor(
    private readonly write: (seq: number) => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Starts from the seq the session already holds (a resumed device). */
  reset(seq: number): void {
    this.#acked = seq;
  }

  ack(seq: number): void {
    if (seq <= this.#acked) return;
    this.#acked = seq;
    void this.flush();
  }

  /** Writes the newest seq unless a write is under way (which then writes it). */
  async flush(): Promise<void> {
    if (this.#writing) return;
    this.#writing = true;
    try {
      let written = -1;
      while (written !== this.#acked) {
        written = this.#acked;
        await this.write(written);
      }
    } catch (err) {
      this.onError(err);
    } finally {
      this.#writing = false;
    }
  }
}

const POLL_MS = 20;

/** Backpressure: resolves once the socket holds at most `threshold` unsent bytes (or is no longer open). */
export async function drainSocket(
  ws: { bufferedAmount: number; readyState: number; readonly OPEN: number },
  threshold: number,
): Promise<void> {
  while (ws.bufferedAmount > threshold && ws.readyState === ws.OPEN) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
