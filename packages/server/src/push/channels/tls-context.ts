// TLS contexts for vendor connections, built once per trust list instead of once per connection.
//
// Given as `ca`, a trust list of the ~150 system roots plus `caFile` is parsed into a new X509 store by every
// `tls.connect` and every `https.Agent`: about 15–40 ms of CPU each. A node opens such connections for every
// channel it builds (one HTTP/1.1 agent per credential, APNs and FCM HTTP/2 sessions as load grows), so the
// parsing showed in profiles as 11 % of a send worker's time in the mixed-vendors benchmark and delayed a
// cold process's first push (bench/README.md "What limits it"). A SecureContext is immutable once built
// and Node shares it between sockets, so one per trust list (and per client certificate, for APNs
// certificate auth) is enough.
import { createSecureContext, type SecureContext } from 'node:tls';

/** Contexts by trust list: the list is one array for the life of a ChannelContext (a worker's lifetime). */
const byTrustList = new WeakMap<readonly string[], SecureContext>();

/** The shared context that trusts `ca`; undefined (Node's default roots) when there is no custom list. */
export function trustContext(ca: readonly string[] | undefined): SecureContext | undefined {
  if (!ca) return undefined;
  let context = byTrustList.get(ca);
  if (!context) {
    context = createSecureContext({ ca: [...ca] });
    byTrustList.set(ca, context);
  }
  return context;
}

/**
 * A context presenting a client certificate (APNs certificate auth): one per channel, built when the
 * channel is, and used by every session the channel opens.
 */
export function clientCertificateContext(
  ca: readonly string[] | undefined,
  keyPem: string,
  certPem: string,
): SecureContext {
  return createSecureContext({ ...(ca ? { ca: [...ca] } : {}), key: keyPem, cert: certPem });
}
