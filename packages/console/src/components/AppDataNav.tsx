import { NavLink } from '@mantine/core';
import { Link, useLocation, useMatch } from 'react-router';

const PAGES = [
  { path: 'phones', label: 'Sandbox phones' },
  { path: 'records', label: 'Push records' },
  { path: 'statistics', label: 'Statistics' },
  { path: 'tasks', label: 'Push tasks' },
];

/** Navigation to the data pages of the app being viewed (shown under "Apps" while an app is open). */
export function AppDataNav() {
  const match = useMatch('/apps/:sdkAppId/*');
  const { pathname } = useLocation();
  const sdkAppId = match?.params.sdkAppId;
  if (!sdkAppId || !/^\d+$/.test(sdkAppId)) return null;
  return (
    <>
      {PAGES.map((p) => {
        const to = `/apps/${sdkAppId}/${p.path}`;
        return (
          <NavLink key={p.path} component={Link} to={to} label={p.label} pl="lg" active={pathname === to} />
        );
      })}
    </>
  );
}
