import {
  Alert,
  Anchor,
  Badge,
  Group,
  Loader,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Tooltip,
} from '@mantine/core';
import type { PushTaskView } from '@pushline/contracts';
import type { TFunction } from 'i18next';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useExplainAnswer } from '../answers';
import { AppPageHeader } from '../components/AppPageHeader';
import { CancelTaskButton, cancellable } from '../components/CancelTaskButton';
import { NewPushTaskForm } from '../components/NewPushTaskForm';
import { useFormat } from '../i18n/format';
import { useSmallScreen } from '../layout/responsive';
import { useApi } from '../useApi';
import { vendorName } from '../vendors';

/** What a task's badge says and its colour: failures and empty audiences are not a green "done". */
function taskBadge(task: PushTaskView, now: number): { key: string; color: string } {
  if (task.status === 'queued' && task.startAt !== null && task.startAt > now)
    return { key: 'taskResults.scheduled', color: 'grape' };
  if (task.status === 'cancelled') return { key: 'tasks.status.cancelled', color: 'gray' };
  if (task.status === 'failed') return { key: 'tasks.status.failed', color: 'red' };
  if (task.result === 'all-failed') return { key: 'taskResults.allFailed', color: 'red' };
  if (task.result === 'partial') return { key: 'taskResults.partial', color: 'orange' };
  if (task.result === 'no-recipients') return { key: 'taskResults.noRecipients', color: 'yellow' };
  if (task.status === 'queued') return { key: 'tasks.status.queued', color: 'gray' };
  if (task.status === 'running') return { key: 'tasks.status.running', color: 'blue' };
  return { key: 'tasks.status.done', color: 'green' };
}

/** The badge, the failed count and the main reason of failure (vendor answers table) of a task. */
function TaskStatusCell({ task }: { task: PushTaskView }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const explain = useExplainAnswer();
  const badge = taskBadge(task, Date.now());
  const f = task.mainFailure;
  const answer = f ? explain(f.vendor, f.code, f.outcome) : undefined;
  const element = (
    <Badge color={badge.color} data-testid="task-status">
      {t(badge.key)}
    </Badge>
  );
  return (
    <Stack gap={2}>
      {task.error ? <Tooltip label={task.error}>{element}</Tooltip> : element}
      {badge.key === 'taskResults.scheduled' && task.startAt !== null && (
        <Text size="xs" c="dimmed">
          {t('taskResults.startsAt', { time: fmt.dateTime(task.startAt) })}
        </Text>
      )}
      {task.status === 'cancelled' && (
        <Text size="xs" c="dimmed">
          {t('tasks.cancelledAt', { time: fmt.dateTime(task.finishedAt) })}
        </Text>
      )}
      {task.counts.failed > 0 && (
        <Text size="xs" c={badge.color} data-testid="task-failed-count">
          {t('taskResults.failedCount', { count: task.counts.failed })}
        </Text>
      )}
      {f && (
        <Tooltip label={answer?.action ?? ''} disabled={!answer} multiline w={320}>
          <Text size="xs" data-testid="task-main-reason">
            {t('taskResults.mainReason', {
              vendor: vendorName(f.vendor),
              code: f.code,
              meaning: answer?.meaning ?? t(`outcome.${f.outcome}`),
            })}
          </Text>
        </Tooltip>
      )}
      {task.result === 'no-recipients' && (
        <Text size="xs" c="dimmed">
          {t('taskResults.noRecipientsHint')}
        </Text>
      )}
    </Stack>
  );
}

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

function audienceText(task: PushTaskView, t: TFunction): string {
  if (task.kind === 'batch') return t('tasks.audienceBatch', { count: task.recipients ?? 0 });
  if (task.kind === 'all-member') return t('tasks.audienceEveryone');
  if (task.kind === 'tag' && task.audience) {
    const parts = [];
    if (task.audience.tagsAnd.length)
      parts.push(t('tasks.tagsAll', { tags: task.audience.tagsAnd.join(', ') }));
    if (task.audience.tagsOr.length)
      parts.push(t('tasks.tagsAny', { tags: task.audience.tagsOr.join(', ') }));
    return t('tasks.audienceTags', { parts: parts.join(t('tasks.and')) });
  }
  return t('tasks.audienceAttributes');
}

const FIGURE_LABELS = ['tasks.recipients', 'tasks.sent', 'tasks.failed', 'tasks.skipped'] as const;

/** A task's figures, label key and value (null: not known yet), in the order of FIGURE_LABELS. */
function taskFigures(task: PushTaskView): [string, number | null][] {
  const { audienceTotal, sent, failed, skipped } = task.counts;
  return FIGURE_LABELS.map((label, i) => [label, [audienceTotal ?? null, sent, failed, skipped][i] ?? null]);
}

/** What a task sends and to whom. */
function TaskContent({ task }: { task: PushTaskView }) {
  const { t } = useTranslation();
  return (
    <Stack gap={0} miw={0}>
      {task.title && (
        <Text size="sm" fw={600} lineClamp={1} data-testid="task-title">
          {task.title}
        </Text>
      )}
      {task.text && (
        <Text size="sm" lineClamp={2} data-testid="task-text">
          {task.text}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {audienceText(task, t)}
      </Text>
      <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
        {task.taskId}
      </Text>
    </Stack>
  );
}

function TaskProgress({ task }: { task: PushTaskView }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const pct = taskProgress(task);
  return (
    <>
      <Progress
        value={pct}
        size="lg"
        color={taskBadge(task, Date.now()).color}
        striped={task.status === 'running'}
        animated={task.status === 'running'}
        aria-label={t('tasks.progressOf', { taskId: task.taskId })}
      />
      <Text size="xs" c="dimmed">
        {fmt.percent(pct / 100)}
      </Text>
    </>
  );
}

/** The task's push records, and Cancel while a scheduled push waits for its start. */
function TaskActions({
  sdkAppId,
  task,
  onChange,
}: {
  sdkAppId: string;
  task: PushTaskView;
  onChange(): void;
}) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" wrap="nowrap">
      <Anchor component={Link} to={`/apps/${sdkAppId}/records?search=${encodeURIComponent(task.taskId)}`}>
        {t('tasks.records')}
      </Anchor>
      {cancellable(task) && <CancelTaskButton sdkAppId={sdkAppId} task={task} onCancelled={onChange} />}
    </Group>
  );
}

/** A task scheduled for later is not busy until its start time (the page reloads then: see below). */
const waiting = (t: PushTaskView, now: number) =>
  t.status === 'queued' && t.startAt !== null && t.startAt > now;
const busy = (t: PushTaskView, now: number) =>
  (t.status === 'queued' && !waiting(t, now)) ||
  t.status === 'running' ||
  (t.finishedAt ?? 0) > now - SETTLE_MS;
/** setTimeout's longest wait. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** All-member, tag and batch pushes with live progress, and a form to start one. */
export function TasksPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { sdkAppId = '' } = useParams();
  const small = useSmallScreen();
  const { data, error, loading, reload } = useApi<{ tasks: PushTaskView[]; next?: string }>(
    `/apps/${sdkAppId}/push-tasks?limit=50`,
  );
  const polling = data?.tasks.some((task) => busy(task, Date.now())) ?? false;

  useEffect(() => {
    if (!polling) return;
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [polling, reload]);

  // The next scheduled task starts: reload then, and the polling above follows it.
  const nextStart = Math.min(
    ...(data?.tasks.filter((task) => waiting(task, Date.now())).map((task) => task.startAt as number) ?? []),
  );
  useEffect(() => {
    if (!Number.isFinite(nextStart)) return;
    const timer = setTimeout(reload, Math.min(Math.max(nextStart - Date.now(), 0) + 500, MAX_TIMER_MS));
    return () => clearTimeout(timer);
  }, [nextStart, reload]);

  return (
    <Stack>
      <AppPageHeader sdkAppId={sdkAppId} title={t('nav.tasks')} />
      <NewPushTaskForm sdkAppId={sdkAppId} onStarted={reload} />
      {error && <Alert color="red">{error}</Alert>}
      {loading && !data && <Loader />}
      {data && data.tasks.length === 0 && <Text c="dimmed">{t('tasks.empty')}</Text>}
      {data && data.tasks.length > 0 && small && (
        // Phones: one card per task instead of a table wider than the screen (as on the certificates page).
        <Stack gap="sm" role="list" aria-label={t('tasks.table')}>
          {data.tasks.map((task) => (
            <Paper key={task.taskId} withBorder p="sm" role="listitem" data-testid="push-task">
              <Stack gap={6}>
                <TaskContent task={task} />
                <Text size="xs" c="dimmed">
                  {t('tasks.started')}: {fmt.dateTime(task.createdAt)}
                </Text>
                <TaskStatusCell task={task} />
                <TaskProgress task={task} />
                <SimpleGrid cols={2} spacing={4} verticalSpacing={2}>
                  {taskFigures(task).map(([label, value]) => (
                    <Text key={label} size="sm">
                      {t(label)}: {value === null ? '…' : fmt.number(value)}
                    </Text>
                  ))}
                </SimpleGrid>
                <TaskActions sdkAppId={sdkAppId} task={task} onChange={reload} />
              </Stack>
            </Paper>
          ))}
        </Stack>
      )}
      {data && data.tasks.length > 0 && !small && (
        <Table.ScrollContainer minWidth={980}>
          <Table withTableBorder aria-label={t('tasks.table')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('tasks.started')}</Table.Th>
                <Table.Th>{t('taskResults.notification')}</Table.Th>
                <Table.Th w={220}>{t('certificates.status')}</Table.Th>
                <Table.Th w={200}>{t('tasks.progress')}</Table.Th>
                {FIGURE_LABELS.map((label) => (
                  <Table.Th key={label}>{t(label)}</Table.Th>
                ))}
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.tasks.map((task) => (
                <Table.Tr key={task.taskId} data-testid="push-task">
                  <Table.Td>{fmt.dateTime(task.createdAt)}</Table.Td>
                  <Table.Td maw={320}>
                    <TaskContent task={task} />
                  </Table.Td>
                  <Table.Td>
                    <TaskStatusCell task={task} />
                  </Table.Td>
                  <Table.Td>
                    <TaskProgress task={task} />
                  </Table.Td>
                  {taskFigures(task).map(([label, value]) => (
                    <Table.Td key={label}>{value === null ? '…' : fmt.number(value)}</Table.Td>
                  ))}
                  <Table.Td>
                    <TaskActions sdkAppId={sdkAppId} task={task} onChange={reload} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
