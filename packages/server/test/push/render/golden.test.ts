import { describe, expect, it } from 'vitest';
import { VENDORS } from '../../../src/certificates/types.js';
import { render } from '../../../src/push/render/index.js';
import { certificate, RENDER_CASES } from '../../helpers/render-fixtures.js';

// Golden payloads: test/push/golden/<vendor>/<case>.json hold the reviewed render results. After an
// intended change, regenerate with `npx vitest run packages/server/test/push/render/golden.test.ts -u`
// and review the diff.
describe.each(VENDORS)('%s golden payloads', (vendor) => {
  const cases = Object.entries(RENDER_CASES).filter(([, c]) => !c.vendors || c.vendors.includes(vendor));
  it.each(cases)('%s', async (name, c) => {
    const result = render({
      message: c.message,
      certificate: certificate(vendor, c.certificate),
      badge: c.badge,
    });
    await expect(`${JSON.stringify(result, null, 2)}\n`).toMatchFileSnapshot(`golden/${vendor}/${name}.json`);
  });
});
