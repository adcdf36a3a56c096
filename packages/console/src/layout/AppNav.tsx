import { NavLink } from '@mantine/core';
import type { AppDetails } from '@pushline/contracts';
import { useTranslation } from 'react-i18next';
import { Link, matchPath, useLocation } from 'react-router';
import { useAppChanged } from '../appEvents';
import { useApi } from '../useApi';

/**
 * The pages of one app, shown in the navigation bar while an app is open. Add a page here to list it;
 * `labelKey` is its title's key in the translations (src/i18n/en.ts and zh-CN.ts).
 */
export const APP_PAGES: { path: string; labelKey: string }[] = [
  { path: 'overview', labelKey: 'nav.overview' },
  { path: '', labelKey: 'nav.appSettings' },
  { path: 'certificates', labelKey: 'nav.certificates' },
  { path: 'users', labelKey: 'nav.users' },
  { path: 'troubleshoot', labelKey: 'nav.troubleshoot' },
  { path: 'phones', labelKey: 'nav.phones' },
  { path: 'records', labelKey: 'nav.records' },
  { path: 'statistics', labelKey: 'nav.statistics' },
  { path: 'tasks', labelKey: 'nav.tasks' },
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
  const { t } = useTranslation();
  const { data: app, reload } = useApi<AppDetails>(`/apps/${encodeURIComponent(sdkAppId)}`);
  // A rename on the settings page shows here at once.
  useAppChanged(sdkAppId, reload);
  const base = `/apps/${sdkAppId}`;
  return (
    <NavLink
      label={app?.name ?? t('nav.app', { sdkAppId })}
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
            label={t(page.labelKey)}
            active={pathname === to}
            onClick={onNavigate}
          />
        );
      })}
    </NavLink>
  );
}
