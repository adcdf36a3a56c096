import { AppShell, Badge, Button, Group, Menu, NavLink, Text, Title, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../auth';
import { ChangePasswordModal } from '../components/ChangePasswordModal';
import { AppNav } from './AppNav';

/**
 * Header with the signed-in user (a menu: change password) and sign-out, a navigation bar, and the
 * current page.
 */
export function ConsoleLayout() {
  const { user, signOut } = useAuth();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [changingPassword, setChangingPassword] = useState(false);

  async function handleSignOut() {
    await signOut();
    navigate('/sign-in', { replace: true });
  }

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm' }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Title order={3}>Pushline</Title>
          <Group gap="sm">
            <Menu position="bottom-end" withArrow>
              <Menu.Target>
                <UnstyledButton aria-label="Account menu">
                  <Group gap="sm">
                    <Text size="sm" data-testid="signed-in-user">
                      {user?.username}
                    </Text>
                    <Badge variant="light" color={user?.role === 'admin' ? 'indigo' : 'gray'}>
                      {user?.role}
                    </Badge>
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>Signed in as {user?.username}</Menu.Label>
                <Menu.Item onClick={() => setChangingPassword(true)}>Change password</Menu.Item>
              </Menu.Dropdown>
            </Menu>
            <Button variant="default" size="xs" onClick={handleSignOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        <NavLink component={Link} to="/apps" label="Apps" active={pathname === '/apps'} />
        <AppNav />
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
      <ChangePasswordModal opened={changingPassword} onClose={() => setChangingPassword(false)} />
    </AppShell>
  );
}
