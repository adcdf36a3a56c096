// Deterministic device tokens: device i of a vendor gets prefix + i (zero-padded) + suffix, valid for the
// simulator's token format. The seeder builds the same strings in SQL, the simulator installs them, so a
// million devices need neither a million round trips nor a million tokens shipped between processes.
export const TOKEN_SHAPES = {
  apns: { prefix: 'be', width: 62, suffix: '' },
  fcm: { prefix: 'bench', width: 12, suffix: `:APA91b${'x'.repeat(90)}` },
  huawei: { prefix: 'IQAAAACy', width: 40, suffix: '' },
  honor: { prefix: 'AQAAAACy', width: 40, suffix: '' },
  xiaomi: { prefix: 'mi', width: 40, suffix: '' },
  oppo: { prefix: 'CN_', width: 32, suffix: '' },
  vivo: { prefix: '1', width: 22, suffix: '' },
  meizu: { prefix: 'RA5', width: 40, suffix: '' },
};

export function tokenFor(vendor, i) {
  const s = TOKEN_SHAPES[vendor];
  if (!s) throw new Error(`no deterministic tokens for ${vendor}`);
  return `${s.prefix}${String(i).padStart(s.width, '0')}${s.suffix}`;
}

/** User IDs of the seeded audience: u0000000, u0000001, ... */
export const userFor = (i) => `u${String(i).padStart(7, '0')}`;
