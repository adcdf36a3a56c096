import { Badge, Box, Group, Paper, Stack, Text } from '@mantine/core';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import type { Phone, PhoneNotification } from '../dataTypes';
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

function Notification({ phone, n }: { phone: Phone; n: PhoneNotification }) {
  const { t, i18n } = useTranslation();
  const look = LOOK[phone.platform];
  // iOS names the app; here the Android shade names the vendor's push service, which is what differs.
  const appLabel =
    phone.platform === 'ios'
      ? phone.app.toUpperCase()
      : phone.platform === 'web'
        ? phone.app
        : vendorName(phone.vendor);
  return (
    <Box p={8} style={look.card} data-testid="phone-notification">
      <Group justify="space-between" gap={4} wrap="nowrap">
        <Text size="10px" c="dimmed" fw={600} truncate>
          {appLabel}
        </Text>
        <Text size="10px" c="dimmed">
          {new Date(n.receivedAt).toLocaleTimeString(i18n.language, {
            hour: '2-digit',
            minute: '2-digit',
            second: '2-digit',
          })}
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
      {n.badge !== null && (
        <Text size="10px" c="dimmed">
          {t('phones.badge', { badge: n.badge })}
        </Text>
      )}
    </Box>
  );
}

/** One virtual phone with its latest notifications, styled after its platform. */
export function PhoneCard({ phone }: { phone: Phone }) {
  const { t } = useTranslation();
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
            <Notification key={n.seq} phone={phone} n={n} />
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
