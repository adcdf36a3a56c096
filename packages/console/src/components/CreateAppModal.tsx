import { Alert, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { AppSummary } from '@pushline/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, errorMessage } from '../api';
import { useSmallScreen } from '../layout/responsive';

interface Props {
  opened: boolean;
  onClose(): void;
  onCreated(): void;
}

export function CreateAppModal({ opened, onClose, onCreated }: Props) {
  const { t } = useTranslation();
  const small = useSmallScreen();
  const navigate = useNavigate();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = useForm({
    initialValues: { name: '', adminIdentifier: 'administrator' },
    validate: {
      name: (v) => (v.trim() ? null : t('createApp.nameRequired')),
      adminIdentifier: (v) => (v.trim() ? null : t('createApp.adminIdentifierRequired')),
    },
  });

  async function submit(values: { name: string; adminIdentifier: string }) {
    setBusy(true);
    setError(undefined);
    try {
      const app = await api<AppSummary>('POST', '/apps', values);
      notifications.show({
        color: 'green',
        message: t('createApp.created', { name: app.name, sdkAppId: app.sdkAppId }),
      });
      form.reset();
      onCreated();
      onClose();
      navigate(`/apps/${app.sdkAppId}`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal fullScreen={small} opened={opened} onClose={onClose} title={t('apps.create')}>
      <form onSubmit={form.onSubmit(submit)}>
        <Stack>
          {error && <Alert color="red">{error}</Alert>}
          <TextInput label={t('appSettings.appName')} data-autofocus {...form.getInputProps('name')} />
          <TextInput
            label={t('apps.adminIdentifier')}
            description={t('createApp.adminIdentifierHelp')}
            {...form.getInputProps('adminIdentifier')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('createApp.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
