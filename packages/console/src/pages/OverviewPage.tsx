import { BarChart } from '@mantine/charts';
import { Alert, Button, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useParams } from 'react-router';
import { AppPageHeader } from '../components/AppPageHeader';
import type { OverviewData } from '../types';
import { useApi } from '../useApi';

const SERIES_COLORS: Record<string, string> = {
  sent: 'teal.6',
  skipped: 'gray.5',
  lost: 'orange.6',
  refused: 'red.6',
  failed: 'grape.6',
};

const SERIES_LABELS: Record<string, string> = {
  sent: 'Sent',
  skipped: 'Not pushed (by choice)',
  lost: 'Lost before sending',
  refused: 'Refused by vendor',
  failed: 'Failed after retries',
};

export function OverviewPage() {
  const { sdkAppId = '' } = useParams();
  const { data, error, loading, reload } = useApi<OverviewData>(
    `/apps/${encodeURIComponent(sdkAppId)}/overview`,
  );
  const chartData = data?.pushes.hours.map((h) => ({
    ...h,
    label: new Date(h.hour).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
  }));
  const total = data?.pushes.hours.reduce(
    (n, h) => n + data.pushes.series.reduce((m, s) => m + (h[s] ?? 0), 0),
    0,
  );

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <AppPageHeader sdkAppId={sdkAppId} title="Overview" />
        <Button variant="default" size="xs" onClick={reload} loading={loading && data !== undefined}>
          Refresh
        </Button>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {!data && !error && <Loader />}
      {data && (
        <>
          <Paper withBorder p="md">
            <Title order={4} mb="xs">
              Alerts
            </Title>
            {data.alerts.length === 0 ? (
              <Text c="teal" data-testid="no-alerts">
                Nothing needs your attention.
              </Text>
            ) : (
              <Stack gap="xs" data-testid="alerts">
                {data.alerts.map((a) => (
                  <Alert
                    key={`${a.kind}-${a.certificateId ?? ''}`}
                    color={a.severity === 'error' ? 'red' : 'yellow'}
                  >
                    {a.message}
                  </Alert>
                ))}
              </Stack>
            )}
          </Paper>
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            <Stat
              label="Certificates active"
              value={`${data.certificates.active} / ${data.certificates.total}`}
            />
            <Stat label="Pushes in 24 h" value={String(total ?? 0)} />
            <Stat
              label="Waiting in queue"
              value={String(data.queue.ready + data.queue.delayed + data.queue.leased)}
            />
            <Stat label="Dead letters" value={String(data.queue.dead)} />
          </SimpleGrid>
          <Paper withBorder p="md">
            <Title order={4} mb="xs">
              Pushes in the last 24 hours, by outcome
            </Title>
            <div data-testid="pushes-chart">
              <BarChart
                h={260}
                data={chartData ?? []}
                dataKey="label"
                type="stacked"
                withLegend
                legendProps={{ verticalAlign: 'bottom' }}
                series={data.pushes.series.map((s) => ({
                  name: s,
                  label: SERIES_LABELS[s] ?? s,
                  color: SERIES_COLORS[s] ?? 'blue.6',
                }))}
              />
            </div>
          </Paper>
          <Paper withBorder p="md">
            <Title order={4} mb="xs">
              Devices by vendor and state
            </Title>
            {data.devices.length === 0 ? (
              <Text c="dimmed">No device has logged in yet.</Text>
            ) : (
              <Table.ScrollContainer minWidth={520}>
                <Table withTableBorder aria-label="Devices by vendor">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Vendor</Table.Th>
                      <Table.Th>Online (foreground)</Table.Th>
                      <Table.Th>PushOnline (background)</Table.Th>
                      <Table.Th>Offline (logged out)</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.devices.map((d) => (
                      <Table.Tr key={d.vendor}>
                        <Table.Td>{d.vendor === 'none' ? 'no push token' : d.vendor}</Table.Td>
                        <Table.Td>{d.Online}</Table.Td>
                        <Table.Td>{d.PushOnline}</Table.Td>
                        <Table.Td>{d.Offline}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Paper>
        </>
      )}
    </Stack>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Paper withBorder p="md">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {label}
        </Text>
      </Group>
      <Text fw={700} size="xl">
        {value}
      </Text>
    </Paper>
  );
}
