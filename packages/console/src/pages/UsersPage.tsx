import {
  Alert,
  Anchor,
  Badge,
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
import type { UserDevices } from '@pushline/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, errorMessage } from '../api';
import { AppPageHeader } from '../components/AppPageHeader';
import { ConfirmModal } from '../components/ConfirmModal';
import { InstanceCard } from '../components/InstanceCard';
import { useFormat } from '../i18n/format';
import { useSmallScreen } from '../layout/responsive';
import { useApi } from '../useApi';
import { vendorName } from '../vendors';

const USERS_PAGE = 50;

type UserState = 'online' | 'background' | 'offline';

interface UserPage {
  users: {
    userId: string;
    instances: number;
    state: UserState;
    vendors: string[];
    lastSeenAt: number | null;
  }[];
  next: string | null;
}

const USER_STATE = {
  online: { label: 'polish.userOnline', color: 'teal' },
  background: { label: 'polish.userBackground', color: 'indigo' },
  offline: { label: 'polish.userOffline', color: 'gray' },
} as const;

function UserStateBadge({ state }: { state: UserState }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={USER_STATE[state].color} data-state={state}>
      {t(USER_STATE[state].label)}
    </Badge>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { sdkAppId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const selected = params.get('user') ?? '';
  const [search, setSearch] = useState(params.get('search') ?? '');
  const base = `/apps/${encodeURIComponent(sdkAppId)}/users`;
  // Pages by UserID: `after` is the last UserID of the page before; `cursors` the starts of earlier pages.
  const after = params.get('after') ?? '';
  const [cursors, setCursors] = useState<string[]>([]);
  const found = useApi<UserPage>(
    `${base}?search=${encodeURIComponent(params.get('search') ?? '')}&limit=${USERS_PAGE}${
      after ? `&after=${encodeURIComponent(after)}` : ''
    }`,
  );
  const small = useSmallScreen();
  const open = (userId: string) => {
    const next = new URLSearchParams(params);
    next.set('user', userId);
    setParams(next);
  };

  function page(direction: 'next' | 'previous') {
    const next = new URLSearchParams({ search: params.get('search') ?? '' });
    if (direction === 'next' && found.data?.next) {
      setCursors([...cursors, after]);
      next.set('after', found.data.next);
    } else {
      const previous = cursors.at(-1);
      setCursors(cursors.slice(0, -1));
      if (previous) next.set('after', previous);
    }
    setParams(next);
  }

  return (
    <Stack>
      <AppPageHeader sdkAppId={sdkAppId} title={t('nav.users')} description={t('users.description')} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setCursors([]);
          setParams({ search });
        }}
      >
        <Group align="flex-end">
          <TextInput
            label={t('users.find')}
            placeholder={t('users.findPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            w={{ base: '100%', xs: 320 }}
          />
          <Button type="submit">{t('common.search')}</Button>
        </Group>
      </form>
      {found.error && <Alert color="red">{found.error}</Alert>}
      {found.data && !selected && (
        <Paper withBorder p="xs">
          {found.data.users.length === 0 ? (
            <Text c="dimmed">{t('users.noMatch')}</Text>
          ) : (
            <>
              {small ? (
                <Stack gap="xs" role="list" aria-label={t('users.table')}>
                  {found.data.users.map((u) => (
                    <Paper key={u.userId} withBorder p="xs" role="listitem" data-testid="user-row">
                      <Group justify="space-between" wrap="nowrap">
                        <Anchor component="button" onClick={() => open(u.userId)} fw={600}>
                          {u.userId}
                        </Anchor>
                        <UserStateBadge state={u.state} />
                      </Group>
                      <Text size="xs" c="dimmed">
                        {t('users.devices')}: {fmt.number(u.instances)} · {t('polish.userVendors')}:{' '}
                        {u.vendors.length ? u.vendors.map(vendorName).join(', ') : t('polish.noVendors')}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {t('polish.lastSeen')}:{' '}
                        {u.lastSeenAt ? fmt.dateTime(u.lastSeenAt) : t('polish.never')}
                      </Text>
                    </Paper>
                  ))}
                </Stack>
              ) : (
                <Table.ScrollContainer minWidth={560}>
                  <Table aria-label={t('users.table')}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>UserID</Table.Th>
                        <Table.Th>{t('polish.userState')}</Table.Th>
                        <Table.Th>{t('users.devices')}</Table.Th>
                        <Table.Th>{t('polish.userVendors')}</Table.Th>
                        <Table.Th>{t('polish.lastSeen')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {found.data.users.map((u) => (
                        <Table.Tr key={u.userId} data-testid="user-row">
                          <Table.Td>
                            <Anchor component="button" onClick={() => open(u.userId)}>
                              {u.userId}
                            </Anchor>
                          </Table.Td>
                          <Table.Td>
                            <UserStateBadge state={u.state} />
                          </Table.Td>
                          <Table.Td>{fmt.number(u.instances)}</Table.Td>
                          <Table.Td>
                            {u.vendors.length ? u.vendors.map(vendorName).join(', ') : t('polish.noVendors')}
                          </Table.Td>
                          <Table.Td>{u.lastSeenAt ? fmt.dateTime(u.lastSeenAt) : t('polish.never')}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
              <Group justify="space-between" mt="xs">
                <Button
                  variant="default"
                  size="xs"
                  disabled={cursors.length === 0}
                  onClick={() => page('previous')}
                >
                  {t('polish.previousPage')}
                </Button>
                <Text size="sm" c="dimmed" data-testid="users-page">
                  {t('polish.pageNumber', { page: cursors.length + 1 })}
                </Text>
                <Button variant="default" size="xs" disabled={!found.data.next} onClick={() => page('next')}>
                  {t('polish.nextPage')}
                </Button>
              </Group>
            </>
          )}
        </Paper>
      )}
      {selected && (
        <UserDetails
          key={selected}
          sdkAppId={sdkAppId}
          userId={selected}
          onBack={() => {
            const next = new URLSearchParams(params);
            next.delete('user');
            setParams(next);
          }}
        />
      )}
    </Stack>
  );
}

function UserDetails({ sdkAppId, userId, onBack }: { sdkAppId: string; userId: string; onBack(): void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const path = `/apps/${encodeURIComponent(sdkAppId)}/users/${encodeURIComponent(userId)}`;
  const { data, error, reload } = useApi<UserDevices>(path);
  const [kicking, setKicking] = useState(false);
  const [confirmingKick, setConfirmingKick] = useState(false);

  async function kick() {
    setConfirmingKick(false);
    setKicking(true);
    try {
      await api('POST', `${path}/kick`);
      notifications.show({ color: 'green', message: t('users.kicked', { userId }) });
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
            {t('users.allUsers')}
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
            {t('users.troubleshoot')}
          </Button>
          {data?.account && (
            <Button color="red" variant="light" loading={kicking} onClick={() => setConfirmingKick(true)}>
              {t('users.kick')}
            </Button>
          )}
        </Group>
      </Group>
      <ConfirmModal
        opened={confirmingKick}
        title={t('users.kickConfirmTitle', { userId })}
        text={t('users.kickConfirmText')}
        confirmLabel={t('users.kickConfirm')}
        onConfirm={kick}
        onClose={() => setConfirmingKick(false)}
      />
      {error && <Alert color="red">{error}</Alert>}
      {!data && !error && <Loader />}
      {data && (
        <>
          <Text size="sm">
            {t('users.unread')} <b data-testid="unread-total">{data.unreadTotal}</b>
            {data.account?.nick ? ` · ${t('users.nickname', { nick: data.account.nick })}` : ''}
            {data.account?.kickedAt
              ? ` · ${t('users.lastKicked', { time: fmt.dateTime(data.account.kickedAt * 1000) })}`
              : ''}
            {data.account ? '' : ` · ${t('users.noAccount')}`}
          </Text>
          {data.instances.length === 0 && <Text c="dimmed">{t('users.noDevices')}</Text>}
          {data.instances.map((i) => (
            <InstanceCard key={i.instanceId} userPath={path} instance={i} onChanged={reload} />
          ))}
        </>
      )}
    </Stack>
  );
}
