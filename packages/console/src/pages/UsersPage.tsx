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
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, errorMessage } from '../api';
import { AppPageHeader } from '../components/AppPageHeader';
import { ConfirmModal } from '../components/ConfirmModal';
import { InstanceCard } from '../components/InstanceCard';
import { useFormat } from '../i18n/format';
import type { UserDevices } from '../types';
import { useApi } from '../useApi';

export function UsersPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
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
      <AppPageHeader sdkAppId={sdkAppId} title={t('nav.users')} description={t('users.description')} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
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
            <Table.ScrollContainer minWidth={300}>
              <Table aria-label={t('users.table')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>UserID</Table.Th>
                    <Table.Th>{t('users.devices')}</Table.Th>
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
                      <Table.Td>{fmt.number(u.instances)}</Table.Td>
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
