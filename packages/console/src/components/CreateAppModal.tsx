import { Alert, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, errorMessage } from '../api';
import { useSmallScreen } from '../layout/responsive';
import type { AppSummary } from '../types';

interface Props {
  opened: boolean;
  onClose(): void;
  onCreated(): void;
}

export function CreateAppModal({ opened, onClose, onCreated }: Props) {
  const small = useSmallScreen();
  const navigate = useNavigate();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = useForm({
    initialValues: { name: '', adminIdentifier: 'administrator' },
    validate: {
      name: (v) => (v.trim() ? null : 'Give the app a name'),
      adminIdentifier: (v) => (v.trim() ? null : 'The REST API needs an admin identifier'),
    },
  });

  async function submit(values: { name: string; adminIdentifier: string }) {
    setBusy(true);
    setError(undefined);
    try {
      const app = await api<AppSummary>('POST', '/apps', values);
      notifications.show({ color: 'green', message: `Created ${app.name} (SDKAppID ${app.sdkAppId})` });
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
    <Modal fullScreen={small} opened={opened} onClose={onClose} title="Create app">
      <form onSubmit={form.onSubmit(submit)}>
        <Stack>
          {error && <Alert color="red">{error}</Alert>}
          <TextInput label="App name" data-autofocus {...form.getInputProps('name')} />
          <TextInput
            label="Admin identifier"
            description="The identifier your backend signs REST API calls with"
            {...form.getInputProps('adminIdentifier')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Create
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
