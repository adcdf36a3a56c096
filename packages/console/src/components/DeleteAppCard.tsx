import { Alert, Button, Group, Modal, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, errorMessage } from '../api';
import { useSmallScreen } from '../layout/responsive';
import type { AppDetails } from '../types';

/** Deleting an app removes all its data: the user types the SDKAppID to confirm. */
export function DeleteAppCard({ app }: { app: AppDetails }) {
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
      notifications.show({ color: 'green', message: `Deleted ${app.name}` });
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
          <Title order={4}>Delete this app</Title>
          <Text size="sm" c="dimmed">
            Removes the app with its users, devices, certificates and records. This cannot be undone.
          </Text>
        </Stack>
        <Button color="red" variant="light" onClick={() => setOpened(true)}>
          Delete app
        </Button>
      </Group>
      <Modal
        fullScreen={small}
        opened={opened}
        onClose={() => setOpened(false)}
        title={`Delete ${app.name}?`}
      >
        <Stack>
          {error && <Alert color="red">{error}</Alert>}
          <Text size="sm">
            Type the SDKAppID <b>{app.sdkAppId}</b> to confirm.
          </Text>
          <TextInput
            label="SDKAppID"
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              Cancel
            </Button>
            <Button color="red" disabled={!confirmed} loading={busy} onClick={remove}>
              Delete permanently
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
