import {
  AppShell,
  Badge,
  Burger,
  Button,
  Group,
  Menu,
  NavLink,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../auth';
import { ChangePasswordModal } from '../components/ChangePasswordModal';
import { AppNav } from './AppNav';
import { ColorSchemeToggle } from './ColorSchemeToggle';
import { LanguageMenu } from './LanguageMenu';
import { NAV_BREAKPOINT } from './responsive';

/**
 * Header with the signed-in user (a menu: change password), the language and sign-out, a navigation bar,
 * and the current page. On small screens the navigation bar is hidden behind a burger in the header and
 * closes again when a page is chosen.
 */
export function ConsoleLayout() {
  const { t } = useTranslation();
  const { user, signOut } = useAuth();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [changingPassword, setChangingPassword] = useState(false);
  const [navOpened, nav] = useDisclosure(false);

  // A new page closes the navigation bar (on small screens it covers the page).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every page change
  useEffect(() => nav.close(), [pathname]);

  async function handleSignOut() {
    await signOut();
    navigate('/sign-in', { replace: true });
  }

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: NAV_BREAKPOINT, collapsed: { mobile: !navOpened } }}
      padding={{ base: 'sm', sm: 'lg' }}
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Burger
              opened={navOpened}
              onClick={nav.toggle}
              hiddenFrom={NAV_BREAKPOINT}
              size="sm"
              aria-label={navOpened ? t('layout.closeNav') : t('layout.openNav')}
              aria-expanded={navOpened}
            />
            <Title order={3}>Pushline</Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Menu position="bottom-end" withArrow>
              <Menu.Target>
                <UnstyledButton aria-label={t('layout.accountMenu')}>
                  <Group gap="sm" wrap="nowrap">
                    <Text size="sm" data-testid="signed-in-user" truncate maw={120}>
                      {user?.username}
                    </Text>
                    <Badge
                      variant="light"
                      color={user?.role === 'admin' ? 'indigo' : 'gray'}
                      visibleFrom="sm"
                    >
                      {user?.role === 'admin' ? t('layout.roleAdmin') : t('layout.roleMember')}
                    </Badge>
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{t('layout.signedInAs', { username: user?.username ?? '' })}</Menu.Label>
                <Menu.Item onClick={() => setChangingPassword(true)}>{t('password.title')}</Menu.Item>
              </Menu.Dropdown>
            </Menu>
            <ColorSchemeToggle />
            <LanguageMenu />
            <Button variant="default" size="xs" onClick={handleSignOut}>
              {t('layout.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label={t('layout.nav')}>
        <NavLink
          component={Link}
          to="/apps"
          label={t('apps.title')}
          active={pathname === '/apps'}
          onClick={nav.close}
        />
        <AppNav onNavigate={nav.close} />
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
      <ChangePasswordModal opened={changingPassword} onClose={() => setChangingPassword(false)} />
    </AppShell>
  );
}
