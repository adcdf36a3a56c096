import { Badge, Box, Button, Group, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Phone, PhoneNotification } from '@pushline/contracts';
import { type CSSProperties, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../api';
import { useFormat } from '../i18n/format';
import { vendorName } from '../vendors';

const SHOWN = 4;

/** What each platform looks like: an iPhone lock screen, an Android shade, a browser window (`label`: translation key). */
const LOOK = {
  ios: {
    frame: { background: 'linear-gradient(160deg, #1e3a8a 0%, #6d28d9 55%, #db2777 100%)', borderRadius: 36 },
    card: { background: 'rgba(255,255,255,0.82)', borderRadius: 16, backdropFilter: 'blur(6px)' },
    label: 'phones.iphone',
  },
  android: {
    frame: { background: 'linear-gradient(180deg, #263238 0%, #37474f 100%)', borderRadius: 22 },
    card: { background: '#ffffff', borderRadius: 10, borderLeft: '4px solid var(--mantine-color-teal-6)' },
    label: 'phones.android',
  },
  web: {
    frame: { background: '#f1f3f5', borderRadius: 10, border: '1px solid var(--mantine-color-gray-4)' },
    card: { background: '#ffffff', borderRadius: 6, boxShadow: '0 1px 4px rgba(0,0,0,0.2)' },
    label: 'phones.browser',
  },
} satisfies Record<Phone['platform'], { frame: CSSProperties; card: CSSProperties; label: string }>;

function Notification({
  phone,
  n,
  opened,
  onTap,
}: {
  phone: Phone;
  n: PhoneNotification;
  opened: boolean;
  onTap(): void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const look = LOOK[phone.platform];
  // iOS names the app; here the Android shade names the vendor's push service, which is what differs.
  const appLabel =
    phone.platform === 'ios'
      ? phone.app.toUpperCase()
      : phone.platform === 'web'
        ? phone.app
        : vendorName(phone.vendor);
  return (
    // Tapping it opens it: the click is reported as the phone's SDK reports a real one.
    <UnstyledButton
      p={8}
      w="100%"
      style={{ ...look.card, color: '#1a1b1e', textAlign: 'left' }}
      data-testid="phone-notification"
      data-opened={opened ? 'true' : undefined}
      aria-label={t('polish.tapNotification', { text: [n.title, n.body].filter(Boolean).join(' — ') })}
      onClick={onTap}
    >
      <Group justify="space-between" gap={4} wrap="nowrap">
        <Text size="10px" c="dimmed" fw={600} truncate>
          {appLabel}
        </Text>
        <Text size="10px" c="dimmed">
          {fmt.clock(n.receivedAt)}
        </Text>
      </Group>
      {n.title && (
        <Text size="sm" fw={700} lineClamp={1}>
          {n.title}
        </Text>
      )}
      {n.subtitle && (
        <Text size="xs" fw={600} lineClamp={1}>
          {n.subtitle}
        </Text>
      )}
      <Text size="sm" lineClamp={3}>
        {n.body ?? (n.pushType === 'voip' ? t('phones.voip') : t('phones.dataMessage'))}
      </Text>
      {(n.badge !== null || opened) && (
        <Text size="10px" c="dimmed">
          {[n.badge !== null ? t('phones.badge', { badge: n.badge }) : '', opened ? t('polish.opened') : '']
            .filter(Boolean)
            .join(' · ')}
        </Text>
      )}
    </UnstyledButton>
  );
}

const APP_STATE = {
  foreground: { label: 'polish.appForeground', color: 'teal' },
  background: { label: 'polish.appBackground', color: 'indigo' },
  offline: { label: 'polish.appOffline', color: 'gray' },
} as const;

/**
 * One virtual phone with its latest notifications, styled after its platform, and what its user can do with
 * it: open the app (foreground), send it to the background, log out, tap a notification.
 */
export function PhoneCard({
  phone,
  sdkAppId,
  onChanged,
}: {
  phone: Phone;
  sdkAppId: string;
  /** The phone's new state (null: logged out, no longer the app's). */
  onChanged(phone: Phone | null): void;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<string>();
  const [opened, setOpened] = useState<Set<number>>(new Set());
  const path = `/apps/${encodeURIComponent(sdkAppId)}/sandbox/phones/${encodeURIComponent(phone.id)}`;

  async function act(action: 'foreground' | 'background' | 'logout') {
    setBusy(action);
    try {
      const { phone: changed } = await api<{ phone: Phone | null }>('POST', `${path}/${action}`);
      const message = {
        foreground: 'polish.phoneForeground',
        background: 'polish.phoneBackground',
        logout: 'polish.phoneLoggedOut',
      }[action];
      notifications.show({ color: 'green', message: t(message, { userId: phone.userId }) });
      onChanged(changed);
    } catch (err) {
      notifications.show({ color: 'red', message: errorMessage(err) });
    } finally {
      setBusy(undefined);
    }
  }

  async function tap(n: PhoneNotification) {
    try {
      const { pushId } = await api<{ pushId: string }>('POST', `${path}/notifications/${n.seq}/click`);
      setOpened((o) => new Set(o).add(n.seq));
      notifications.show({ color: 'green', message: t('polish.tapped', { pushId }) });
    } catch (err) {
      notifications.show({ color: 'red', message: errorMessage(err) });
    }
  }

  const look = LOOK[phone.platform];
  const dark = phone.platform !== 'web';
  const label = t('phones.phoneOf', { userId: phone.userId, vendor: vendorName(phone.vendor) });
  return (
    <Stack gap={6} role="region" aria-label={label}>
      <Group justify="space-between" gap={4}>
        <Text fw={600}>{phone.userId}</Text>
        <Group gap={4}>
          <Badge variant="light">{vendorName(phone.vendor)}</Badge>
          {!phone.installed && <Badge color="red">{t('phones.uninstalled')}</Badge>}
        </Group>
      </Group>
      <Group gap={4} justify="space-between">
        <Badge
          variant="dot"
          color={APP_STATE[phone.appState].color}
          data-testid="phone-app-state"
          data-state={phone.appState}
        >
          {t(APP_STATE[phone.appState].label)}
        </Badge>
        <Group gap={4}>
          {phone.appState === 'foreground' ? (
            <Button
              size="compact-xs"
              variant="light"
              loading={busy === 'background'}
              onClick={() => act('background')}
            >
              {t('polish.toBackground')}
            </Button>
          ) : (
            <Button
              size="compact-xs"
              variant="light"
              loading={busy === 'foreground'}
              onClick={() => act('foreground')}
            >
              {t('polish.toForeground')}
            </Button>
          )}
          <Button
            size="compact-xs"
            variant="subtle"
            color="red"
            loading={busy === 'logout'}
            onClick={() => act('logout')}
          >
            {t('polish.logOut')}
          </Button>
        </Group>
      </Group>
      <Paper p="sm" h={380} style={{ ...look.frame, overflow: 'hidden' }}>
        {phone.platform === 'web' ? (
          <Group gap={5} mb={8}>
            {['#ff5f57', '#febc2e', '#28c840'].map((c) => (
              <Box key={c} w={10} h={10} style={{ borderRadius: 5, background: c }} />
            ))}
            <Text size="10px" c="dimmed" ml={6}>
              {phone.app}
            </Text>
          </Group>
        ) : (
          <Text ta="center" c="white" fw={300} size={phone.platform === 'ios' ? '28px' : '16px'} mb={8}>
            {t(look.label)}
          </Text>
        )}
        <Stack gap={6}>
          {phone.notifications.length === 0 && (
            <Text size="xs" c={dark ? 'gray.4' : 'dimmed'} ta="center" mt="xl">
              {t('phones.noNotifications')}
            </Text>
          )}
          {phone.notifications.slice(0, SHOWN).map((n) => (
            <Notification key={n.seq} phone={phone} n={n} opened={opened.has(n.seq)} onTap={() => tap(n)} />
          ))}
        </Stack>
      </Paper>
      <Text size="xs" c="dimmed" truncate>
        {phone.environment ? `${phone.environment} · ` : ''}
        {t('phones.token', { suffix: phone.tokenSuffix })}
      </Text>
    </Stack>
  );
}
