import {
  Alert,
  Anchor,
  Button,
  Group,
  Loader,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, errorMessage } from '../api';
import { AppPageHeader } from '../components/AppPageHeader';
import { InstanceCard } from '../components/InstanceCard';
import type { UserDevices } from '../types';
import { useApi } from '../useApi';

export function UsersPage() {
  const { sdkAppId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const selected = params.get('user') ?? '';
  const [search, setSearch] = useState(params.get('search') ?? '');
  const base = `/apps/${encodeURIComponent(sdkAppId)}/users`;
  const found = useApi<{ users: { userId: string; instances: number }[] }>(
    `${base}?search=${encodeURIComponent(params.get('search') ?? '')}`,
  );

  return (
    <Stack>
      <AppPageHeader
        sdkAppId={sdkAppId}
        title="Users and devices"
        description="Each device a user logged in on, its state and the push tokens it reported."
      />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setParams({ search });
        }}
      >
        <Group align="flex-end">
          <TextInput
            label="Find a user"
            placeholder="UserID or part of it"
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            w={{ base: '100%', xs: 320 }}
          />
          <Button type="submit">Search</Button>
        </Group>
      </form>
      {found.error && <Alert color="red">{found.error}</Alert>}
      {found.data && !selected && (
        <Paper withBorder p="xs">
          {found.data.users.length === 0 ? (
            <Text c="dimmed">No user matches.</Text>
          ) : (
            <Table.ScrollContainer minWidth={300}>
              <Table aria-label="Users">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>UserID</Table.Th>
                    <Table.Th>Devices</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {found.data.users.map((u) => (
                    <Table.Tr key={u.userId}>
                      <Table.Td>
                        <Anchor component="button" onClick={() => setParams({ search, user: u.userId })}>
                          {u.userId}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{u.instances}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Paper>
      )}
      {selected && (
        <UserDetails
          key={selected}
          sdkAppId={sdkAppId}
          userId={selected}
          onBack={() => setParams({ search })}
        />
      )}
    </Stack>
  );
}

function UserDetails({ sdkAppId, userId, onBack }: { sdkAppId: string; userId: string; onBack(): void }) {
  const path = `/apps/${encodeURIComponent(sdkAppId)}/users/${encodeURIComponent(userId)}`;
  const { data, error, reload } = useApi<UserDevices>(path);
  const [kicking, setKicking] = useState(false);

  async function kick() {
    setKicking(true);
    try {
      await api('POST', `${path}/kick`);
      notifications.show({ color: 'green', message: `${userId} was kicked: every device is logged out` });
      reload();
    } catch (err) {
      notifications.show({ color: 'red', message: errorMessage(err) });
    } finally {
      setKicking(false);
    }
  }

  return (
    <Stack>
      <Group justify="space-between">
        <Group>
          <Button variant="subtle" size="xs" onClick={onBack}>
            ← All users
          </Button>
          <Title order={3} data-testid="user-title">
            {userId}
          </Title>
        </Group>
        <Group>
          <Button
            variant="light"
            component={Link}
            to={`/apps/${sdkAppId}/troubleshoot?userId=${encodeURIComponent(userId)}`}
          >
            Troubleshoot
          </Button>
          {data?.account && (
            <Button color="red" variant="light" loading={kicking} onClick={kick}>
              Kick user
            </Button>
          )}
        </Group>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {!data && !error && <Loader />}
      {data && (
        <>
          <Text size="sm">
            Unread messages: <b data-testid="unread-total">{data.unreadTotal}</b>
            {data.account?.nick ? ` · nickname ${data.account.nick}` : ''}
            {data.account?.kickedAt
              ? ` · last kicked ${new Date(data.account.kickedAt * 1000).toLocaleString()}`
              : ''}
            {data.account ? '' : ' · no account (logged in without an imported account)'}
          </Text>
          {data.instances.length === 0 && <Text c="dimmed">This user has not logged in on any device.</Text>}
          {data.instances.map((i) => (
            <InstanceCard key={i.instanceId} userPath={path} instance={i} onChanged={reload} />
          ))}
        </>
      )}
    </Stack>
  );
}
