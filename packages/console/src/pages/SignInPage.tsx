import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { errorMessage } from '../api';
import { useAuth } from '../auth';

export function SignInPage() {
  const { user, signIn } = useAuth();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/apps';
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = useForm({
    initialValues: { username: '', password: '' },
    validate: {
      username: (v) => (v.trim() ? null : 'Enter your user name'),
      password: (v) => (v ? null : 'Enter your password'),
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
    <Center mih="100vh" bg="gray.0" p="sm">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={380}>
        <form onSubmit={form.onSubmit(submit)}>
          <Stack>
            <Title order={2}>Pushline console</Title>
            <Text size="sm" c="dimmed">
              Sign in with your console account. The first account, <b>admin</b>, is printed once when
              Pushline first starts.
            </Text>
            {error && (
              <Alert color="red" title="Could not sign in" role="alert">
                {error}
              </Alert>
            )}
            <TextInput
              label="User name"
              autoComplete="username"
              autoFocus
              {...form.getInputProps('username')}
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              {...form.getInputProps('password')}
            />
            <Button type="submit" loading={busy} fullWidth>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
