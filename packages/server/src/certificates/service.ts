// The certificate operations behind the CLI and the console API: validate, store (sealed), tell the
// running channels, test. Every change goes through here so that channels pick it up at once.
import type { CertificateChannels } from '../push/channels/index.js';
import type { PushOutcome } from '../push/types.js';
import { type CertificateInput, CREDENTIAL_FIELDS, invalidInput, parseDefaults } from './input.js';
import type { CertificateStore } from './store.js';
import { testTask } from './test-notification.js';
import { tokenFormatText } from './token-format.js';
import type { CertificateDefaults, CertificateInfo, PauseMode } from './types.js';
import { validateCertificate } from './validate.js';

/** What can be changed in place: a label and defaults keep the credential; anything else replaces it. */
export type CertificateUpdate = Partial<Omit<CertificateInput, 'vendor'>>;

export interface CertificateTestResult {
  certificate: CertificateInfo;
  outcome: PushOutcome;
}

export class CertificateNotFoundError extends Error {
  constructor(
    readonly sdkAppId: number,
    readonly id: number,
  ) {
    super(`no certificate ${id} in app ${sdkAppId}`);
    this.name = 'CertificateNotFoundError';
  }
}

export class CertificateService {
  constructor(
    private readonly store: CertificateStore,
    private readonly channels: CertificateChannels,
  ) {}

  /** Validates and stores a new certificate; its ID is the clients' businessID. */
  async add(sdkAppId: number, input: CertificateInput): Promise<CertificateInfo> {
    const validated = validateCertificate(input);
    return this.store.create({ sdkAppId, ...validated });
  }

  list(sdkAppId: number): Promise<CertificateInfo[]> {
    return this.store.list(sdkAppId);
  }

  async get(sdkAppId: number, id: number): Promise<CertificateInfo> {
    const info = await this.store.get(sdkAppId, id);
    if (!info) throw new CertificateNotFoundError(sdkAppId, id);
    return info;
  }

  /**
   * Changes a certificate; its ID stays. Only `name`/`defaults`: the stored credential is kept. Any
   * credential field: the credential is validated again from what is given (all of it is needed).
   */
  async update(sdkAppId: number, id: number, patch: CertificateUpdate): Promise<CertificateInfo> {
    const current = await this.get(sdkAppId, id);
    const replacesCredential = CREDENTIAL_FIELDS.some((f) => patch[f] !== undefined);
    let updated: CertificateInfo;
    if (replacesCredential) {
      const validated = validateCertificate({
        defaults: current.defaults,
        ...patch,
        vendor: current.vendor,
        name: patch.name ?? current.name,
      });
      updated = await this.store.update(sdkAppId, id, validated);
    } else {
      const withSecrets = await this.store.getWithSecrets(id);
      if (!withSecrets) throw new CertificateNotFoundError(sdkAppId, id);
      const name = patch.name?.trim();
      if (patch.name !== undefined && (!name || name.length > 128)) {
        throw invalidInput('name', 'certNameLength');
      }
      const defaults: CertificateDefaults = patch.defaults ? parseDefaults(patch.defaults) : current.defaults;
      updated = await this.store.update(
        sdkAppId,
        id,
        {
          vendor: current.vendor,
          kind: current.kind,
          name: name ?? current.name,
          ...(current.environment ? { environment: current.environment } : {}),
          appIdentifier: current.appIdentifier,
          publicFields: current.publicFields,
          secrets: withSecrets.secrets,
          defaults,
          expiresAt: current.expiresAt,
        },
        false,
      );
    }
    this.channels.invalidate(id);
    return updated;
  }

  async remove(sdkAppId: number, id: number): Promise<void> {
    if (!(await this.store.delete(sdkAppId, id))) throw new CertificateNotFoundError(sdkAppId, id);
    this.channels.invalidate(id);
  }

  readonly #resumeListeners: ((sdkAppId: number, id: number) => Promise<unknown>)[] = [];

  /** Called after every resume, e.g. to release the pushes the queue held while the certificate was paused. */
  onResumed(listener: (sdkAppId: number, id: number) => Promise<unknown>): void {
    this.#resumeListeners.push(listener);
  }

  readonly #discardListeners: ((sdkAppId: number, id: number) => Promise<unknown>)[] = [];

  /** Called after a pause in `discard` mode, e.g. to drop the pushes the queue holds for the certificate. */
  onDiscarding(listener: (sdkAppId: number, id: number) => Promise<unknown>): void {
    this.#discardListeners.push(listener);
  }

  /**
   * Stops sending with a certificate until `resume`. `hold` (default): pushes keep being queued and wait;
   * `discard`: new pushes are not queued and waiting ones are dropped (types.ts PauseMode).
   */
  async pause(
    sdkAppId: number,
    id: number,
    reason = 'paused by an administrator',
    mode: PauseMode = 'hold',
  ): Promise<CertificateInfo> {
    if (!(await this.store.setStatus(sdkAppId, id, 'paused', reason, mode)))
      throw new CertificateNotFoundError(sdkAppId, id);
    this.channels.invalidate(id);
    if (mode === 'discard') for (const listener of this.#discardListeners) await listener(sdkAppId, id);
    return this.get(sdkAppId, id);
  }

  async resume(sdkAppId: number, id: number): Promise<CertificateInfo> {
    if (!(await this.store.setStatus(sdkAppId, id, 'active', null)))
      throw new CertificateNotFoundError(sdkAppId, id);
    this.channels.invalidate(id);
    for (const listener of this.#resumeListeners) await listener(sdkAppId, id);
    return this.get(sdkAppId, id);
  }

  /** Sends one test notification to `token` through the real channel and returns the vendor's answer. */
  async test(
    sdkAppId: number,
    id: number,
    token: string,
    text = 'It works: this certificate can send.',
  ): Promise<CertificateTestResult> {
    const certificate = await this.get(sdkAppId, id);
    const problem = tokenFormatText(certificate.vendor, token);
    if (problem) throw invalidInput('token', problem.key, problem.params);
    const [outcome] = await this.channels.send(id, [testTask(certificate, token, text)]);
    // An accepted test push verifies the certificate (CertificateChannels.send): answer its state after it.
    return { certificate: await this.get(sdkAppId, id), outcome: outcome as PushOutcome };
  }
}
