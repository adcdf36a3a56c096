import { Anchor, Breadcrumbs, Group, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { AppDetails } from '../types';
import { useApi } from '../useApi';

/** Breadcrumbs (Apps > app name > page) and the page title of an app's page. */
export function AppPageHeader({
  sdkAppId,
  title,
  children,
}: {
  sdkAppId: string;
  title: string;
  children?: ReactNode;
}) {
  const { data: app } = useApi<AppDetails>(`/apps/${encodeURIComponent(sdkAppId)}`);
  return (
    <>
      <Breadcrumbs>
        <Anchor component={Link} to="/apps">
          Apps
        </Anchor>
        <Anchor component={Link} to={`/apps/${sdkAppId}`}>
          {app?.name ?? sdkAppId}
        </Anchor>
        <Text>{title}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="center">
        <Title order={2}>{title}</Title>
        {children}
      </Group>
    </>
  );
}
