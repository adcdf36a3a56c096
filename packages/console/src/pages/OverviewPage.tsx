import { BarChart } from '@mantine/charts';
import { Alert, Button, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { OverviewData } from '@pushline/contracts';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api, errorMessage } from '../api';
import { AppPageHeader } from '../components/AppPageHeader';
import { useFormat } from '../i18n/format';
import { useApi } from '../useApi';
import { vendorName } from '../vendors';

const SERIES_COLORS: Record<string, string> = {
  sent: 'teal.6',
  skipped: 'gray.5',
  lost: 'orange.6',
  refused: 'red.6',
  failed: 'grape.6',
};

const SERIES_LABELS: Record<string, string> = {
  sent: 'overview.seriesSent',
  skipped: 'overview.seriesSkipped',
  lost: 'overview.seriesLost',
  refused: 'overview.seriesRefused',
  failed: 'overview.seriesFailed',
};

export function OverviewPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { sdkAppId = '' } = useParams();
  const { data, error, loading, reload } = useApi<OverviewData>(
    `/apps/${encodeURIComponent(sdkAppId)}/overview`,
  );
  async function resume(certificateId: number) {
    try {
      await api('POST', `/apps/${encodeURIComponent(sdkAppId)}/certificates/${certificateId}/resume`, {});
      notifications.show({ color: 'green', message: t('overview.resumed', { id: certificateId }) });
      reload();
    } catch (err) {
      notifications.show({ color: 'red', message: errorMessage(err) });
    }
  }
  const chartData = data?.pushes.hours.map((h) => ({
    ...h,
    label: fmt.time(h.hour),
  }));
  const total = data?.pushes.hours.reduce(
    (n, h) => n + data.pushes.series.reduce((m, s) => m + (h[s] ?? 0), 0),
    0,
  );

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <AppPageHeader sdkAppId={sdkAppId} title={t('nav.overview')} />
        <Button variant="default" size="xs" onClick={reload} loading={loading && data !== undefined}>
          {t('common.refresh')}
        </Button>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {!data && !error && <Loader />}
      {data && (
        <>
          <Paper withBorder p="md">
            <Title order={4} mb="xs">
              {t('overview.alerts')}
            </Title>
            {data.alerts.length === 0 ? (
              <Text c="teal" data-testid="no-alerts">
                {t('overview.noAlerts')}
              </Text>
            ) : (
              <Stack gap="xs" data-testid="alerts">
                {data.alerts.map((a) => (
                  <Alert
                    key={`${a.kind}-${a.certificateId ?? ''}`}
                    color={a.severity === 'error' ? 'red' : 'yellow'}
                  >
                    <Group justify="space-between" wrap="nowrap" align="flex-start">
                      <Stack gap={2} data-testid="alert-text">
                        <Text size="sm">
                          {t(`overviewAlert.${a.text.key}`, {
                            ...a.text.params,
                            // A certificate's expiry date, in the console's language.
                            date: fmt.date(Number(a.text.params.expiresAt)),
                            defaultValue: a.message,
                          })}
                        </Text>
                        {a.text.because && (
                          <Text size="xs">{t('overview.alertBecause', { because: a.text.because })}</Text>
                        )}
                      </Stack>
                      {a.kind === 'certificate-paused' && a.certificateId !== undefined && (
                        <Button size="xs" variant="white" onClick={() => resume(a.certificateId as number)}>
                          {t('overview.resume')}
                        </Button>
                      )}
                    </Group>
                  </Alert>
                ))}
              </Stack>
            )}
          </Paper>
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            <Stat
              label={t('overview.certificatesActive')}
              value={`${fmt.number(data.certificates.active)} / ${fmt.number(data.certificates.total)}`}
            />
            <Stat label={t('overview.pushes24h')} value={fmt.number(total ?? 0)} />
            <Stat
              label={t('overview.waiting')}
              value={fmt.number(data.queue.ready + data.queue.delayed + data.queue.leased)}
            />
            <Stat label={t('overview.deadLetters')} value={fmt.number(data.queue.dead)} />
          </SimpleGrid>
          <Paper withBorder p="md">
            <Title order={4} mb="xs">
              {t('overview.pushesChart')}
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
                  label: SERIES_LABELS[s] ? t(SERIES_LABELS[s]) : s,
                  color: SERIES_COLORS[s] ?? 'blue.6',
                }))}
              />
            </div>
          </Paper>
          <Paper withBorder p="md">
            <Title order={4} mb="xs">
              {t('overview.devices')}
            </Title>
            {data.devices.length === 0 ? (
              <Text c="dimmed">{t('overview.noDevices')}</Text>
            ) : (
              <Table.ScrollContainer minWidth={520}>
                <Table withTableBorder aria-label={t('overview.devicesTable')}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('certificates.vendor')}</Table.Th>
                      <Table.Th>{t('overview.online')}</Table.Th>
                      <Table.Th>{t('overview.pushOnline')}</Table.Th>
                      <Table.Th>{t('overview.offline')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.devices.map((d) => (
                      <Table.Tr key={d.vendor}>
                        <Table.Td>
                          {d.vendor === 'none' ? t('overview.noPushToken') : vendorName(d.vendor)}
                        </Table.Td>
                        <Table.Td>{fmt.number(d.Online)}</Table.Td>
                        <Table.Td>{fmt.number(d.PushOnline)}</Table.Td>
                        <Table.Td>{fmt.number(d.Offline)}</Table.Td>
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
