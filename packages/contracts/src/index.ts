// @pushline/contracts: the one definition of each shape the server, the console, the SDK and the
// simulators share (README.md). Types and small constant tables only: no runtime dependencies.
export * from './apns.js';
export * from './console.js';
export * from './console-data.js';
export * from './protocol.js';
export * from './signaling.js';
export * from './troubleshoot-texts.js';
export * from './vendors.js';
