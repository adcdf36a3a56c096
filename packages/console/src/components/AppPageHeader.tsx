import { Anchor, Breadcrumbs, Group, Stack, Text, Title } from '@mantine/core';
import type { AppDetails } from '@pushline/contracts';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useApi } from '../useApi';

/** Breadcrumbs (Apps > app name > page), the page title with optional actions beside it, and a description. */
export function AppPageHeader({
  sdkAppId,
  title,
  description,
  children,
}: {
  sdkAppId: string;
  title: string;
  description?: ReactNode;
  /** Controls shown at the right of the title (a Refresh button, a Live badge...). */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const { data: app } = useApi<AppDetails>(`/apps/${encodeURIComponent(sdkAppId)}`);
  return (
    <Stack gap={4}>
      <Breadcrumbs style={{ flexWrap: 'wrap' }}>
        <Anchor component={Link} to="/apps">
          {t('apps.title')}
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
      {description && (
        <Text c="dimmed" size="sm">
          {description}
        </Text>
      )}
    </Stack>
  );
}
