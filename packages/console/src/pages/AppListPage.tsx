import { Alert, Anchor, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import type { AppSummary } from '@pushline/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../auth';
import { CreateAppModal } from '../components/CreateAppModal';
import { useFormat } from '../i18n/format';
import { useApi } from '../useApi';

export function AppListPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { user } = useAuth();
  const { data, error, loading, reload } = useApi<{ apps: AppSummary[] }>('/apps');
  const [creating, setCreating] = useState(false);
  const isAdmin = user?.role === 'admin';

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('apps.title')}</Title>
        {isAdmin && <Button onClick={() => setCreating(true)}>{t('apps.create')}</Button>}
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {loading && !data && <Loader />}
      {data && data.apps.length === 0 && (
        <Text c="dimmed">{isAdmin ? t('apps.emptyAdmin') : t('apps.emptyMember')}</Text>
      )}
      {data && data.apps.length > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table striped highlightOnHover withTableBorder aria-label={t('apps.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('apps.name')}</Table.Th>
                <Table.Th>SDKAppID</Table.Th>
                <Table.Th>{t('apps.adminIdentifier')}</Table.Th>
                <Table.Th>{t('apps.created')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.apps.map((app) => (
                <Table.Tr key={app.sdkAppId}>
                  <Table.Td>
                    <Anchor component={Link} to={`/apps/${app.sdkAppId}`}>
                      {app.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td ff="monospace">{app.sdkAppId}</Table.Td>
                  <Table.Td>{app.adminIdentifier}</Table.Td>
                  <Table.Td>{fmt.dateTime(app.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CreateAppModal opened={creating} onClose={() => setCreating(false)} onCreated={reload} />
    </Stack>
  );
}
