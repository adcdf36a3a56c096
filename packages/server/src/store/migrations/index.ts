// Every migration, by name. Names sort in the order they run. Number ranges per area keep parallel work
// from colliding: 0001-0009 foundation, 0010-0019 certificates, 0020-0029 gateway and messaging,
// 0030-0039 push engine, 0040-0049 signaling, 0050-0059 console.
import type { Migration } from 'kysely';
import * as m0001 from './0001_apps_accounts.js';
import * as m0010 from './0010_certificates.js';
import * as m0035 from './0035_push_outcomes.js';

export const migrations: Record<string, Migration> = {
  '0001_apps_accounts': m0001,
  '0010_certificates': m0010,
  '0035_push_outcomes': m0035,
};
