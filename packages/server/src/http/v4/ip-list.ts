// The addresses ConfigSvc/GetIPList answers: the `publicAddresses` setting, or else the addresses this server
// listens on (docs/configuration.md). Behind a load balancer or NAT only the setting can know the public ones.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

export async function deploymentAddresses(config: {
  host: string;
  publicAddresses?: string[] | undefined;
}): Promise<string[]> {
  if (config.publicAddresses && config.publicAddresses.length > 0) return [...config.publicAddresses];
  const host = config.host;
  // Every interface (0.0.0.0: IPv4 ones; ::, IPv6 and IPv4): the machine's own addresses, loopback only when
  // it has no other.
  if (host === '0.0.0.0' || host === '::') {
    const all = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i !== undefined)
      .filter((i) => host === '::' || i.family === 'IPv4');
    const external = all.filter((i) => !i.internal).map((i) => i.address);
    return unique(external.length > 0 ? external : all.map((i) => i.address));
  }
  if (isIP(host) !== 0) return [host];
  // A host name: what it resolves to (nothing when it does not resolve: the server could not listen on it).
  const resolved = await lookup(host, { all: true }).catch(() => []);
  return unique(resolved.map((r) => r.address));
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
