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
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { AppPageHeader } from '../components/AppPageHeader';
import type { Funnel, StatisticsReport } from '../dataTypes';
import { useApi } from '../useApi';
import { VENDOR_COLORS, vendorName } from '../vendors';

const HOUR = 3_600_000;
const RANGES: Record<string, number> = { '24h': 24 * HOUR, '7d': 7 * 24 * HOUR, '30d': 30 * 24 * HOUR };

function Figure({ label, value, color }: { label: string; value: number; color?: string }) {
  return (
    <Paper withBorder p="md" data-testid={`figure-${label}`}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="xl" fw={700} c={color}>
        {value.toLocaleString()}
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

const funnelBars = (f: Funnel) => [
  { stage: 'Total', pushes: f.total },
  { stage: 'Sent', pushes: f.sent },
  { stage: 'Delivered', pushes: f.delivered },
  { stage: 'Clicked', pushes: f.clicked },
];

/** Failed pushes by vendor, outcome and vendor code, most frequent first. */
function failureBars(report: StatisticsReport) {
  return report.vendors
    .flatMap((v) =>
      v.failures.map((f) => ({ reason: `${vendorName(v.vendor)} ${f.outcome} ${f.code}`, count: f.count })),
    )
    .sort((a, b) => b.count - a.count)
    .slice(0, 10);
}

const hasFigures = (f: Funnel) => f.total + f.sent + f.delivered + f.clicked + f.failed > 0;

/** Per-vendor charts, the delivery funnel and per-task figures over a chosen time range. */
export function StatisticsPage() {
  const { sdkAppId = '' } = useParams();
  const [range, setRange] = useState('24h');
  // The window ends when the range is picked or Refresh is pressed.
  const [to, setTo] = useState(() => Date.now());
  const from = to - (RANGES[range] ?? RANGES['24h']!);
  const { data, error, loading } = useApi<StatisticsReport>(
    `/apps/${sdkAppId}/statistics?from=${from}&to=${to}`,
  );
  const long = (RANGES[range] ?? 0) > 2 * 24 * HOUR;
  const hourLabel = (ms: number) =>
    new Date(ms).toLocaleString(
      undefined,
      long ? { month: 'short', day: 'numeric', hour: '2-digit' } : { hour: '2-digit', minute: '2-digit' },
    );

  return (
    <Stack>
      <AppPageHeader sdkAppId={sdkAppId} title="Statistics">
        <Group gap="sm">
          <Button variant="default" onClick={() => setTo(Date.now())}>
            Refresh
          </Button>
          <SegmentedControl
            aria-label="Time range"
            value={range}
            onChange={(v) => {
              setRange(v);
              setTo(Date.now());
            }}
            data={[
              { value: '24h', label: 'Last 24 hours' },
              { value: '7d', label: 'Last 7 days' },
              { value: '30d', label: 'Last 30 days' },
            ]}
          />
        </Group>
      </AppPageHeader>
      <Text c="dimmed" size="sm">
        Total counts pushes Pushline decided to send (and ones it could not, such as a device without a
        token); sent counts the vendors' acceptances, delivered their delivery receipts, clicked the taps the
        SDK reported. Counters are hourly and kept 90 days by default.
      </Text>
      {error && <Alert color="red">{error}</Alert>}
      {loading && !data && <Loader />}
      {data && (
        <>
          <SimpleGrid cols={{ base: 2, md: 5 }}>
            <Figure label="Total" value={data.funnel.total} />
            <Figure label="Sent" value={data.funnel.sent} color="blue" />
            <Figure label="Delivered" value={data.funnel.delivered} color="teal" />
            <Figure label="Clicked" value={data.funnel.clicked} color="green" />
            <Figure label="Failed" value={data.funnel.failed} color="red" />
          </SimpleGrid>
          {data.funnel.total === 0 && (
            <Alert color="gray">
              No pushes in this range. In the sandbox, send one: start a push task or run{' '}
              <code>npm run demo</code>.
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <ChartCard title="Funnel" testId="chart-funnel">
              <BarChart
                h={240}
                orientation="vertical"
                data={funnelBars(data.funnel)}
                dataKey="stage"
                yAxisProps={{ width: 80 }}
                withBarValueLabel
                series={[{ name: 'pushes', label: 'Pushes', color: 'indigo.6' }]}
              />
            </ChartCard>
            <ChartCard title="Per vendor" testId="chart-vendors">
              <BarChart
                h={240}
                data={data.vendors.filter(hasFigures).map((v) => ({ ...v, vendor: vendorName(v.vendor) }))}
                dataKey="vendor"
                xAxisProps={{ interval: 0 }}
                withLegend
                series={[
                  { name: 'sent', label: 'Sent', color: 'blue.5' },
                  { name: 'delivered', label: 'Delivered', color: 'teal.5' },
                  { name: 'clicked', label: 'Clicked', color: 'green.5' },
                  { name: 'failed', label: 'Failed', color: 'red.5' },
                ]}
              />
            </ChartCard>
          </SimpleGrid>
          <ChartCard title="Sent per hour, by vendor" testId="chart-hours">
            <BarChart
              h={260}
              type="stacked"
              xAxisProps={{ minTickGap: 16 }}
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
          <ChartCard title="Failed, by reason" testId="failures">
            {data.vendors.every((v) => v.failures.length === 0) ? (
              <Text c="dimmed">No vendor refused a push in this range.</Text>
            ) : (
              <>
                <BarChart
                  h={200}
                  orientation="vertical"
                  data={failureBars(data)}
                  dataKey="reason"
                  yAxisProps={{ width: 220 }}
                  series={[{ name: 'count', label: 'Failed pushes', color: 'red.6' }]}
                />
                <Table.ScrollContainer minWidth={560}>
                  <Table aria-label="Failures by reason">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Vendor</Table.Th>
                        <Table.Th>Outcome</Table.Th>
                        <Table.Th>Vendor code</Table.Th>
                        <Table.Th>Count</Table.Th>
                        <Table.Th>Meaning</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.vendors.flatMap((v) =>
                        v.failures.map((f) => (
                          <Table.Tr key={`${v.vendor}:${f.outcome}:${f.code}`}>
                            <Table.Td>{vendorName(v.vendor)}</Table.Td>
                            <Table.Td>{f.outcome}</Table.Td>
                            <Table.Td ff="monospace">{f.code}</Table.Td>
                            <Table.Td>{f.count}</Table.Td>
                            <Table.Td>{f.info}</Table.Td>
                          </Table.Tr>
                        )),
                      )}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </>
            )}
          </ChartCard>
          <ChartCard title="All-member, tag and batch pushes" testId="task-figures">
            {data.tasks.length === 0 ? (
              <Text c="dimmed">No push task sent in this range.</Text>
            ) : (
              <Table.ScrollContainer minWidth={620}>
                <Table aria-label="Per-task figures">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Task</Table.Th>
                      <Table.Th>Kind</Table.Th>
                      <Table.Th>Total</Table.Th>
                      <Table.Th>Sent</Table.Th>
                      <Table.Th>Delivered</Table.Th>
                      <Table.Th>Clicked</Table.Th>
                      <Table.Th>Failed</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.tasks.map((t) => (
                      <Table.Tr key={t.taskId}>
                        <Table.Td ff="monospace" fz="xs">
                          <Anchor
                            component={Link}
                            to={`/apps/${sdkAppId}/records?search=${encodeURIComponent(t.taskId)}`}
                          >
                            {t.taskId}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>{t.kind}</Table.Td>
                        <Table.Td>{t.total}</Table.Td>
                        <Table.Td>{t.sent}</Table.Td>
                        <Table.Td>{t.delivered}</Table.Td>
                        <Table.Td>{t.clicked}</Table.Td>
                        <Table.Td>{t.failed}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </ChartCard>
          <Group gap="xs">
            <Text size="xs" c="dimmed">
              {new Date(data.from).toLocaleString()} – {new Date(data.to).toLocaleString()}
            </Text>
          </Group>
        </>
      )}
    </Stack>
  );
}
