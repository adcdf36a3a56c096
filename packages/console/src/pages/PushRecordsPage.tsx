import { Alert, Button, Group, Loader, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { AppPageHeader } from '../components/AppPageHeader';
import { OutcomeBadge } from '../components/OutcomeBadge';
import { TraceDrawer } from '../components/TraceDrawer';
import type { RecordPage } from '../dataTypes';
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
  const { sdkAppId = '' } = useParams();
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
  const range = RANGES[params.get('range') ?? 'all'];
  if (range) query.set('from', String(asOf - range));
  const before = params.get('before');
  if (before) query.set('before', before);
  const { data, error, loading, reload } = useApi<RecordPage>(`/apps/${sdkAppId}/push-records?${query}`);

  function setFilter(name: (typeof FILTERS)[number], value: string | null) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
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
      <AppPageHeader sdkAppId={sdkAppId} title="Push records" />
      <Text c="dimmed" size="sm">
        Every push to every device, newest first (kept 7 days). Search a user ID, PushID, message key or task
        ID; click a row for its trace: accepted → sent to the vendor → vendor answer → delivery receipt →
        click.
      </Text>
      <form onSubmit={submit}>
        <Group align="end">
          <TextInput
            label="Search"
            placeholder="User ID, PushID, message key or task ID"
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            w={{ base: '100%', xs: 340 }}
          />
          <Select
            label="Vendor"
            placeholder="Any"
            clearable
            data={Object.entries(VENDOR_NAMES).map(([value, label]) => ({ value, label }))}
            value={params.get('vendor')}
            onChange={(v) => setFilter('vendor', v)}
            w={140}
          />
          <Select
            label="Kind"
            placeholder="Any"
            clearable
            data={['c2c', 'group', 'call', 'all-member', 'batch']}
            value={params.get('kind')}
            onChange={(v) => setFilter('kind', v)}
            w={130}
          />
          <Select
            label="Reached"
            placeholder="Any"
            clearable
            data={['sent', 'delivered', 'clicked', 'failed', 'skipped']}
            value={params.get('outcome')}
            onChange={(v) => setFilter('outcome', v)}
            w={130}
          />
          <Select
            label="Time"
            data={[
              { value: '1h', label: 'Last hour' },
              { value: '24h', label: 'Last 24 hours' },
              { value: '7d', label: 'Last 7 days' },
              { value: 'all', label: 'Everything kept' },
            ]}
            value={params.get('range') ?? 'all'}
            onChange={(v) => setFilter('range', v === 'all' ? null : v)}
            allowDeselect={false}
            w={160}
          />
          <Button type="submit">Search</Button>
        </Group>
      </form>
      {error && <Alert color="red">{error}</Alert>}
      {loading && !data && <Loader />}
      {data && data.records.length === 0 && <Text c="dimmed">No pushes match.</Text>}
      {data && data.records.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped highlightOnHover withTableBorder aria-label="Push records">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Time</Table.Th>
                <Table.Th>User</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Message key / task</Table.Th>
                <Table.Th>Vendor</Table.Th>
                <Table.Th>Outcome</Table.Th>
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
                  <Table.Td>{new Date(r.createdAt).toLocaleString()}</Table.Td>
                  <Table.Td>{r.toUser}</Table.Td>
                  <Table.Td>{r.kind}</Table.Td>
                  <Table.Td ff="monospace" fz="xs">
                    {r.taskId ?? r.msgKey ?? ''}
                  </Table.Td>
                  <Table.Td>{vendorName(r.vendor)}</Table.Td>
                  <Table.Td>
                    <OutcomeBadge outcome={r.outcome} code={r.code} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Group justify="space-between">
        <Button variant="default" disabled={!before} onClick={() => page('newer')}>
          ← Newer
        </Button>
        <Button variant="default" disabled={!data?.next} onClick={() => page('older')}>
          Older →
        </Button>
      </Group>
      <TraceDrawer sdkAppId={sdkAppId} pushId={openPush} onClose={() => setOpenPush(undefined)} />
    </Stack>
  );
}
