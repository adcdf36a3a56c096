import { Badge, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { api, errorMessage } from '../api';
import type { BindingView, InstanceView, PushOutcome } from '../types';
import { formatTime } from './AppPageHeader';
import { TestPushModal } from './TestPushModal';

const STATE_COLORS = { Online: 'teal', PushOnline: 'indigo', Offline: 'gray' } as const;
const STATE_HELP = {
  Online: 'app in the foreground: messages arrive live',
  PushOnline: 'logged in, app in the background or killed: gets offline pushes',
  Offline: 'logged out or kicked: gets no pushes',
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
  const [testing, setTesting] = useState<BindingView>();
  const bindingPath = (b: BindingView) =>
    `${userPath}/instances/${encodeURIComponent(i.instanceId)}/bindings/${b.tokenType}`;

  async function remove(b: BindingView) {
    try {
      await api('DELETE', bindingPath(b));
      notifications.show({ color: 'green', message: `Removed the binding of ${i.instanceId}` });
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
            last seen {formatTime(i.lastSeenAt)} · logged in {formatTime(i.loggedInAt)}
            {i.state === 'PushOnline' ? ` · badge base ${i.badgeBase}` : ''}
          </Text>
        </Group>
        <Text size="sm" c="dimmed">
          {STATE_HELP[i.state]}
        </Text>
        {i.bindings.length === 0 ? (
          <Text size="sm">No push token reported.</Text>
        ) : (
          <Table.ScrollContainer minWidth={480}>
            <Table withTableBorder aria-label={`Bindings of ${i.instanceId}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Certificate</Table.Th>
                  <Table.Th>Environment</Table.Th>
                  <Table.Th>Token</Table.Th>
                  <Table.Th>Reported</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {i.bindings.map((b) => (
                  <Table.Tr key={b.tokenType}>
                    <Table.Td>
                      {b.certificate
                        ? `${b.certificate.id} · ${b.certificate.vendor}${b.tokenType === 2 ? ' VoIP' : ''} · ${b.certificate.name}`
                        : `${b.certificateId} (deleted)`}
                    </Table.Td>
                    <Table.Td>{b.certificate?.environment ?? '—'}</Table.Td>
                    <Table.Td ff="monospace">{b.token}</Table.Td>
                    <Table.Td>{formatTime(b.reportedAt)}</Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Button
                          size="xs"
                          variant="light"
                          onClick={() => setTesting(b)}
                          disabled={!b.certificate}
                        >
                          Test push
                        </Button>
                        <Button size="xs" variant="default" color="red" onClick={() => remove(b)}>
                          Remove binding
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
      <TestPushModal
        opened={testing !== undefined}
        title={`Test push to ${i.instanceId}`}
        askToken={false}
        onClose={() => setTesting(undefined)}
        send={async ({ text }) =>
          (await api<{ outcome: PushOutcome }>('POST', `${bindingPath(testing!)}/test`, { text })).outcome
        }
      />
    </Paper>
  );
}
