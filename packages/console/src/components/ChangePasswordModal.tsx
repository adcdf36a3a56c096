import { Alert, Button, Group, List, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = useForm<Values>({
    initialValues: { currentPassword: '', newPassword: '', repeatPassword: '' },
    validate: {
      currentPassword: (v) => (v ? null : t('password.enterCurrent')),
      newPassword: (v) =>
        v.length < 10 ? t('password.tooShort') : v.length > 256 ? t('password.tooLong') : null,
      repeatPassword: (v, values) => (v === values.newPassword ? null : t('password.differ')),
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
        message: t('password.changed'),
      });
      close();
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) {
        form.setFieldError('currentPassword', errorMessage(err));
      } else if (err instanceof ApiError && err.status === 400 && err.text?.key.startsWith('password')) {
        form.setFieldError('newPassword', errorMessage(err));
      } else {
        setError(errorMessage(err));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened} onClose={close} title={t('password.title')}>
      <form onSubmit={form.onSubmit(submit)}>
        <Stack>
          {error && <Alert color="red">{error}</Alert>}
          <PasswordInput
            label={t('password.current')}
            autoComplete="current-password"
            data-autofocus
            {...form.getInputProps('currentPassword')}
          />
          <PasswordInput
            label={t('password.new')}
            autoComplete="new-password"
            {...form.getInputProps('newPassword')}
          />
          <PasswordInput
            label={t('password.repeat')}
            autoComplete="new-password"
            {...form.getInputProps('repeatPassword')}
          />
          <Text size="sm" c="dimmed" component="div">
            {t('password.rulesIntro')}
            <List size="sm" c="dimmed">
              <List.Item>{t('password.rule1')}</List.Item>
              <List.Item>{t('password.rule2')}</List.Item>
            </List>
            {t('password.sessions')}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('password.title')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
