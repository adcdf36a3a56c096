import { Alert, Button, Group, JsonInput, Paper, Stack, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { api, errorMessage } from '../api';
import type { AppDetails, AppSummary } from '../types';

interface Values {
  name: string;
  adminIdentifier: string;
  callbackUrl: string;
  /** Every other app setting, as JSON (settings other parts of Pushline define). */
  otherSettings: string;
}

function initialValues(app: AppDetails): Values {
  const { callbackUrl, ...other } = app.settings;
  return {
    name: app.name,
    adminIdentifier: app.adminIdentifier,
    callbackUrl,
    otherSettings: JSON.stringify(other, null, 2),
  };
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

export function AppDetailsForm({ app, onSaved }: { app: AppDetails; onSaved(app: AppSummary): void }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = useForm<Values>({
    initialValues: initialValues(app),
    validate: {
      name: (v) => (v.trim() ? null : 'The app needs a name'),
      adminIdentifier: (v) =>
        v.trim() && new TextEncoder().encode(v.trim()).length <= 32 ? null : 'Use 1 to 32 bytes',
      callbackUrl: (v) => (v === '' || isHttpUrl(v) ? null : 'Enter an http(s) URL or leave it empty'),
      otherSettings: (v) => {
        try {
          const parsed: unknown = JSON.parse(v || '{}');
          return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
            ? null
            : 'Enter a JSON object';
        } catch {
          return 'Not valid JSON';
        }
      },
    },
  });

  async function submit(values: Values) {
    setBusy(true);
    setError(undefined);
    try {
      const saved = await api<AppSummary>('PATCH', `/apps/${app.sdkAppId}`, {
        name: values.name,
        adminIdentifier: values.adminIdentifier,
        settings: { ...JSON.parse(values.otherSettings || '{}'), callbackUrl: values.callbackUrl },
      });
      onSaved(saved);
      form.resetDirty();
      notifications.show({ color: 'green', message: 'Settings saved' });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper withBorder p="md">
      <form onSubmit={form.onSubmit(submit)}>
        <Stack>
          <Title order={4}>Settings</Title>
          {error && <Alert color="red">{error}</Alert>}
          <TextInput label="App name" {...form.getInputProps('name')} />
          <TextInput
            label="Admin identifier"
            description="The identifier your backend signs REST API calls with (its UserSig must be for this name)"
            {...form.getInputProps('adminIdentifier')}
          />
          <TextInput
            label="Callback URL"
            description="Where Pushline POSTs webhooks for this app; leave empty for none"
            placeholder="https://example.com/im-callback"
            {...form.getInputProps('callbackUrl')}
          />
          <JsonInput
            label="Other settings"
            description="Further app settings as JSON, e.g. login policy and do-not-disturb switches"
            autosize
            minRows={3}
            formatOnBlur
            {...form.getInputProps('otherSettings')}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={busy} disabled={!form.isDirty()}>
              Save settings
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
