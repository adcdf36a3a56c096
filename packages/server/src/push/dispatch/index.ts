// Dispatch: leases push jobs, sends them through the channels, settles each batch in one commit with the
// record of its outcomes (dispatcher.ts, settlement.ts), and recovers the leases of nodes that died (nodes.ts).
export { Dispatcher, type DispatcherOptions } from './dispatcher.js';
export { loadNodeId, type NodeIdentity, NodeLiveness, type NodeLivenessOptions } from './nodes.js';
export { type SettledEvent, Settlement, type ThrottledPush } from './settlement.js';
export type * from './types.js';
