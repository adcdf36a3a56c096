// Decides APNs' answer to one push, like the push-notification handler of Pushy's MockApnsServer:
// given the parsed request, what the connection is authenticated as and the fault drawn for it,
// return the status, headers and body Apple would send. Nothing here touches a socket or a stream
// (listener.ts reads requests and writes these answers), so the rules read top to bottom in
// Apple's order without the HTTP/2 plumbing; the first failing check is the reason answered.
import { randomUUID } from 'node:crypto';
import type { ApnsKey } from '../../core/credentials.js';
import type { FaultDecision } from '../../core/faults.js';
import type { NewPushRecord } from '../../core/records.js';
import type { SimContext } from '../../core/types.js';
import { APNS_REASON_STATUS, DEFAULT_REASON_FOR_STATUS } from '../apns.js';
import type { ApnsConnectionAuth, ApnsEnvironment } from './connection.js';
import type { ProviderTokens } from './provider-token.js';
import { toRecord } from './record.js';
import { Rejection } from './rejection.js';
import { type ApnsRequest, hasDuplicateHeaders, headerValue } from './request.js';
import { ALL_SUFFIXES, APNS_PUSH_TYPES, bundleOf, TOKEN_ONLY_PUSH_TYPES, TOPIC_SUFFIX } from './topics.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ApnsAnswer {
  /** HTTP/2 response headers, :status first, in the order they are sent. */
  headers: Record<string, string | number>;
  /** JSON error body; undefined for an accepted push, whose 200 has no body. */
  body?: string;
  /** The counter key: undefined when accepted ("ok"), else the reason answered. */
  reason?: string;
  /** The answer is an injected fault, not the outcome of the checks. */
  injected: boolean;
  /** Accepted: the push to store on the virtual phone. */
  record?: NewPushRecord;
  /** Accepted on token auth: the connection has proven itself, so it gets its full stream limit. */
  acceptedByToken?: boolean;
}

export interface ApnsAnswerInput {
  environment: ApnsEnvironment;
  auth: ApnsConnectionAuth;
  request: ApnsRequest;
  /** The fault drawn for this push (its latency and reset are the listener's business). */
  fault: FaultDecision | undefined;
}

/**
 * The answer to one push. Reads the simulator's devices and credentials; its only writes are the
 * auth bookkeeping Apple does too (the connection's team, the provider-token caches).
 */
export function decideAnswer(ctx: SimContext, tokens: ProviderTokens, input: ApnsAnswerInput): ApnsAnswer {
  const { request, fault } = input;
  const { headers } = request;
  const apnsId = typeof headers['apns-id'] === 'string' ? headers['apns-id'] : randomUUID();
  if (fault?.status) {
    const reason =
      fault.status.reason ?? DEFAULT_REASON_FOR_STATUS[fault.status.status] ?? 'InternalServerError';
    return {
      ...errorAnswer(fault.status.status, apnsId, reason, undefined, fault.status.retryAfter),
      injected: true,
    };
  }
  if (fault?.quotaExceeded) return { ...errorAnswer(429, apnsId, 'TooManyRequests'), injected: true };
  try {
    return accept(ctx, tokens, input, apnsId);
  } catch (e) {
    if (!(e instanceof Rejection)) throw e;
    return {
      ...errorAnswer(APNS_REASON_STATUS[e.reason] ?? 400, apnsId, e.reason, e.timestamp),
      injected: false,
    };
  }
}

/** An error answer: JSON `{reason}` (and `timestamp` for 410) with the push's apns-id. */
export function errorAnswer(
  status: number,
  apnsId: string,
  reason: string,
  timestamp?: number,
  retryAfter?: number,
): Omit<ApnsAnswer, 'injected'> {
  const headers: Record<string, string | number> = {
    ':status': status,
    'apns-id': apnsId,
    'content-type': 'application/json',
  };
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  // 410 carries the last time the token was known invalid, in epoch milliseconds
  // (docs/internals/apns.md#answers-and-outcomes).
  const body = JSON.stringify(timestamp !== undefined ? { reason, timestamp } : { reason });
  return { headers, body, reason };
}

/** Apple's checks in Apple's order; throws the Rejection of the first that fails. */
function accept(ctx: SimContext, tokens: ProviderTokens, input: ApnsAnswerInput, apnsId: string): ApnsAnswer {
  const { environment, auth } = input;
  const { headers, rawHeaders, body } = input.request;
  if (headers[':method'] !== 'POST') throw new Rejection('MethodNotAllowed');
  const path = headers[':path'] ?? '';
  if (!path.startsWith('/3/device/')) throw new Rejection('BadPath');
  const token = path.slice('/3/device/'.length);
  if (token === '') throw new Rejection('MissingDeviceToken');
  if (token.includes('/') || token.includes('?')) throw new Rejection('BadPath');
  if (rawHeaders && hasDuplicateHeaders(rawHeaders)) throw new Rejection('DuplicateHeaders');

  // Authentication: a client certificate decides everything; otherwise the provider token.
  let key: ApnsKey | undefined;
  let certTopics: string[] | undefined;
  if (auth.cert) {
    if ('bad' in auth.cert) throw new Rejection(auth.cert.bad);
    certTopics = auth.cert.topics;
  } else {
    key = tokens.verify(headers.authorization, auth);
  }

  const pushType = headerValue(headers['apns-push-type']) ?? 'alert';
  if (!APNS_PUSH_TYPES.has(pushType)) throw new Rejection('InvalidPushType');
  const idHeader = headers['apns-id'];
  if (idHeader !== undefined && !UUID_RE.test(String(idHeader))) throw new Rejection('BadMessageId');
  const expiration = headerValue(headers['apns-expiration']);
  if (expiration !== undefined && !/^\d+$/.test(expiration)) throw new Rejection('BadExpirationDate');
  const priorityHeader = headerValue(headers['apns-priority']);
  if (
    priorityHeader !== undefined &&
    priorityHeader !== '10' &&
    priorityHeader !== '5' &&
    priorityHeader !== '1'
  ) {
    throw new Rejection('BadPriority');
  }
  const priority = priorityHeader ?? '10';
  if (pushType === 'background' && priority === '10') throw new Rejection('BadPriority');
  const collapseId = headerValue(headers['apns-collapse-id']);
  if (collapseId !== undefined && Buffer.byteLength(collapseId) > 64) throw new Rejection('BadCollapseId');

  let topic = headerValue(headers['apns-topic']);
  if (topic === undefined || topic === '') {
    // A single-topic certificate implies its topic; token auth and multi-topic certificates need the header.
    if (certTopics && certTopics.length === 1) topic = certTopics[0] as string;
    else throw new Rejection('MissingTopic');
  }
  const suffix = TOPIC_SUFFIX[pushType];
  if (pushType !== 'mdm') {
    // [U] a topic whose suffix does not match the push type is answered BadTopic.
    if (suffix ? !topic.endsWith(suffix) : ALL_SUFFIXES.some((s) => topic.endsWith(s) && s !== '.voip')) {
      throw new Rejection('BadTopic');
    }
  }
  const bundleId = bundleOf(topic);
  if (key) {
    if (!key.topics.has(bundleId)) throw new Rejection('InvalidProviderToken');
  } else if (certTopics) {
    if (TOKEN_ONLY_PUSH_TYPES.has(pushType)) throw new Rejection('TopicDisallowed'); // [U] exact reason
    if (!certTopics.includes(topic)) throw new Rejection('BadTopic');
  }

  const device = ctx.devices.get('apns', token);
  if (!device || device.environment !== environment) throw new Rejection('BadDeviceToken');
  if (device.app !== bundleId) throw new Rejection('DeviceTokenNotForTopic');
  // PushKit tokens take VoIP-family topics only, and vice versa. [U] exact reason
  const voipTopic = topic.endsWith('.voip') || topic.endsWith('.voip-ptt');
  if (Boolean(device.voip) !== voipTopic) throw new Rejection('DeviceTokenNotForTopic');
  if (!device.installed) throw new Rejection('Unregistered', device.uninstalledAt ?? Date.now());

  if (body.length === 0) throw new Rejection('PayloadEmpty');
  if (body.length > (pushType === 'voip' ? 5120 : 4096)) throw new Rejection('PayloadTooLarge');

  const headersOut: Record<string, string> = { ':status': '200', 'apns-id': apnsId };
  if (environment === 'development') headersOut['apns-unique-id'] = randomUUID();
  return {
    headers: headersOut,
    injected: false,
    acceptedByToken: key !== undefined,
    record: toRecord(token, bundleId, environment, pushType, priority, collapseId, apnsId, headers, body),
  };
}
