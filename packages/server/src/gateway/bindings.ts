// setOfflinePushConfig: checks a reported token against the app's certificates before storing it, so a
// wrong certificate ID or a token of the wrong vendor is refused at once with a clear message.
import type { CertificateStore } from '../certificates/store.js';
import { tokenFormatProblem } from '../certificates/token-format.js';
import { vendorModule } from '../push/vendors/index.js';
import { GatewayError, GatewayErrorCode } from './protocol.js';

export const TOKEN_TYPE_VENDOR = 0;
export const TOKEN_TYPE_TPNS = 1;
export const TOKEN_TYPE_VOIP = 2;

export interface OfflinePushConfig {
  businessID: number;
  token: string;
  tokenType?: number;
}

/** Returns the binding to store, or throws a GatewayError saying what is wrong. */
export async function validateOfflinePushConfig(
  certificates: CertificateStore,
  sdkAppId: number,
  config: OfflinePushConfig,
): Promise<{ certificateId: number; token: string; tokenType: number }> {
  const tokenType = config.tokenType ?? TOKEN_TYPE_VENDOR;
  if (tokenType === TOKEN_TYPE_TPNS) {
    throw new GatewayError(GatewayErrorCode.InvalidToken, 'TPNS tokens (tokenType 1) are not supported');
  }
  if (tokenType !== TOKEN_TYPE_VENDOR && tokenType !== TOKEN_TYPE_VOIP) {
    throw new GatewayError(GatewayErrorCode.InvalidParameters, 'tokenType must be 0 (vendor) or 2 (VoIP)');
  }
  const cert = await certificates.get(sdkAppId, config.businessID);
  if (!cert) {
    throw new GatewayError(
      GatewayErrorCode.UnknownCertificate,
      `certificate ID (businessID) ${config.businessID} does not exist in this app`,
    );
  }
  // Only APNs has VoIP certificates (VendorModule.kinds).
  const isVoipCert = cert.kind === 'voip';
  if (tokenType === TOKEN_TYPE_VOIP && !isVoipCert) {
    throw new GatewayError(
      GatewayErrorCode.CertificateKindMismatch,
      `VoIP tokens (tokenType 2) need an APNs VoIP certificate; certificate ${cert.id} is ${cert.vendor} ${cert.kind}`,
    );
  }
  if (tokenType === TOKEN_TYPE_VENDOR && isVoipCert) {
    throw new GatewayError(
      GatewayErrorCode.CertificateKindMismatch,
      `certificate ${cert.id} is an APNs VoIP certificate: report its token with tokenType 2`,
    );
  }
  const token = vendorModule(cert.vendor).normalizeToken?.(config.token) ?? config.token;
  const problem = tokenFormatProblem(cert.vendor, token);
  if (problem) {
    throw new GatewayError(GatewayErrorCode.InvalidToken, `${problem} (certificate ${cert.id})`);
  }
  return { certificateId: cert.id, token, tokenType };
}
