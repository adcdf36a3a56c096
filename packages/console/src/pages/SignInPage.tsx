import {
  Alert,
  Button,
  Center,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { errorMessage } from '../api';
import { useAuth } from '../auth';
import { ColorSchemeToggle } from '../layout/ColorSchemeToggle';
import { LanguageMenu } from '../layout/LanguageMenu';

export function SignInPage() {
  const { t } = useTranslation();
  const { user, signIn } = useAuth();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/apps';
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = useForm({
    initialValues: { username: '', password: '' },
    validate: {
      username: (v) => (v.trim() ? null : t('signIn.usernameRequired')),
      password: (v) => (v ? null : t('signIn.passwordRequired')),
    },
  });

  if (user) return <Navigate to={from} replace />;

  async function submit(values: { username: string; password: string }) {
    setBusy(true);
    setError(undefined);
    try {
      await signIn(values.username, values.password);
      navigate(from, { replace: true });
    } catch (err) {
      setError(errorMessage(err));
      form.setFieldValue('password', '');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Center mih="100vh" p="sm">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={380}>
        <form onSubmit={form.onSubmit(submit)}>
          <Stack>
            <Group justify="space-between" wrap="nowrap">
              <Title order={2}>{t('signIn.title')}</Title>
              <Group gap={4} wrap="nowrap">
                <ColorSchemeToggle />
                <LanguageMenu />
              </Group>
            </Group>
            <Text size="sm" c="dimmed">
              <Trans i18nKey="signIn.intro" components={{ b: <b /> }} />
            </Text>
            {error && (
              <Alert color="red" title={t('signIn.failed')} role="alert">
                {error}
              </Alert>
            )}
            <TextInput
              label={t('signIn.username')}
              autoComplete="username"
              autoFocus
              {...form.getInputProps('username')}
            />
            <PasswordInput
              label={t('signIn.password')}
              autoComplete="current-password"
              {...form.getInputProps('password')}
            />
            <Button type="submit" loading={busy} fullWidth>
              {t('signIn.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
