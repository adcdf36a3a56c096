// A stored push trace in the Tencent `InstanceTrace` shape
// (docs/internals/tencent-im.md#push-statistics-and-traces): the four-stage funnel IM commit -> channel ->
// device reach -> click, plus Pushline's full stage list.
import type { Kysely } from 'kysely';
import type { Database, PushTraceEventsTable, PushTracesTable } from '../../store/schema.js';
import { explainSkipReason } from '../decide/skip-reasons.js';
import { lossCode } from './loss.js';
import { pushPlatform, systemOf } from './platforms.js';
import { ANSWER_STAGES } from './rows.js';
import { PushErrCode, type PushErrKind } from './webhook-events.js';

/** PushStatus of a stage: 0 not reached (yet), 1 passed, 2 failed. */
export const StageStatus = { NotReached: 0, Passed: 1, Failed: 2 } as const;

interface Stat {
  PushStatus: number;
  ErrorCode: number;
  ErrorInfo: string;
  EventTime: number;
}

type EventRow = Pick<
  PushTraceEventsTable,
  'stage' | 'at' | 'attempt' | 'code' | 'info' | 'vendor_msg_id' | 'latency_ms'
>;

const NOT_REACHED: Stat = { PushStatus: StageStatus.NotReached, ErrorCode: 0, ErrorInfo: '', EventTime: 0 };

const seconds = (ms: number) => Math.floor(ms / 1000);
const passed = (at: number): Stat => ({
  PushStatus: 1,
  ErrorCode: 0,
  ErrorInfo: 'OK',
  EventTime: seconds(at),
});
const failed = (kind: PushErrKind, info: string, at: number): Stat => ({
  PushStatus: StageStatus.Failed,
  ErrorCode: PushErrCode[kind],
  ErrorInfo: info,
  EventTime: seconds(at),
});

/** Traces of pushes, in the order given; PushIDs of other apps are not found. */
export async function loadInstanceTraces(
  db: Kysely<Database>,
  sdkAppId: number,
  where: { pushId: string } | { taskId: string; userId: string },
): Promise<Record<string, unknown>[]> {
  let query = db.selectFrom('push_traces').selectAll().where('sdkappid', '=', sdkAppId);
  query =
    'pushId' in where
      ? query.where('push_id', '=', where.pushId)
      : query.where('task_id', '=', where.taskId).where('to_user', '=', where.userId);
  const traces = await query.orderBy('created_at').limit(100).execute();
  if (!traces.length) return [];
  const events = await db
    .selectFrom('push_trace_events')
    .select(['push_id', 'stage', 'at', 'attempt', 'code', 'info', 'vendor_msg_id', 'latency_ms'])
    .where(
      'push_id',
      'in',
      traces.map((t) => t.push_id),
    )
    .orderBy('id')
    .execute();
  return traces.map((t) =>
    instanceTrace(
      t,
      events.filter((e) => e.push_id === t.push_id),
    ),
  );
}

export function instanceTrace(t: PushTracesTable, events: EventRow[]): Record<string, unknown> {
  const answers = events.filter((e) => ANSWER_STAGES.has(e.stage));
  const finalAnswer = answers.filter((e) => e.stage !== 'retry').at(-1);
  const lastAnswer = answers.at(-1);
  const receipt = events.filter((e) => e.stage === 'delivered' || e.stage === 'undelivered').at(-1);
  const click = events.find((e) => e.stage === 'clicked');
  const held = events.filter((e) => e.stage === 'held').at(-1);
  let imStat: Stat;
  if (t.skip_reason !== null) {
    const loss = lossCode(t.skip_reason);
    imStat = {
      PushStatus: StageStatus.Failed,
      ErrorCode: loss.code === '-1' || loss.code === '-2' ? Number(loss.code) : -3,
      ErrorInfo: `${t.skip_reason}: ${explainSkipReason(t.skip_reason)}`,
      EventTime: seconds(t.created_at),
    };
  } else imStat = passed(t.created_at);

  let channelStat = NOT_REACHED;
  if (finalAnswer?.stage === 'sent') channelStat = passed(finalAnswer.at);
  else if (finalAnswer)
    channelStat = failed(finalAnswer.stage as PushErrKind, finalAnswer.code ?? '', finalAnswer.at);
  else if (held && (!lastAnswer || events.indexOf(lastAnswer) < events.indexOf(held)))
    channelStat = {
      ...NOT_REACHED,
      ErrorInfo: 'held: its certificate is paused; it goes when the certificate is resumed',
      EventTime: seconds(held.at),
    };
  else if (lastAnswer)
    channelStat = {
      ...NOT_REACHED,
      ErrorInfo: `retrying: ${lastAnswer.code ?? ''}`,
      EventTime: seconds(lastAnswer.at),
    };

  let deviceStat = NOT_REACHED;
  if (receipt?.stage === 'delivered') deviceStat = passed(receipt.at);
  else if (receipt) deviceStat = failed('undelivered', receipt.code ?? '', receipt.at);

  return {
    InstanceId: t.instance_id ?? '',
    PushID: t.push_id,
    ...(t.task_id !== null ? { EventType: 1, TaskID: t.task_id } : {}),
    PushTime: seconds(t.created_at),
    DeviceModel: '',
    System: systemOf(t.vendor),
    SystemVersion: '',
    PushPlatform: pushPlatform(t.vendor),
    Token: t.token_suffix ? `…${t.token_suffix}` : '',
    CertId: t.certificate_id ?? 0,
    SdkVersion: '',
    PushVersion: '',
    IMCommitStat: { IMStat: imStat },
    OfflinePushStat: {
      OfflineStat: answers[0] ? passed(answers[0].at - (answers[0].latency_ms ?? 0)) : NOT_REACHED,
      ChannelStat: channelStat,
      DeviceStat: deviceStat,
      ClickStat: click ? passed(click.at) : NOT_REACHED,
    },
    // Pushline: every recorded stage, oldest first; the first is the trace row itself.
    Stages: [
      {
        Stage: t.skip_reason === null ? 'accepted' : 'skipped',
        EventTime: seconds(t.created_at),
        ...(t.skip_reason !== null ? { Code: t.skip_reason } : {}),
      },
      ...events.map((e) => ({
        Stage: e.stage,
        EventTime: seconds(e.at),
        ...(e.attempt !== null ? { Attempt: e.attempt } : {}),
        ...(e.code !== null ? { Code: e.code } : {}),
        ...(e.latency_ms !== null ? { LatencyMs: e.latency_ms } : {}),
        ...((e.vendor_msg_id ?? e.info) !== null ? { VendorMsgId: e.vendor_msg_id ?? e.info } : {}),
      })),
    ],
  };
}
