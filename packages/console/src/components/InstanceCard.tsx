import { Badge, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { BindingView, InstanceView, PushOutcome } from '@pushline/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../api';
import { useFormat } from '../i18n/format';
import { vendorName } from '../vendors';
import { ConfirmModal } from './ConfirmModal';
import { CopyValue } from './CopyValue';
import { TestPushModal } from './TestPushModal';

const STATE_COLORS = { Online: 'teal', PushOnline: 'indigo', Offline: 'gray' } as const;
const STATE_HELP = {
  Online: 'users.stateOnline',
  PushOnline: 'users.statePushOnline',
  Offline: 'users.stateOffline',
} as const;

/** One device instance of a user with its push bindings: remove a binding, send a test push to it. */
export function InstanceCard({
  userPath,
  instance: i,
  onChanged,
}: {
  userPath: string;
  instance: InstanceView;
  onChanged(): void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [testing, setTesting] = useState<BindingView>();
  const [removing, setRemoving] = useState<BindingView>();
  const bindingPath = (b: BindingView) =>
    `${userPath}/instances/${encodeURIComponent(i.instanceId)}/bindings/${b.tokenType}`;

  async function remove(b: BindingView) {
    setRemoving(undefined);
    try {
      await api('DELETE', bindingPath(b));
      notifications.show({
        color: 'green',
        message: t('users.bindingRemoved', { instanceId: i.instanceId }),
      });
      onChanged();
    } catch (err) {
      notifications.show({ color: 'red', message: errorMessage(err) });
    }
  }

  return (
    <Paper withBorder p="md" data-testid={`instance-${i.instanceId}`}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Group gap="xs">
            <Text fw={600}>{i.platform}</Text>
            <Text ff="monospace" size="sm">
              {i.instanceId}
            </Text>
            <Badge color={STATE_COLORS[i.state]} data-testid="instance-state">
              {i.state}
            </Badge>
          </Group>
          <Text size="xs" c="dimmed">
            {t('users.seen', { lastSeen: fmt.dateTime(i.lastSeenAt), loggedIn: fmt.dateTime(i.loggedInAt) })}
            {i.state === 'PushOnline' ? ` · ${t('users.badgeBase', { badgeBase: i.badgeBase })}` : ''}
          </Text>
        </Group>
        <Text size="sm" c="dimmed">
          {t(STATE_HELP[i.state])}
        </Text>
        {i.bindings.length === 0 ? (
          <Text size="sm">{t('users.noToken')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={480}>
            <Table withTableBorder aria-label={t('users.bindingsOf', { instanceId: i.instanceId })}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('users.certificate')}</Table.Th>
                  <Table.Th>{t('certificates.environment')}</Table.Th>
                  <Table.Th>{t('users.token')}</Table.Th>
                  <Table.Th>{t('users.reported')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {i.bindings.map((b) => (
                  <Table.Tr key={b.tokenType}>
                    <Table.Td>
                      {b.certificate
                        ? `${b.certificate.id} · ${vendorName(b.certificate.vendor)}${b.tokenType === 2 ? ' VoIP' : ''} · ${b.certificate.name}`
                        : t('users.certificateDeleted', { id: b.certificateId })}
                    </Table.Td>
                    <Table.Td>{b.certificate?.environment ?? '—'}</Table.Td>
                    <Table.Td ff="monospace">
                      {/* The token as the console sees it (masked): enough to match a device log. */}
                      <CopyValue value={b.token} label={t('polish.token')} />
                    </Table.Td>
                    <Table.Td>{fmt.dateTime(b.reportedAt)}</Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Button
                          size="xs"
                          variant="light"
                          onClick={() => setTesting(b)}
                          disabled={!b.certificate}
                        >
                          {t('certificates.testPush')}
                        </Button>
                        <Button size="xs" variant="default" color="red" onClick={() => setRemoving(b)}>
                          {t('users.removeBinding')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      <ConfirmModal
        opened={removing !== undefined}
        title={t('users.removeBindingTitle', { instanceId: i.instanceId })}
        text={t('users.removeBindingText')}
        confirmLabel={t('users.removeBindingConfirm')}
        onConfirm={() => removing && remove(removing)}
        onClose={() => setRemoving(undefined)}
      />
      <TestPushModal
        opened={testing !== undefined}
        title={t('users.testPushTo', { instanceId: i.instanceId })}
        askToken={false}
        onClose={() => setTesting(undefined)}
        send={async ({ text }) =>
          (await api<{ outcome: PushOutcome }>('POST', `${bindingPath(testing!)}/test`, { text })).outcome
        }
      />
    </Paper>
  );
}
