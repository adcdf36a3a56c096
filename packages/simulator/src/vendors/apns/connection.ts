// What one APNs connection is authenticated as. Apple authenticates a connection either by the client
// certificate of its TLS handshake (for every stream on it) or by the provider token of its streams,
// with one team per connection; this is the part of a connection's state the answers depend on.
import { apnsCertificateTopics, parseApnsCertificateSubject } from '../../core/tls.js';

export type ApnsEnvironment = 'production' | 'development';

export interface ApnsConnectionAuth {
  /** Certificate auth: what the client certificate allows, or the reason it is refused. */
  cert?:
    | { bundleId: string; topics: string[]; environment: 'production' | 'development' | 'both' }
    | { bad: string };
  /** Token auth: one team per connection. */
  teamId?: string;
}

/**
 * The certificate auth of a new connection from its peer certificate's subject, or undefined when the
 * client sent no certificate (token auth). A certificate from another CA or for the other environment
 * still connects: Apple refuses it per request, so the reason is kept for the answers.
 */
export function certificateAuth(
  subject: Record<string, string>,
  authorized: boolean,
  environment: ApnsEnvironment,
): ApnsConnectionAuth['cert'] {
  const parsed = parseApnsCertificateSubject(subject);
  if (!authorized || !parsed) return { bad: 'BadCertificate' };
  if (parsed.environment !== 'both' && parsed.environment !== environment) {
    return { bad: 'BadCertificateEnvironment' };
  }
  return {
    bundleId: parsed.bundleId,
    environment: parsed.environment,
    topics: apnsCertificateTopics(parsed.bundleId, parsed.environment, parsed.voip),
  };
}
