import { Anchor, Breadcrumbs, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

/** Breadcrumbs (Apps > app > page) and the page title of a page of one app. */
export function AppPageHeader({
  sdkAppId,
  title,
  description,
}: {
  sdkAppId: string;
  title: string;
  description?: ReactNode;
}) {
  return (
    <Stack gap={4}>
      <Breadcrumbs>
        <Anchor component={Link} to="/apps">
          Apps
        </Anchor>
        <Anchor component={Link} to={`/apps/${sdkAppId}`}>
          {sdkAppId}
        </Anchor>
        <Text>{title}</Text>
      </Breadcrumbs>
      <Title order={2}>{title}</Title>
      {description && (
        <Text c="dimmed" size="sm">
          {description}
        </Text>
      )}
    </Stack>
  );
}

export function formatTime(ms: number | null | undefined): string {
  return ms ? new Date(ms).toLocaleString() : '—';
}
