import { Alert, Code, Drawer, Group, Loader, Stack, Table, Text, Timeline, Title } from '@mantine/core';
import type { InstanceTrace, PushRecordRow, TraceStat } from '../dataTypes';
import { useSmallScreen } from '../layout/responsive';
import { useApi } from '../useApi';
import { vendorName } from '../vendors';
import { OutcomeBadge } from './OutcomeBadge';

const time = (seconds: number) => (seconds ? new Date(seconds * 1000).toLocaleString() : '');

/** The funnel of one push as Tencent's trace has it, in order. */
function funnel(trace: InstanceTrace): { label: string; stat: TraceStat }[] {
  const o = trace.OfflinePushStat;
  return [
    { label: 'Accepted', stat: trace.IMCommitStat.IMStat },
    { label: 'Sent to vendor', stat: o.OfflineStat },
    { label: 'Vendor answer', stat: o.ChannelStat },
    { label: 'Delivery receipt', stat: o.DeviceStat },
    { label: 'Click', stat: o.ClickStat },
  ];
}

const STATUS = ['not reached', 'passed', 'failed'] as const;
const COLOR = ['gray', 'teal', 'red'] as const;

export function TraceDrawer({
  sdkAppId,
  pushId,
  onClose,
}: {
  sdkAppId: string;
  pushId: string | undefined;
  onClose(): void;
}) {
  const small = useSmallScreen();
  return (
    <Drawer
      opened={pushId !== undefined}
      onClose={onClose}
      position="right"
      size={small ? '100%' : 'lg'}
      title="Push trace"
    >
      {pushId && <TraceBody sdkAppId={sdkAppId} pushId={pushId} />}
    </Drawer>
  );
}

function TraceBody({ sdkAppId, pushId }: { sdkAppId: string; pushId: string }) {
  const { data, error } = useApi<{ record: PushRecordRow; trace: InstanceTrace }>(
    `/apps/${sdkAppId}/push-records/${encodeURIComponent(pushId)}`,
  );
  if (error) return <Alert color="red">{error}</Alert>;
  if (!data) return <Loader />;
  const { record, trace } = data;
  const steps = funnel(trace);
  // The last step that was reached is where the push is now.
  const active = steps.reduce((last, s, i) => (s.stat.PushStatus !== 0 ? i : last), 0);
  return (
    <Stack data-testid="trace">
      <Group gap="xs">
        <Text fw={600}>{record.toUser}</Text>
        <Text c="dimmed">via {vendorName(record.vendor)}</Text>
        <OutcomeBadge outcome={record.outcome} code={record.code} />
      </Group>
      <Text size="sm">
        PushID <Code>{record.pushId}</Code>
      </Text>
      {record.msgKey && (
        <Text size="sm">
          Message key <Code>{record.msgKey}</Code>
        </Text>
      )}
      {record.taskId && (
        <Text size="sm">
          Task <Code>{record.taskId}</Code>
        </Text>
      )}
      <Text size="sm">
        Kind {record.kind}
        {record.fromUser ? `, from ${record.fromUser}` : ''}
        {record.instanceId ? `, device ${record.instanceId}` : ''}
        {trace.Token ? `, token ${trace.Token}` : ''}
        {trace.CertId ? `, certificate ${trace.CertId}` : ''}
      </Text>

      <Title order={4}>Funnel</Title>
      <Timeline active={active} bulletSize={18} lineWidth={2} aria-label="Trace funnel">
        {steps.map((s) => (
          <Timeline.Item
            key={s.label}
            title={s.label}
            color={COLOR[s.stat.PushStatus as 0 | 1 | 2] ?? 'gray'}
          >
            <Text size="sm" c="dimmed" data-testid={`trace-step-${s.label}`}>
              {STATUS[s.stat.PushStatus as 0 | 1 | 2] ?? s.stat.PushStatus}
              {s.stat.EventTime ? ` · ${time(s.stat.EventTime)}` : ''}
              {s.stat.PushStatus === 2 || (s.stat.ErrorInfo && s.stat.ErrorInfo !== 'OK')
                ? ` · ${s.stat.ErrorInfo}`
                : ''}
            </Text>
          </Timeline.Item>
        ))}
      </Timeline>

      <Title order={4}>Every stage</Title>
      <Table.ScrollContainer minWidth={420}>
        <Table withTableBorder aria-label="Trace stages">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Stage</Table.Th>
              <Table.Th>Time</Table.Th>
              <Table.Th>Attempt</Table.Th>
              <Table.Th>Code</Table.Th>
              <Table.Th>Latency</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {trace.Stages.map((s, i) => (
              // Stages have no ID; their order is what they are.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              <Table.Tr key={i}>
                <Table.Td>{s.Stage}</Table.Td>
                <Table.Td>{time(s.EventTime)}</Table.Td>
                <Table.Td>{s.Attempt ?? ''}</Table.Td>
                <Table.Td>{s.Code ?? ''}</Table.Td>
                <Table.Td>{s.LatencyMs !== undefined ? `${s.LatencyMs} ms` : ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
