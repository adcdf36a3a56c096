import {
  Alert,
  Button,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import type { PushRecordRow, RecordPage } from '@pushline/contracts';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { useExplainAnswer } from '../answers';
import { AppPageHeader } from '../components/AppPageHeader';
import { CopyValue } from '../components/CopyValue';
import { OutcomeBadge } from '../components/OutcomeBadge';
import { resolveRange, TimeRangePicker, type TimeRangeValue } from '../components/TimeRangePicker';
import { TraceDrawer } from '../components/TraceDrawer';
import { useFormat } from '../i18n/format';
import { useSmallScreen } from '../layout/responsive';
import { skipActionText, skipReasonText } from '../messageText';
import { useApi } from '../useApi';
import { VENDOR_NAMES, vendorName } from '../vendors';

const PAGE_SIZE = 25;
const HOUR = 3_600_000;
const RANGES: Record<string, number | undefined> = {
  '1h': HOUR,
  '24h': 24 * HOUR,
  '7d': 7 * 24 * HOUR,
  all: undefined,
};
const FILTERS = ['search', 'vendor', 'kind', 'outcome', 'range'] as const;

/** Searchable, paged list of an app's pushes; a row opens the push's trace. */
export function PushRecordsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { sdkAppId = '' } = useParams();
  const small = useSmallScreen();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('search') ?? '');
  // Cursors of the pages before the current one, for "Newer".
  const [cursors, setCursors] = useState<string[]>([]);
  const [openPush, setOpenPush] = useState<string>();
  // The time range is fixed when a search is made, so paging does not shift under the reader.
  const [asOf, setAsOf] = useState(() => Date.now());

  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  for (const f of ['search', 'vendor', 'kind', 'outcome'] as const) {
    const v = params.get(f);
    if (v) query.set(f, v);
  }
  const rangeValue: TimeRangeValue = {
    preset: params.get('range') ?? 'all',
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
  };
  const range = resolveRange(rangeValue, RANGES, asOf);
  if (range.from !== undefined) query.set('from', String(range.from));
  // A preset's end is open (new pushes appear on refresh); a custom range ends where it says.
  if (range.to !== undefined && rangeValue.preset === 'custom') query.set('to', String(range.to));
  // The CSV export: the same filters, every matching record (not just this page).
  const csvQuery = new URLSearchParams(query);
  csvQuery.delete('limit');
  csvQuery.delete('before');
  const csvHref = `/api/console/apps/${encodeURIComponent(sdkAppId)}/push-records.csv?${csvQuery}`;
  const before = params.get('before');
  if (before) query.set('before', before);
  const { data, error, loading, reload } = useApi<RecordPage>(`/apps/${sdkAppId}/push-records?${query}`);

  function setFilter(
    name: (typeof FILTERS)[number],
    value: string | null,
    extra: Record<string, string> = {},
  ) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    if (name === 'range') {
      next.delete('from');
      next.delete('to');
      for (const [k, v] of Object.entries(extra)) if (v) next.set(k, v);
    }
    next.delete('before');
    setCursors([]);
    setAsOf(Date.now());
    setParams(next);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setFilter('search', search.trim() || null);
    reload();
  }

  function page(direction: 'older' | 'newer') {
    const next = new URLSearchParams(params);
    if (direction === 'older' && data?.next) {
      setCursors([...cursors, before ?? '']);
      next.set('before', data.next);
    } else {
      const previous = cursors.at(-1);
      setCursors(cursors.slice(0, -1));
      if (previous) next.set('before', previous);
      else next.delete('before');
    }
    setParams(next);
  }

  return (
    <Stack>
      <AppPageHeader sdkAppId={sdkAppId} title={t('nav.records')} />
      <Text c="dimmed" size="sm">
        {t('records.intro')}
      </Text>
      <form onSubmit={submit}>
        <Group align="end">
          <TextInput
            label={t('common.search')}
            placeholder={t('records.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            w={{ base: '100%', xs: 340 }}
          />
          <Select
            label={t('certificates.vendor')}
            placeholder={t('records.any')}
            clearable
            data={Object.entries(VENDOR_NAMES).map(([value, label]) => ({ value, label }))}
            value={params.get('vendor')}
            onChange={(v) => setFilter('vendor', v)}
            w={140}
          />
          <Select
            label={t('records.kind')}
            placeholder={t('records.any')}
            clearable
            data={['c2c', 'group', 'call', 'all-member', 'batch', 'badge', 'recall', 'read']}
            value={params.get('kind')}
            onChange={(v) => setFilter('kind', v)}
            w={130}
          />
          <Select
            label={t('records.reached')}
            placeholder={t('records.any')}
            clearable
            data={(['sent', 'delivered', 'clicked', 'failed', 'skipped'] as const).map((value) => ({
              value,
              label: t(`outcome.${value}`),
            }))}
            value={params.get('outcome')}
            onChange={(v) => setFilter('outcome', v)}
            w={130}
          />
          <TimeRangePicker
            presets={[
              { value: '1h', label: t('records.lastHour') },
              { value: '24h', label: t('common.last24h') },
              { value: '7d', label: t('common.last7d') },
              { value: 'all', label: t('records.everything') },
            ]}
            value={rangeValue}
            onChange={(v) =>
              setFilter('range', v.preset === 'all' ? null : v.preset, {
                from: v.preset === 'custom' ? (v.from ?? '') : '',
                to: v.preset === 'custom' ? (v.to ?? '') : '',
              })
            }
            error={range.error ? t(`polish.rangeError.${range.error}`) : undefined}
          />
          <Button type="submit">{t('common.search')}</Button>
          <Button variant="default" component="a" href={csvHref} download data-testid="records-csv">
            {t('polish.exportCsv')}
          </Button>
        </Group>
      </form>
      {error && <Alert color="red">{error}</Alert>}
      {loading && !data && <Loader />}
      {data && data.records.length === 0 && <Text c="dimmed">{t('records.noMatch')}</Text>}
      {data && data.records.length > 0 && small && (
        // Phones: one card per push instead of a table wider than the screen (as on the certificates page).
        <Stack gap="sm" role="list" aria-label={t('nav.records')}>
          {data.records.map((r) => (
            <Paper
              key={r.pushId}
              withBorder
              p="sm"
              role="listitem"
              tabIndex={0}
              onClick={() => setOpenPush(r.pushId)}
              onKeyDown={(e) => e.key === 'Enter' && setOpenPush(r.pushId)}
              style={{ cursor: 'pointer' }}
              data-testid="push-record"
            >
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Stack gap={0} miw={0}>
                  <Text fw={600} truncate>
                    {r.toUser}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {fmt.dateTime(r.createdAt)} · {r.kind} · {vendorName(r.vendor)}
                  </Text>
                </Stack>
                <OutcomeBadge outcome={r.outcome} code={r.code} />
              </Group>
              <Stack gap={2} mt={4} data-testid="record-reason">
                <RecordReason record={r} />
              </Stack>
              <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
                {r.taskId ?? r.msgKey ?? ''}
              </Text>
            </Paper>
          ))}
        </Stack>
      )}
      {data && data.records.length > 0 && !small && (
        <Table.ScrollContainer minWidth={960}>
          <Table striped highlightOnHover withTableBorder aria-label={t('nav.records')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('common.time')}</Table.Th>
                <Table.Th>{t('records.user')}</Table.Th>
                <Table.Th>{t('records.kind')}</Table.Th>
                <Table.Th>{t('records.msgKeyTask')}</Table.Th>
                <Table.Th>{t('certificates.vendor')}</Table.Th>
                <Table.Th>{t('records.outcome')}</Table.Th>
                <Table.Th>{t('answers.reason')}</Table.Th>
                <Table.Th>{t('polish.pushId')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.records.map((r) => (
                <Table.Tr
                  key={r.pushId}
                  onClick={() => setOpenPush(r.pushId)}
                  onKeyDown={(e) => e.key === 'Enter' && setOpenPush(r.pushId)}
                  tabIndex={0}
                  style={{ cursor: 'pointer' }}
                  data-testid="push-record"
                >
                  <Table.Td>{fmt.dateTime(r.createdAt)}</Table.Td>
                  <Table.Td>{r.toUser}</Table.Td>
                  <Table.Td>{r.kind}</Table.Td>
                  <Table.Td ff="monospace" fz="xs">
                    {r.taskId ?? r.msgKey ?? ''}
                  </Table.Td>
                  <Table.Td>{vendorName(r.vendor)}</Table.Td>
                  <Table.Td>
                    <OutcomeBadge outcome={r.outcome} code={r.code} />
                  </Table.Td>
                  <Table.Td data-testid="record-reason">
                    <RecordReason record={r} />
                  </Table.Td>
                  <Table.Td ff="monospace" fz="xs">
                    <CopyValue value={r.pushId} label={`PushID ${r.pushId}`}>
                      …{r.pushId.slice(-8)}
                    </CopyValue>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Group justify="space-between">
        <Button variant="default" disabled={!before} onClick={() => page('newer')}>
          {t('records.newer')}
        </Button>
        <Button variant="default" disabled={!data?.next} onClick={() => page('older')}>
          {t('records.older')}
        </Button>
      </Group>
      <TraceDrawer sdkAppId={sdkAppId} pushId={openPush} onClose={() => setOpenPush(undefined)} />
    </Stack>
  );
}

/** Why a push failed or waits (vendor answers table), or why it was not pushed, in words. */
function RecordReason({ record }: { record: PushRecordRow }) {
  const { t } = useTranslation();
  const explain = useExplainAnswer();
  const answer = explain(record.vendor, record.code, record.outcome);
  if (answer)
    return (
      <Tooltip label={answer.action} multiline w={320}>
        <Text size="sm">
          <Text span ff="monospace" size="xs">
            {record.code}
          </Text>{' '}
          {answer.meaning}
        </Text>
      </Tooltip>
    );
  if (record.outcome !== 'skipped' || !record.code) return null;
  const action = skipActionText(t, record.code);
  return (
    <Tooltip label={action} multiline w={320} disabled={!action}>
      <Text size="sm" data-testid="skip-reason" data-code={record.code}>
        {skipReasonText(t, record.code)}
        {action && (
          <Text span size="xs" c="dimmed" display="block">
            {t('answers.action')} {action}
          </Text>
        )}
      </Text>
    </Tooltip>
  );
}
