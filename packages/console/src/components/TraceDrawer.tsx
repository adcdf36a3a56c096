import { Alert, Code, Drawer, Group, Loader, Stack, Table, Text, Timeline, Title } from '@mantine/core';
import type { InstanceTrace, PushRecordRow, TraceStat } from '@pushline/contracts';
import { useTranslation } from 'react-i18next';
import { useExplainAnswer } from '../answers';
import { useFormat } from '../i18n/format';
import { useSmallScreen } from '../layout/responsive';
import { skipActionText, skipReasonText } from '../messageText';
import { useApi } from '../useApi';
import { vendorName } from '../vendors';
import { CopyValue } from './CopyValue';
import { OutcomeBadge } from './OutcomeBadge';

/** The funnel of one push as Tencent's trace has it, in order. */
// `id` names the step in test IDs; `label` is its translation key.
function funnel(trace: InstanceTrace): { id: string; label: string; stat: TraceStat }[] {
  const o = trace.OfflinePushStat;
  return [
    { id: 'Accepted', label: 'trace.accepted', stat: trace.IMCommitStat.IMStat },
    { id: 'Sent to vendor', label: 'trace.sentToVendor', stat: o.OfflineStat },
    { id: 'Vendor answer', label: 'trace.vendorAnswer', stat: o.ChannelStat },
    { id: 'Delivery receipt', label: 'trace.receipt', stat: o.DeviceStat },
    { id: 'Click', label: 'trace.click', stat: o.ClickStat },
  ];
}

const STATUS = ['trace.notReached', 'trace.passed', 'trace.failed'] as const;
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
  const { t } = useTranslation();
  const small = useSmallScreen();
  return (
    <Drawer
      opened={pushId !== undefined}
      onClose={onClose}
      position="right"
      size={small ? '100%' : 'lg'}
      title={t('trace.title')}
    >
      {pushId && <TraceBody sdkAppId={sdkAppId} pushId={pushId} />}
    </Drawer>
  );
}

function TraceBody({ sdkAppId, pushId }: { sdkAppId: string; pushId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const explain = useExplainAnswer();
  const { data, error } = useApi<{ record: PushRecordRow; trace: InstanceTrace }>(
    `/apps/${sdkAppId}/push-records/${encodeURIComponent(pushId)}`,
  );
  if (error) return <Alert color="red">{error}</Alert>;
  if (!data) return <Loader />;
  const { record, trace } = data;
  const steps = funnel(trace);
  const answer = explain(record.vendor, record.code, record.outcome);
  // The server's ErrorInfo of a skip is English: the console writes the reason in its own language.
  const skipped = record.outcome === 'skipped' && record.code !== null;
  // The last step that was reached is where the push is now.
  const active = steps.reduce((last, s, i) => (s.stat.PushStatus !== 0 ? i : last), 0);
  return (
    <Stack data-testid="trace">
      <Group gap="xs">
        <Text fw={600}>{record.toUser}</Text>
        <Text c="dimmed">{t('trace.via', { vendor: vendorName(record.vendor) })}</Text>
        <OutcomeBadge outcome={record.outcome} code={record.code} />
      </Group>
      <Text size="sm">
        PushID{' '}
        <CopyValue value={record.pushId} label="PushID">
          <Code>{record.pushId}</Code>
        </CopyValue>
      </Text>
      {record.msgKey && (
        <Text size="sm">
          {t('trace.msgKey')} <Code>{record.msgKey}</Code>
        </Text>
      )}
      {record.taskId && (
        <Text size="sm">
          {t('trace.task')} <Code>{record.taskId}</Code>
        </Text>
      )}
      <Text size="sm">
        {[
          t('trace.kind', { kind: record.kind }),
          record.fromUser && t('trace.from', { user: record.fromUser }),
          record.instanceId && t('trace.device', { instanceId: record.instanceId }),
          trace.Token && t('trace.token', { token: trace.Token }),
          trace.CertId && t('trace.certificate', { id: trace.CertId }),
        ]
          .filter(Boolean)
          .join(t('trace.separator'))}
      </Text>

      {answer && (
        <Alert
          color={record.outcome === 'retrying' ? 'yellow' : 'red'}
          title={t('answers.vendorAnswered', { vendor: vendorName(record.vendor), code: record.code })}
          data-testid="trace-answer"
        >
          <Text size="sm">
            <Text span fw={600}>
              {t('answers.meaning')}
            </Text>{' '}
            {answer.meaning}
          </Text>
          <Text size="sm">
            <Text span fw={600}>
              {t('answers.action')}
            </Text>{' '}
            {answer.action}
          </Text>
        </Alert>
      )}

      {record.outcome === 'skipped' && record.code && (
        <Alert color="gray" title={t('records.notPushed', { code: record.code })} data-testid="trace-skip">
          <Text size="sm">
            <Text span fw={600}>
              {t('answers.meaning')}
            </Text>{' '}
            {skipReasonText(t, record.code)}
          </Text>
          {skipActionText(t, record.code) && (
            <Text size="sm">
              <Text span fw={600}>
                {t('answers.action')}
              </Text>{' '}
              {skipActionText(t, record.code)}
            </Text>
          )}
        </Alert>
      )}

      <Title order={4}>{t('trace.funnel')}</Title>
      <Timeline active={active} bulletSize={18} lineWidth={2} aria-label={t('trace.funnelLabel')}>
        {steps.map((s) => (
          <Timeline.Item
            key={s.id}
            title={t(s.label)}
            color={COLOR[s.stat.PushStatus as 0 | 1 | 2] ?? 'gray'}
          >
            <Text size="sm" c="dimmed" data-testid={`trace-step-${s.id}`}>
              {t(STATUS[s.stat.PushStatus as 0 | 1 | 2] ?? String(s.stat.PushStatus))}
              {s.stat.EventTime ? ` · ${fmt.dateTime(s.stat.EventTime * 1000)}` : ''}
              {s.stat.PushStatus === 2 || (s.stat.ErrorInfo && s.stat.ErrorInfo !== 'OK')
                ? ` · ${skipped ? skipReasonText(t, record.code ?? '') : s.stat.ErrorInfo}`
                : ''}
              {s.id === 'Vendor answer' && s.stat.PushStatus === 2 && answer ? ` · ${answer.meaning}` : ''}
            </Text>
          </Timeline.Item>
        ))}
      </Timeline>

      <Title order={4}>{t('trace.stages')}</Title>
      <Table.ScrollContainer minWidth={420}>
        <Table withTableBorder aria-label={t('trace.stagesTable')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('trace.stage')}</Table.Th>
              <Table.Th>{t('common.time')}</Table.Th>
              <Table.Th>{t('trace.attempt')}</Table.Th>
              <Table.Th>{t('trace.code')}</Table.Th>
              <Table.Th>{t('trace.latency')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {trace.Stages.map((s, i) => (
              // Stages have no ID; their order is what they are.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              <Table.Tr key={i}>
                <Table.Td>{s.Stage}</Table.Td>
                <Table.Td>{s.EventTime ? fmt.dateTime(s.EventTime * 1000) : ''}</Table.Td>
                <Table.Td>{s.Attempt ?? ''}</Table.Td>
                <Table.Td>{s.Code ?? ''}</Table.Td>
                <Table.Td>
                  {s.LatencyMs !== undefined ? t('trace.ms', { ms: fmt.number(s.LatencyMs) }) : ''}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
