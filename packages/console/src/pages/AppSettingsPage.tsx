import { Alert, Anchor, Breadcrumbs, Group, Loader, Stack, Text, Title } from '@mantine/core';
import type { AppDetails } from '@pushline/contracts';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useAuth } from '../auth';
import { AppDetailsForm } from '../components/AppDetailsForm';
import { DeleteAppCard } from '../components/DeleteAppCard';
import { SecretKeyCard } from '../components/SecretKeyCard';
import { useApi } from '../useApi';

export function AppSettingsPage() {
  const { t } = useTranslation();
  const { sdkAppId = '' } = useParams();
  const { user } = useAuth();
  const { data: app, error, setData } = useApi<AppDetails>(`/apps/${encodeURIComponent(sdkAppId)}`);

  return (
    <Stack maw={760}>
      <Breadcrumbs>
        <Anchor component={Link} to="/apps">
          {t('apps.title')}
        </Anchor>
        <Text>{app?.name ?? sdkAppId}</Text>
      </Breadcrumbs>
      {error && <Alert color="red">{error}</Alert>}
      {!app && !error && <Loader />}
      {app && (
        <>
          <Group justify="space-between" align="baseline">
            <Title order={2}>{app.name}</Title>
            <Text c="dimmed">
              SDKAppID{' '}
              <Text span ff="monospace" c="dark" data-testid="sdkappid">
                {app.sdkAppId}
              </Text>
            </Text>
          </Group>
          <SecretKeyCard app={app} />
          <AppDetailsForm app={app} onSaved={(saved) => setData({ ...app, ...saved })} />
          {user?.role === 'admin' && <DeleteAppCard app={app} />}
        </>
      )}
    </Stack>
  );
}
