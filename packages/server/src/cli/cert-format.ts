// How `pushline cert` prints certificates: one line per certificate for `list`, a block for `show`.
import type { CertificateInfo } from '../certificates/types.js';

function expiryText(c: CertificateInfo): string {
  if (c.expiresAt === null) return 'no expiry';
  const date = new Date(c.expiresAt).toISOString().slice(0, 10);
  if (c.expiresAt <= Date.now()) return `EXPIRED ${date}`;
  return c.expiringSoon ? `expires ${date} (EXPIRING SOON: renew it)` : `expires ${date}`;
}

/** `verified <date>` once a vendor accepted a push of the current credential, else `untested`. */
function verificationText(c: CertificateInfo): string {
  return c.verifiedAt === null ? 'untested' : `verified ${new Date(c.verifiedAt).toISOString().slice(0, 10)}`;
}

export function describe(c: CertificateInfo): string {
  const env = c.environment ? ` ${c.environment}` : '';
  return `${c.vendor}${c.kind === 'voip' ? ' voip' : ''}${env} certificate ${c.id} for ${c.appIdentifier} (${c.name})`;
}

export function listLine(c: CertificateInfo): string {
  const kind = c.vendor + (c.kind === 'voip' ? '/voip' : '') + (c.environment ? `/${c.environment}` : '');
  const status =
    c.status === 'paused'
      ? `paused${c.pausedMode === 'discard' ? ', discarding' : ''} (${c.pausedReason ?? ''})`
      : 'active';
  return [c.id, kind, c.appIdentifier, status, verificationText(c), expiryText(c), c.name].join('\t');
}

export function showText(c: CertificateInfo): string {
  const lines = [
    `ID (businessID): ${c.id}`,
    `app:             ${c.sdkAppId}`,
    `vendor:          ${c.vendor}${c.kind === 'voip' ? ' (VoIP)' : ''}`,
    ...(c.environment ? [`environment:     ${c.environment}`] : []),
    `name:            ${c.name}`,
    `identifier:      ${c.appIdentifier}`,
    `status:          ${c.status}${c.pausedReason ? ` (${c.pausedReason})` : ''}${
      c.pausedMode ? `; pushes ${c.pausedMode === 'discard' ? 'discarded' : 'held'} until resumed` : ''
    }`,
    `verification:    ${
      c.verifiedAt === null
        ? 'untested (no push accepted yet: run `pushline cert test`)'
        : `verified ${new Date(c.verifiedAt).toISOString()}`
    }`,
    `expiry:          ${expiryText(c)}`,
  ];
  for (const [k, v] of Object.entries(c.publicFields)) lines.push(`${`${k}:`.padEnd(17)}${v}`);
  for (const [k, v] of Object.entries(c.maskedSecrets)) lines.push(`${`${k}:`.padEnd(17)}${v}`);
  if (Object.keys(c.defaults).length > 0) lines.push(`defaults:        ${JSON.stringify(c.defaults)}`);
  return lines.join('\n');
}
