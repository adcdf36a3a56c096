import { Alert, Anchor, Badge, Loader, Progress, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { AppPageHeader } from '../components/AppPageHeader';
import { NewPushTaskForm } from '../components/NewPushTaskForm';
import type { PushTaskView, TaskStatus } from '../dataTypes';
import { useApi } from '../useApi';

const STATUS_COLOR: Record<TaskStatus, string> = {
  queued: 'gray',
  running: 'blue',
  done: 'green',
  failed: 'red',
};
/** Vendors' answers keep arriving after a task has queued everything: keep refreshing a while. */
const SETTLE_MS = 15_000;
const POLL_MS = 1000;

/** Recipients handled (pushes queued, or nothing to push to) out of the audience, in percent. */
export function taskProgress(t: PushTaskView): number {
  if (t.status === 'done') return 100;
  const total = t.counts.audienceTotal;
  if (!total) return 0;
  return Math.min(100, Math.floor(((t.counts.enqueued + t.counts.skipped) / total) * 100));
}

function audienceText(t: PushTaskView): string {
  if (t.kind === 'batch') return `${t.recipients ?? 0} listed users`;
  if (t.kind === 'all-member') return 'everyone';
  if (t.kind === 'tag' && t.audience) {
    const parts = [];
    if (t.audience.tagsAnd.length) parts.push(`all of ${t.audience.tagsAnd.join(', ')}`);
    if (t.audience.tagsOr.length) parts.push(`any of ${t.audience.tagsOr.join(', ')}`);
    return `tags: ${parts.join(' and ')}`;
  }
  return 'attributes';
}

const busy = (t: PushTaskView, now: number) =>
  t.status === 'queued' || t.status === 'running' || (t.finishedAt ?? 0) > now - SETTLE_MS;

/** All-member, tag and batch pushes with live progress, and a form to start one. */
export function TasksPage() {
  const { sdkAppId = '' } = useParams();
  const { data, error, loading, reload } = useApi<{ tasks: PushTaskView[]; next?: string }>(
    `/apps/${sdkAppId}/push-tasks?limit=50`,
  );
  const polling = data?.tasks.some((t) => busy(t, Date.now())) ?? false;

  useEffect(() => {
    if (!polling) return;
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [polling, reload]);

  return (
    <Stack>
      <AppPageHeader sdkAppId={sdkAppId} title="Push tasks" />
      <NewPushTaskForm sdkAppId={sdkAppId} onStarted={reload} />
      {error && <Alert color="red">{error}</Alert>}
      {loading && !data && <Loader />}
      {data && data.tasks.length === 0 && (
        <Text c="dimmed">
          No push tasks yet. Start one above, or with the REST API (timpush/push, timpush/batch).
        </Text>
      )}
      {data && data.tasks.length > 0 && (
        <Table.ScrollContainer minWidth={860}>
          <Table withTableBorder aria-label="Push tasks">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Started</Table.Th>
                <Table.Th>Audience</Table.Th>
                <Table.Th w={100}>Status</Table.Th>
                <Table.Th w={200}>Progress</Table.Th>
                <Table.Th>Recipients</Table.Th>
                <Table.Th>Sent</Table.Th>
                <Table.Th>Failed</Table.Th>
                <Table.Th>Nothing to push to</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.tasks.map((t) => {
                const pct = taskProgress(t);
                return (
                  <Table.Tr key={t.taskId} data-testid="push-task">
                    <Table.Td>{new Date(t.createdAt).toLocaleString()}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{audienceText(t)}</Text>
                      <Text size="xs" c="dimmed" ff="monospace">
                        {t.taskId}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {t.error ? (
                        <Tooltip label={t.error}>
                          <Badge color={STATUS_COLOR[t.status]}>{t.status}</Badge>
                        </Tooltip>
                      ) : (
                        <Badge color={STATUS_COLOR[t.status]}>{t.status}</Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Progress
                        value={pct}
                        size="lg"
                        color={t.status === 'failed' ? 'red' : pct === 100 ? 'green' : 'blue'}
                        striped={t.status === 'running'}
                        animated={t.status === 'running'}
                        aria-label={`Progress of task ${t.taskId}`}
                      />
                      <Text size="xs" c="dimmed">
                        {pct}%
                      </Text>
                    </Table.Td>
                    <Table.Td>{t.counts.audienceTotal ?? '…'}</Table.Td>
                    <Table.Td>{t.counts.sent}</Table.Td>
                    <Table.Td>{t.counts.failed}</Table.Td>
                    <Table.Td>{t.counts.skipped}</Table.Td>
                    <Table.Td>
                      <Anchor
                        component={Link}
                        to={`/apps/${sdkAppId}/records?search=${encodeURIComponent(t.taskId)}`}
                      >
                        Records
                      </Anchor>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
