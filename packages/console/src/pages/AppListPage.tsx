import { Alert, Anchor, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useAuth } from '../auth';
import { CreateAppModal } from '../components/CreateAppModal';
import type { AppSummary } from '../types';
import { useApi } from '../useApi';

export function AppListPage() {
  const { user } = useAuth();
  const { data, error, loading, reload } = useApi<{ apps: AppSummary[] }>('/apps');
  const [creating, setCreating] = useState(false);
  const isAdmin = user?.role === 'admin';

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Apps</Title>
        {isAdmin && <Button onClick={() => setCreating(true)}>Create app</Button>}
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {loading && !data && <Loader />}
      {data && data.apps.length === 0 && (
        <Text c="dimmed">
          {isAdmin
            ? 'No apps yet. Create one to get an SDKAppID and a secret key.'
            : 'No apps have been shared with you yet. Ask a console admin for access.'}
        </Text>
      )}
      {data && data.apps.length > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table striped highlightOnHover withTableBorder aria-label="Apps">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>SDKAppID</Table.Th>
                <Table.Th>Admin identifier</Table.Th>
                <Table.Th>Created</Table.Th>
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
                  <Table.Td>{new Date(app.createdAt).toLocaleString()}</Table.Td>
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
