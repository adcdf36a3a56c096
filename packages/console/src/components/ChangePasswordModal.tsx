import { Alert, Button, Group, List, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ApiError, api, errorMessage } from '../api';

interface Props {
  opened: boolean;
  onClose(): void;
}

interface Values {
  currentPassword: string;
  newPassword: string;
  repeatPassword: string;
}

/**
 * The signed-in user changes their own password. The server checks the strength and says why a password
 * is too weak; the page only checks what it can without a dictionary.
 */
export function ChangePasswordModal({ opened, onClose }: Props) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = useForm<Values>({
    initialValues: { currentPassword: '', newPassword: '', repeatPassword: '' },
    validate: {
      currentPassword: (v) => (v ? null : 'Enter your current password'),
      newPassword: (v) =>
        v.length < 10 ? 'At least 10 characters' : v.length > 256 ? 'At most 256 characters' : null,
      repeatPassword: (v, values) => (v === values.newPassword ? null : 'The two new passwords differ'),
    },
  });

  function close() {
    form.reset();
    setError(undefined);
    onClose();
  }

  async function submit({ currentPassword, newPassword }: Values) {
    setBusy(true);
    setError(undefined);
    try {
      await api('POST', '/me/password', { currentPassword, newPassword });
      notifications.show({
        color: 'green',
        message: 'Password changed. Your other sessions are signed out.',
      });
      close();
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) {
        form.setFieldError('currentPassword', errorMessage(err));
      } else if (err instanceof ApiError && err.status === 400 && /password/.test(err.message)) {
        form.setFieldError('newPassword', errorMessage(err));
      } else {
        setError(errorMessage(err));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened} onClose={close} title="Change password">
      <form onSubmit={form.onSubmit(submit)}>
        <Stack>
          {error && <Alert color="red">{error}</Alert>}
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            data-autofocus
            {...form.getInputProps('currentPassword')}
          />
          <PasswordInput
            label="New password"
            autoComplete="new-password"
            {...form.getInputProps('newPassword')}
          />
          <PasswordInput
            label="New password again"
            autoComplete="new-password"
            {...form.getInputProps('repeatPassword')}
          />
          <Text size="sm" c="dimmed" component="div">
            The new password must be hard to guess:
            <List size="sm" c="dimmed">
              <List.Item>at least 10 characters; several unrelated words work well</List.Item>
              <List.Item>no names, dictionary words alone, keyboard rows, repeats or sequences</List.Item>
            </List>
            Your other sessions are signed out; this one stays.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
