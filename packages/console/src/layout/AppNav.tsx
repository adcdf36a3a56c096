import { NavLink } from '@mantine/core';
import { Link, matchPath, useLocation } from 'react-router';
import type { AppDetails } from '../types';
import { useApi } from '../useApi';

/** The pages of one app, shown in the navigation bar while an app is open. Add a page here to list it. */
export const APP_PAGES: { path: string; label: string }[] = [
  { path: 'overview', label: 'Overview' },
  { path: '', label: 'App settings' },
  { path: 'certificates', label: 'Push certificates' },
  { path: 'users', label: 'Users and devices' },
  { path: 'troubleshoot', label: 'Troubleshooter' },
  { path: 'phones', label: 'Sandbox phones' },
  { path: 'records', label: 'Push records' },
  { path: 'statistics', label: 'Statistics' },
  { path: 'tasks', label: 'Push tasks' },
];

/** `onNavigate` runs when a page is chosen (the layout closes the navigation bar on small screens). */
export function AppNav({ onNavigate }: { onNavigate?: () => void }) {
  const { pathname } = useLocation();
  const match = matchPath('/apps/:sdkAppId/*', pathname) ?? matchPath('/apps/:sdkAppId', pathname);
  const sdkAppId = match?.params.sdkAppId;
  if (!sdkAppId) return null;
  return <AppPages sdkAppId={sdkAppId} pathname={pathname} onNavigate={onNavigate} />;
}

function AppPages({
  sdkAppId,
  pathname,
  onNavigate,
}: {
  sdkAppId: string;
  pathname: string;
  onNavigate?: () => void;
}) {
  const { data: app } = useApi<AppDetails>(`/apps/${encodeURIComponent(sdkAppId)}`);
  const base = `/apps/${sdkAppId}`;
  return (
    <NavLink
      label={app?.name ?? `App ${sdkAppId}`}
      description={app ? `SDKAppID ${sdkAppId}` : undefined}
      defaultOpened
      childrenOffset={12}
      variant="subtle"
    >
      {APP_PAGES.map((page) => {
        const to = page.path ? `${base}/${page.path}` : base;
        return (
          <NavLink
            key={page.path}
            component={Link}
            to={to}
            label={page.label}
            active={pathname === to}
            onClick={onNavigate}
          />
        );
      })}
    </NavLink>
  );
}
