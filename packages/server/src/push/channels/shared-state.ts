// State shared by the channels of one sender (LocalSender): what belongs to a credential rather than to a
// certificate, such as APNs provider tokens, which are per signing key (vendors/apns/index.ts).
export class SharedChannelState {
  readonly #values = new Map<string, unknown>();

  /** The value kept under `key`, made by `create` on first use. Keys start with the vendor's name. */
  get<T>(key: string, create: () => T): T {
    let value = this.#values.get(key) as T | undefined;
    if (value === undefined) {
      value = create();
      this.#values.set(key, value);
    }
    return value;
  }
}
