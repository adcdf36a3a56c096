import { Alert, Button, Group, Modal, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { AppDetails } from '@pushline/contracts';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, errorMessage } from '../api';
import { useSmallScreen } from '../layout/responsive';

/** Deleting an app removes all its data: the user types the SDKAppID to confirm. */
export function DeleteAppCard({ app }: { app: AppDetails }) {
  const { t } = useTranslation();
  const small = useSmallScreen();
  const navigate = useNavigate();
  const [opened, setOpened] = useState(false);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const confirmed = typed.trim() === String(app.sdkAppId);

  async function remove() {
    setBusy(true);
    setError(undefined);
    try {
      await api('DELETE', `/apps/${app.sdkAppId}`, { confirmSdkAppId: app.sdkAppId });
      notifications.show({ color: 'green', message: t('deleteApp.deleted', { name: app.name }) });
      navigate('/apps', { replace: true });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper withBorder p="md" style={{ borderColor: 'var(--mantine-color-red-4)' }}>
      <Group justify="space-between">
        <Stack gap={2}>
          <Title order={4}>{t('deleteApp.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('deleteApp.text')}
          </Text>
        </Stack>
        <Button color="red" variant="light" onClick={() => setOpened(true)}>
          {t('deleteApp.button')}
        </Button>
      </Group>
      <Modal
        fullScreen={small}
        opened={opened}
        onClose={() => setOpened(false)}
        title={t('deleteApp.confirmTitle', { name: app.name })}
      >
        <Stack>
          {error && <Alert color="red">{error}</Alert>}
          <Text size="sm">
            <Trans
              i18nKey="deleteApp.typeToConfirm"
              values={{ sdkAppId: app.sdkAppId }}
              components={{ b: <b /> }}
            />
          </Text>
          <TextInput
            label="SDKAppID"
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              {t('common.cancel')}
            </Button>
            <Button color="red" disabled={!confirmed} loading={busy} onClick={remove}>
              {t('deleteApp.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
