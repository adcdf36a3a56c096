import { BarChart } from '@mantine/charts';
import {
  Alert,
  Anchor,
  Button,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import type { Funnel, StatisticsReport } from '@pushline/contracts';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useExplainAnswer } from '../answers';
import { AppPageHeader } from '../components/AppPageHeader';
import {
  localInputValue,
  resolveRange,
  TimeRangePicker,
  type TimeRangeValue,
} from '../components/TimeRangePicker';
import { useFormat } from '../i18n/format';
import { useSmallScreen } from '../layout/responsive';
import { useApi } from '../useApi';
import { VENDOR_COLORS, vendorName } from '../vendors';

const HOUR = 3_600_000;
const RANGES: Record<string, number> = { '24h': 24 * HOUR, '7d': 7 * 24 * HOUR, '30d': 30 * 24 * HOUR };

/** `id` names the figure in test IDs; `label` is its translation key. */
function Figure({ id, label, value, color }: { id: string; label: string; value: number; color?: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Paper withBorder p="md" data-testid={`figure-${id}`}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {t(label)}
      </Text>
      <Text size="xl" fw={700} c={color}>
        {fmt.number(value)}
      </Text>
    </Paper>
  );
}

function ChartCard({
  title,
  testId,
  children,
}: {
  title: string;
  testId: string;
  children: React.ReactNode;
}) {
  return (
    <Paper withBorder p="md" data-testid={testId}>
      <Title order={4} mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

const funnelBars = (f: Funnel, t: TFunction) => [
  { stage: t('statistics.total'), pushes: f.total },
  { stage: t('statistics.sent'), pushes: f.sent },
  { stage: t('statistics.delivered'), pushes: f.delivered },
  { stage: t('statistics.clicked'), pushes: f.clicked },
];

/** Failed pushes by vendor, outcome and vendor code, most frequent first. */
function failureBars(report: StatisticsReport, t: TFunction) {
  return report.vendors
    .flatMap((v) =>
      v.failures.map((f) => ({
        reason: `${vendorName(v.vendor)} ${f.code} (${t(`outcome.${f.outcome}`)})`,
        count: f.count,
      })),
    )
    .sort((a, b) => b.count - a.count)
    .slice(0, 10);
}

const hasFigures = (f: Funnel) => f.total + f.sent + f.delivered + f.clicked + f.failed > 0;

/** Per-vendor charts, the delivery funnel and per-task figures over a chosen time range. */
export function StatisticsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { sdkAppId = '' } = useParams();
  const [range, setRange] = useState('24h');
  // The window ends when the range is picked or Refresh is pressed.
  const [now, setNow] = useState(() => Date.now());
  // A custom range: start and end in local time (TimeRangePicker).
  const [custom, setCustom] = useState<TimeRangeValue>({ preset: 'custom' });
  const span = resolveRange(range === 'custom' ? custom : { preset: range }, RANGES, now);
  const from = span.from ?? now - RANGES['24h']!;
  const to = span.to ?? now;
  const { data, error, loading } = useApi<StatisticsReport>(
    `/apps/${sdkAppId}/statistics?from=${from}&to=${to}`,
  );
  const long = to - from > 2 * 24 * HOUR;
  const hourLabel = (ms: number) => fmt.hour(ms, long);

  return (
    <Stack>
      <AppPageHeader sdkAppId={sdkAppId} title={t('nav.statistics')}>
        <Group gap="sm">
          <Button variant="default" onClick={() => setNow(Date.now())}>
            {t('common.refresh')}
          </Button>
          <Button
            variant="default"
            component="a"
            href={`/api/console/apps/${encodeURIComponent(sdkAppId)}/statistics.csv?from=${from}&to=${to}`}
            download
            data-testid="statistics-csv"
          >
            {t('polish.exportCsv')}
          </Button>
          <SegmentedControl
            aria-label={t('statistics.range')}
            value={range}
            onChange={(v) => {
              if (v === 'custom' && !custom.from) {
                const end = Date.now();
                setCustom({
                  preset: 'custom',
                  from: localInputValue(end - 24 * HOUR),
                  to: localInputValue(end),
                });
              }
              setRange(v);
              setNow(Date.now());
            }}
            data={[
              { value: '24h', label: t('common.last24h') },
              { value: '7d', label: t('common.last7d') },
              { value: '30d', label: t('statistics.last30d') },
              { value: 'custom', label: t('polish.customRange') },
            ]}
          />
        </Group>
      </AppPageHeader>
      {range === 'custom' && (
        <TimeRangePicker
          value={custom}
          onChange={(v) => setCustom({ ...v, preset: 'custom' })}
          presets={[]}
          hidePreset
          error={span.error ? t(`polish.rangeError.${span.error}`) : undefined}
        />
      )}
      <Text c="dimmed" size="sm">
        {t('statistics.intro')}
      </Text>
      {error && <Alert color="red">{error}</Alert>}
      {loading && !data && <Loader />}
      {data && (
        <>
          <SimpleGrid cols={{ base: 2, md: 5 }}>
            <Figure id="Total" label="statistics.total" value={data.funnel.total} />
            <Figure id="Sent" label="statistics.sent" value={data.funnel.sent} color="blue" />
            <Figure id="Delivered" label="statistics.delivered" value={data.funnel.delivered} color="teal" />
            <Figure id="Clicked" label="statistics.clicked" value={data.funnel.clicked} color="green" />
            <Figure id="Failed" label="statistics.failed" value={data.funnel.failed} color="red" />
          </SimpleGrid>
          {data.funnel.total === 0 && (
            <Alert color="gray">
              <Trans i18nKey="statistics.empty" components={{ code: <code /> }} />
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <ChartCard title={t('trace.funnel')} testId="chart-funnel">
              <BarChart
                h={240}
                orientation="vertical"
                data={funnelBars(data.funnel, t)}
                dataKey="stage"
                yAxisProps={{ width: 80 }}
                xAxisProps={{ allowDecimals: false }}
                withBarValueLabel
                series={[{ name: 'pushes', label: t('statistics.pushes'), color: 'indigo.6' }]}
              />
            </ChartCard>
            <ChartCard title={t('statistics.perVendor')} testId="chart-vendors">
              <BarChart
                h={240}
                data={data.vendors.filter(hasFigures).map((v) => ({ ...v, vendor: vendorName(v.vendor) }))}
                dataKey="vendor"
                xAxisProps={{ interval: 0 }}
                yAxisProps={{ allowDecimals: false }}
                withLegend
                series={[
                  { name: 'sent', label: t('statistics.sent'), color: 'blue.5' },
                  { name: 'delivered', label: t('statistics.delivered'), color: 'teal.5' },
                  { name: 'clicked', label: t('statistics.clicked'), color: 'green.5' },
                  { name: 'failed', label: t('statistics.failed'), color: 'red.5' },
                ]}
              />
            </ChartCard>
          </SimpleGrid>
          <ChartCard title={t('statistics.perHour')} testId="chart-hours">
            <BarChart
              h={260}
              type="stacked"
              xAxisProps={{ minTickGap: 16 }}
              yAxisProps={{ allowDecimals: false }}
              withLegend
              data={data.hours.map((h) => ({ hour: hourLabel(h.hour), ...h.sentByVendor }))}
              dataKey="hour"
              series={data.vendors
                .filter((v) => v.sent > 0)
                .map((v) => ({
                  name: v.vendor,
                  label: vendorName(v.vendor),
                  color: VENDOR_COLORS[v.vendor] ?? 'gray.5',
                }))}
            />
          </ChartCard>
          <ChartCard title={t('statistics.failures')} testId="failures">
            {data.vendors.every((v) => v.failures.length === 0) ? (
              <Text c="dimmed">{t('statistics.noFailures')}</Text>
            ) : (
              <>
                <BarChart
                  h={200}
                  orientation="vertical"
                  data={failureBars(data, t)}
                  dataKey="reason"
                  yAxisProps={{ width: 220 }}
                  xAxisProps={{ allowDecimals: false }}
                  series={[{ name: 'count', label: t('statistics.failedPushes'), color: 'red.6' }]}
                />
                <FailureList data={data} />
              </>
            )}
          </ChartCard>
          <ChartCard title={t('statistics.tasks')} testId="task-figures">
            {data.tasks.length === 0 ? (
              <Text c="dimmed">{t('statistics.noTasks')}</Text>
            ) : (
              <TaskFigures sdkAppId={sdkAppId} tasks={data.tasks} />
            )}
          </ChartCard>
          <Group gap="xs">
            <Text size="xs" c="dimmed">
              {fmt.dateTime(data.from)} – {fmt.dateTime(data.to)}
            </Text>
          </Group>
        </>
      )}
    </Stack>
  );
}

/** Each vendor's failures by code, explained (vendor answers table); cards on phones, a table elsewhere. */
function FailureList({ data }: { data: StatisticsReport }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const explain = useExplainAnswer();
  const small = useSmallScreen();
  const rows = data.vendors.flatMap((v) =>
    v.failures.map((f) => {
      // Receipt codes (undelivered) are not vendor answers: the loss stage says what happened.
      const answer = explain(v.vendor, f.code, f.outcome);
      return {
        key: `${v.vendor}:${f.code}`,
        vendor: vendorName(v.vendor),
        outcome: t(`outcome.${f.outcome}`),
        code: f.code,
        count: fmt.number(f.count),
        meaning: answer?.meaning ?? t(`lossInfo.${f.outcome}`, { defaultValue: f.info }),
        action: answer?.action ?? '',
      };
    }),
  );
  if (small)
    return (
      <Stack gap="xs" role="list" aria-label={t('statistics.failuresTable')}>
        {rows.map((r) => (
          <Paper key={r.key} withBorder p="xs" role="listitem" data-testid="failure-row">
            <Group justify="space-between" wrap="nowrap">
              <Text size="sm" fw={600}>
                {r.vendor} ·{' '}
                <Text span ff="monospace">
                  {r.code}
                </Text>
              </Text>
              <Text size="sm" fw={700}>
                {r.count}
              </Text>
            </Group>
            <Text size="xs" c="dimmed">
              {r.outcome}
            </Text>
            <Text size="sm">{r.meaning}</Text>
            {r.action && (
              <Text size="xs" c="dimmed">
                {t('answers.action')} {r.action}
              </Text>
            )}
          </Paper>
        ))}
      </Stack>
    );
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table aria-label={t('statistics.failuresTable')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('certificates.vendor')}</Table.Th>
            <Table.Th>{t('records.outcome')}</Table.Th>
            <Table.Th>{t('statistics.vendorCode')}</Table.Th>
            <Table.Th>{t('statistics.count')}</Table.Th>
            <Table.Th>{t('statistics.meaning')}</Table.Th>
            <Table.Th>{t('answers.actionColumn')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.key} data-testid="failure-row">
              <Table.Td>{r.vendor}</Table.Td>
              <Table.Td>{r.outcome}</Table.Td>
              <Table.Td ff="monospace">{r.code}</Table.Td>
              <Table.Td>{r.count}</Table.Td>
              <Table.Td>{r.meaning}</Table.Td>
              <Table.Td>{r.action}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Per-task figures of all-member and list pushes; cards on phones, a table elsewhere. */
function TaskFigures({ sdkAppId, tasks }: { sdkAppId: string; tasks: StatisticsReport['tasks'] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const small = useSmallScreen();
  const figures = (task: StatisticsReport['tasks'][number]) =>
    [
      ['statistics.total', task.total],
      ['statistics.sent', task.sent],
      ['statistics.delivered', task.delivered],
      ['statistics.clicked', task.clicked],
      ['statistics.failed', task.failed],
    ] as const;
  const link = (taskId: string) => (
    <Anchor component={Link} to={`/apps/${sdkAppId}/records?search=${encodeURIComponent(taskId)}`}>
      {taskId}
    </Anchor>
  );
  if (small)
    return (
      <Stack gap="xs" role="list" aria-label={t('statistics.tasksTable')}>
        {tasks.map((task) => (
          <Paper key={task.taskId} withBorder p="xs" role="listitem" data-testid="task-figure">
            <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
              {link(task.taskId)} · {task.kind}
            </Text>
            <SimpleGrid cols={3} spacing={4} verticalSpacing={2}>
              {figures(task).map(([label, value]) => (
                <Text key={label} size="sm">
                  {t(label)}: {fmt.number(value)}
                </Text>
              ))}
            </SimpleGrid>
          </Paper>
        ))}
      </Stack>
    );
  return (
    <Table.ScrollContainer minWidth={620}>
      <Table aria-label={t('statistics.tasksTable')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('trace.task')}</Table.Th>
            <Table.Th>{t('records.kind')}</Table.Th>
            {tasks[0] && figures(tasks[0]).map(([label]) => <Table.Th key={label}>{t(label)}</Table.Th>)}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tasks.map((task) => (
            <Table.Tr key={task.taskId} data-testid="task-figure">
              <Table.Td ff="monospace" fz="xs">
                {link(task.taskId)}
              </Table.Td>
              <Table.Td>{task.kind}</Table.Td>
              {figures(task).map(([label, value]) => (
                <Table.Td key={label}>{fmt.number(value)}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
