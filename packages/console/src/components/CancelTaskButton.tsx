import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { PushTaskView } from '@pushline/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../api';
import { useFormat } from '../i18n/format';
import { ConfirmModal } from './ConfirmModal';

/** A push scheduled for later that has not started: the only kind the server lets the console cancel. */
export function cancellable(task: PushTaskView): boolean {
  return task.status === 'queued' && task.startedAt === null && task.startAt !== null;
}

/** Cancel a scheduled push, after a confirmation; a toast says how it went. */
export function CancelTaskButton({
  sdkAppId,
  task,
  onCancelled,
}: {
  sdkAppId: string;
  task: PushTaskView;
  onCancelled(): void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  async function cancel() {
    setConfirming(false);
    setBusy(true);
    try {
      await api(
        'POST',
        `/apps/${encodeURIComponent(sdkAppId)}/push-tasks/${encodeURIComponent(task.taskId)}/cancel`,
      );
      notifications.show({ color: 'green', message: t('tasks.cancelledToast') });
    } catch (err) {
      notifications.show({ color: 'red', message: t('tasks.cancelFailed', { error: errorMessage(err) }) });
    } finally {
      setBusy(false);
      onCancelled();
    }
  }

  return (
    <>
      <Button
        size="xs"
        color="red"
        variant="light"
        loading={busy}
        onClick={() => setConfirming(true)}
        data-testid="task-cancel"
      >
        {t('tasks.cancel')}
      </Button>
      <ConfirmModal
        opened={confirming}
        title={t('tasks.cancelTitle')}
        text={t('tasks.cancelText', {
          text: task.title ?? task.text ?? task.taskId,
          time: fmt.dateTime(task.startAt),
        })}
        confirmLabel={t('tasks.cancelConfirm')}
        dismissLabel={t('tasks.keep')}
        onConfirm={cancel}
        onClose={() => setConfirming(false)}
      />
    </>
  );
}
