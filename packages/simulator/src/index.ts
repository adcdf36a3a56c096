// @pushline/simulator: protocol-faithful local simulators of every push vendor.

export type {
  ApnsKey,
  ApnsKeyRegistration,
  OemVendor,
  ServiceAccount,
  ServiceAccountRegistration,
  VendorApp,
} from './core/credentials.js';
export type { InstallOptions, VirtualDevice, WebPushSubscription } from './core/devices.js';
export { TOKEN_FORMATS } from './core/devices.js';
export type { FaultKind, FaultRule, StoredFault } from './core/faults.js';
export { decodeJwt, signJwt } from './core/jwt.js';
export {
  type ApnsSigningKey,
  createVirtualBrowserKeys,
  generateApnsSigningKey,
  generateServiceAccount,
  generateVapidKeys,
  generateVendorApp,
  type ServiceAccountJson,
  serviceAccountPublicKey,
  signApnsProviderToken,
  type VapidKeys,
} from './core/keys.js';
export type { PushRecord, RawRequest, RecordFilter, VendorCounters } from './core/records.js';
export {
  type ApnsCertificateEnvironment,
  type ApnsClientCertificate,
  createTestCa,
  issueApnsClientCertificate,
  issueServerCertificate,
  type PemPair,
  parseApnsCertificateSubject,
  SIMULATED_HOSTS,
  type TestCa,
} from './core/tls.js';
export type { Simulators, SimulatorUrls } from './core/types.js';
export { isVendor, SIMULATOR_VENDORS, type SimulatorVendor } from './core/vendor-ids.js';
export * from './simulators.js';
export { APNS_REASON_STATUS } from './vendors/apns.js';
export { meizuSign } from './vendors/meizu.js';
export { decryptAes128gcm } from './vendors/webpush.js';
