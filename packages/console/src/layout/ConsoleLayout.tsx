import { AppShell, Badge, Button, Group, NavLink, Text, Title } from '@mantine/core';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../auth';
import { AppDataNav } from '../components/AppDataNav';

/** Header with the signed-in user and sign-out, a navigation bar, and the current page. */
export function ConsoleLayout() {
  const { user, signOut } = useAuth();
  const navigate = useNavigate();
  const { pathname } = useLocation();

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
            <Text size="sm" data-testid="signed-in-user">
              {user?.username}
            </Text>
            <Badge variant="light" color={user?.role === 'admin' ? 'indigo' : 'gray'}>
              {user?.role}
            </Badge>
            <Button variant="default" size="xs" onClick={handleSignOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        <NavLink component={Link} to="/apps" label="Apps" active={pathname.startsWith('/apps')} />
        <AppDataNav />
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
