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
import type { AppDetails, AppSummary } from '@pushline/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../api';
import { notifyAppChanged } from '../appEvents';

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
const SWITCHABLE_CALLBACKS = {
  'C2C.CallbackBeforeSendMsg': 'appSettings.cbC2CBefore',
  'C2C.CallbackAfterSendMsg': 'appSettings.cbC2CAfter',
  'Group.CallbackBeforeSendMsg': 'appSettings.cbGroupBefore',
  'Group.CallbackAfterSendMsg': 'appSettings.cbGroupAfter',
  'Group.CallbackAfterCreateGroup': 'appSettings.cbGroupCreated',
  'Group.CallbackAfterNewMemberJoin': 'appSettings.cbMemberJoin',
  'Group.CallbackAfterMemberExit': 'appSettings.cbMemberExit',
  'Group.CallbackAfterGroupDestroyed': 'appSettings.cbGroupDestroyed',
} as const;

const FAILURE_POLICIES = { allow: 'appSettings.policyAllow', refuse: 'appSettings.policyRefuse' } as const;

/** A new random callback token: 64 hex characters, as the server generates. */
function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The multi-device login policies (packages/server/src/devices/login-policy.ts). */
const LOGIN_MODES = ['single', 'per-platform', 'multi'] as const;
const LOGIN_MODE_LABELS = {
  single: 'appSettings.loginModeSingle',
  'per-platform': 'appSettings.loginModePerPlatform',
  multi: 'appSettings.loginModeMulti',
} as const;

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
  const { t } = useTranslation();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = useForm<Values>({
    initialValues: initialValues(app),
    validate: {
      name: (v) => (v.trim() ? null : t('appSettings.nameRequired')),
      adminIdentifier: (v) =>
        v.trim() && new TextEncoder().encode(v.trim()).length <= 32
          ? null
          : t('appSettings.adminIdentifierLength'),
      callbackUrl: (v) => (v === '' || isHttpUrl(v) ? null : t('appSettings.callbackUrlInvalid')),
      maxPerPlatform: (v) =>
        Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 100 ? null : t('appSettings.oneTo100'),
      maxWeb: (v) =>
        Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 100 ? null : t('appSettings.oneTo100'),
      displayName: (v) => (v.trim().length <= 64 ? null : t('appSettings.displayNameLength')),
      callbackToken: (v) => (v.length >= 1 && v.length <= 128 ? null : t('appSettings.callbackTokenLength')),
      callbackTimeoutMs: (v) =>
        Number.isInteger(Number(v)) && Number(v) >= 100 && Number(v) <= 30_000
          ? null
          : t('appSettings.callbackTimeoutRange'),
      otherSettings: (v) => {
        try {
          const parsed: unknown = JSON.parse(v || '{}');
          return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
            ? null
            : t('appSettings.jsonObject');
        } catch {
          return t('appSettings.jsonInvalid');
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
      notifyAppChanged(app.sdkAppId);
      form.resetDirty();
      notifications.show({ color: 'green', message: t('appSettings.saved') });
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
          <Title order={4}>{t('appSettings.settings')}</Title>
          {error && <Alert color="red">{error}</Alert>}
          <TextInput label={t('appSettings.appName')} {...form.getInputProps('name')} />
          <TextInput
            label={t('appSettings.displayName')}
            description={t('appSettings.displayNameHelp')}
            placeholder={form.values.name}
            {...form.getInputProps('displayName')}
          />
          <TextInput
            label={t('apps.adminIdentifier')}
            description={t('appSettings.adminIdentifierHelp')}
            {...form.getInputProps('adminIdentifier')}
          />
          <TextInput
            label={t('appSettings.callbackUrl')}
            description={t('appSettings.callbackUrlHelp')}
            placeholder="https://example.com/im-callback"
            {...form.getInputProps('callbackUrl')}
          />
          <Group align="flex-end">
            <TextInput
              style={{ flex: 1 }}
              label={t('appSettings.callbackToken')}
              description={t('appSettings.callbackTokenHelp')}
              {...form.getInputProps('callbackToken')}
            />
            <Button variant="default" onClick={() => form.setFieldValue('callbackToken', newToken())}>
              {t('appSettings.newToken')}
            </Button>
          </Group>
          <MultiSelect
            label={t('appSettings.callbacks')}
            description={t('appSettings.callbacksHelp')}
            data={Object.entries(SWITCHABLE_CALLBACKS).map(([value, key]) => ({
              value,
              label: `${value} (${t(key)})`,
            }))}
            placeholder={t('appSettings.callbacksNone')}
            {...form.getInputProps('callbackCommands')}
          />
          <Group grow>
            <NumberInput
              label={t('appSettings.callbackTimeout')}
              description={t('appSettings.callbackTimeoutHelp')}
              min={100}
              max={30_000}
              {...form.getInputProps('callbackTimeoutMs')}
            />
            <Select
              label={t('appSettings.failurePolicy')}
              description={t('appSettings.failurePolicyHelp')}
              data={Object.entries(FAILURE_POLICIES).map(([value, key]) => ({ value, label: t(key) }))}
              allowDeselect={false}
              {...form.getInputProps('callbackFailurePolicy')}
            />
          </Group>
          <Select
            label={t('appSettings.loginPolicy')}
            description={t('appSettings.loginPolicyHelp')}
            data={LOGIN_MODES.map((value) => ({ value, label: t(LOGIN_MODE_LABELS[value]) }))}
            allowDeselect={false}
            {...form.getInputProps('loginMode')}
          />
          <Group grow>
            <NumberInput
              label={t('appSettings.maxPerPlatform')}
              description={t('appSettings.maxPerPlatformHelp')}
              min={1}
              max={100}
              disabled={form.values.loginMode !== 'multi'}
              {...form.getInputProps('maxPerPlatform')}
            />
            <NumberInput
              label={t('appSettings.maxWeb')}
              description={t('appSettings.maxWebHelp')}
              min={1}
              max={100}
              {...form.getInputProps('maxWeb')}
            />
          </Group>
          <Switch
            label={t('appSettings.dnd')}
            description={t('appSettings.dndHelp')}
            {...form.getInputProps('dndEnabled', { type: 'checkbox' })}
          />
          <JsonInput
            label={t('appSettings.otherSettings')}
            description={t('appSettings.otherSettingsHelp')}
            autosize
            minRows={3}
            formatOnBlur
            {...form.getInputProps('otherSettings')}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={busy} disabled={!form.isDirty()}>
              {t('appSettings.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
