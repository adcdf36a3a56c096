// Library entry of the `pushline` package: embed the server or reuse its pieces in tests.
export { AccountsService } from './apps/accounts.js';
export { type App, AppsService, type AppWithSecret } from './apps/apps.js';
export { loadMasterKey, SecretBox } from './auth/secret-box.js';
export { decodeUserSig, genUserSig, UserSigError, verifyUserSig } from './auth/usersig.js';
export { CONFIG_KEYS, loadConfig, type PushlineConfig } from './config.js';
export { DEMO_SDKAPPID, ensureDemoApp } from './sandbox/demo.js';
export type { CreateOptions } from './server.js';
export { createPushline, type Pushline } from './server.js';
