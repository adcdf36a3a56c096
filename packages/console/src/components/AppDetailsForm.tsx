import {
  Alert,
  Button,
  Group,
  JsonInput,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  Stack,
  Switch,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { api, errorMessage } from '../api';
import type { AppDetails, AppSummary } from '../types';

interface Values {
  name: string;
  adminIdentifier: string;
  callbackUrl: string;
  loginMode: string;
  maxPerPlatform: number | string;
  maxWeb: number | string;
  dndEnabled: boolean;
  displayName: string;
  callbackToken: string;
  callbackCommands: string[];
  callbackTimeoutMs: number | string;
  callbackFailurePolicy: string;
  /** Every other app setting, as JSON (settings other parts of Pushline define). */
  otherSettings: string;
}

/** The callbacks switched on one by one (packages/server/src/apps/settings.ts SWITCHABLE_CALLBACKS). */
const SWITCHABLE_CALLBACKS = [
  { value: 'C2C.CallbackBeforeSendMsg', label: 'C2C.CallbackBeforeSendMsg (before a one-to-one message)' },
  { value: 'C2C.CallbackAfterSendMsg', label: 'C2C.CallbackAfterSendMsg (after a one-to-one message)' },
  { value: 'Group.CallbackBeforeSendMsg', label: 'Group.CallbackBeforeSendMsg (before a group message)' },
  { value: 'Group.CallbackAfterSendMsg', label: 'Group.CallbackAfterSendMsg (after a group message)' },
  { value: 'Group.CallbackAfterCreateGroup', label: 'Group.CallbackAfterCreateGroup (a group was created)' },
  { value: 'Group.CallbackAfterNewMemberJoin', label: 'Group.CallbackAfterNewMemberJoin (members joined)' },
  { value: 'Group.CallbackAfterMemberExit', label: 'Group.CallbackAfterMemberExit (members left)' },
  {
    value: 'Group.CallbackAfterGroupDestroyed',
    label: 'Group.CallbackAfterGroupDestroyed (a group was destroyed)',
  },
];

const FAILURE_POLICIES = [
  { value: 'allow', label: 'Allow: the message is sent as if the app had allowed it' },
  { value: 'refuse', label: 'Refuse: the sender gets error 80003' },
];

/** A new random callback token: 64 hex characters, as the server generates. */
function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The multi-device login policies (packages/server/src/gateway/login-policy.ts). */
const LOGIN_MODES = [
  { value: 'single', label: 'Single device: a new login logs out every other non-Web device' },
  { value: 'per-platform', label: 'One device per platform (iPhone, Android, PC...)' },
  { value: 'multi', label: 'Several devices per platform (up to the limit below)' },
];

function initialValues(app: AppDetails): Values {
  const {
    callbackUrl,
    loginPolicy,
    dndEnabled,
    displayName,
    callbackToken,
    callbackCommands,
    callbackTimeoutMs,
    callbackFailurePolicy,
    ...other
  } = app.settings;
  const policy = (loginPolicy ?? {}) as { mode?: string; maxPerPlatform?: number; maxWeb?: number };
  return {
    name: app.name,
    adminIdentifier: app.adminIdentifier,
    callbackUrl,
    loginMode: policy.mode ?? 'multi',
    maxPerPlatform: policy.maxPerPlatform ?? 3,
    maxWeb: policy.maxWeb ?? 10,
    dndEnabled: dndEnabled !== false,
    displayName: typeof displayName === 'string' ? displayName : '',
    callbackToken: typeof callbackToken === 'string' ? callbackToken : '',
    callbackCommands: Array.isArray(callbackCommands) ? (callbackCommands as string[]) : [],
    callbackTimeoutMs: typeof callbackTimeoutMs === 'number' ? callbackTimeoutMs : 2000,
    callbackFailurePolicy: callbackFailurePolicy === 'refuse' ? 'refuse' : 'allow',
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
      maxPerPlatform: (v) =>
        Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 100 ? null : 'Use 1 to 100',
      maxWeb: (v) =>
        Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 100 ? null : 'Use 1 to 100',
      displayName: (v) => (v.trim().length <= 64 ? null : 'Use at most 64 characters'),
      callbackToken: (v) => (v.length >= 1 && v.length <= 128 ? null : 'Use 1 to 128 characters'),
      callbackTimeoutMs: (v) =>
        Number.isInteger(Number(v)) && Number(v) >= 100 && Number(v) <= 30_000 ? null : 'Use 100 to 30000 ms',
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
        settings: {
          ...JSON.parse(values.otherSettings || '{}'),
          callbackUrl: values.callbackUrl,
          loginPolicy: {
            mode: values.loginMode,
            maxPerPlatform: Number(values.maxPerPlatform),
            maxWeb: Number(values.maxWeb),
          },
          dndEnabled: values.dndEnabled,
          displayName: values.displayName.trim(),
          callbackToken: values.callbackToken,
          callbackCommands: values.callbackCommands,
          callbackTimeoutMs: Number(values.callbackTimeoutMs),
          callbackFailurePolicy: values.callbackFailurePolicy,
        },
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
            label="Display name in notifications"
            description="The title of a notification that has none and no sender or group to name (push tasks); empty = the app name"
            placeholder={form.values.name}
            {...form.getInputProps('displayName')}
          />
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
          <Group align="flex-end">
            <TextInput
              style={{ flex: 1 }}
              label="Callback token"
              description="Every callback carries RequestTime and Sign = sha256(token + RequestTime) in its URL; your backend checks them with this token"
              {...form.getInputProps('callbackToken')}
            />
            <Button variant="default" onClick={() => form.setFieldValue('callbackToken', newToken())}>
              New token
            </Button>
          </Group>
          <MultiSelect
            label="Callbacks"
            description="Sent to the callback URL for every event of the kind (before-send ones can refuse or rewrite the message); State.StateChange and Push.* are always sent"
            data={SWITCHABLE_CALLBACKS}
            placeholder="None"
            {...form.getInputProps('callbackCommands')}
          />
          <Group grow>
            <NumberInput
              label="Before-send callback time-out (ms)"
              description="Tencent IM waits 2000 ms"
              min={100}
              max={30_000}
              {...form.getInputProps('callbackTimeoutMs')}
            />
            <Select
              label="When a before-send callback fails"
              description="Timed out, unreachable, or no valid answer"
              data={FAILURE_POLICIES}
              allowDeselect={false}
              {...form.getInputProps('callbackFailurePolicy')}
            />
          </Group>
          <Select
            label="Multi-device login policy"
            description="What a new login does to the user's other devices; evicted devices are logged out and get no pushes"
            data={LOGIN_MODES}
            allowDeselect={false}
            {...form.getInputProps('loginMode')}
          />
          <Group grow>
            <NumberInput
              label="Devices per platform"
              description="With several devices per platform"
              min={1}
              max={100}
              disabled={form.values.loginMode !== 'multi'}
              {...form.getInputProps('maxPerPlatform')}
            />
            <NumberInput
              label="Web sessions per user"
              description="In every policy"
              min={1}
              max={100}
              {...form.getInputProps('maxWeb')}
            />
          </Group>
          <Switch
            label="Global do-not-disturb feature"
            description="Server-side do-not-disturb (REST im_msg_db_logic/admin_set_do_not_disturb); when off, that command is refused"
            {...form.getInputProps('dndEnabled', { type: 'checkbox' })}
          />
          <JsonInput
            label="Other settings"
            description="Further app settings as JSON"
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
