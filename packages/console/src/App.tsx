import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useAuth } from './auth';
import { ConsoleLayout } from './layout/ConsoleLayout';
import { AppListPage } from './pages/AppListPage';
import { AppSettingsPage } from './pages/AppSettingsPage';
import { CertificatesPage } from './pages/CertificatesPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OverviewPage } from './pages/OverviewPage';
import { PushRecordsPage } from './pages/PushRecordsPage';
import { SandboxPhonesPage } from './pages/SandboxPhonesPage';
import { SignInPage } from './pages/SignInPage';
import { StatisticsPage } from './pages/StatisticsPage';
import { TasksPage } from './pages/TasksPage';
import { TroubleshootPage } from './pages/TroubleshootPage';
import { UsersPage } from './pages/UsersPage';

/** Pages behind sign-in: anonymous visitors go to the sign-in page and come back afterwards. */
function RequireUser({ children }: { children: ReactNode }) {
  const { user, loading } = useAuth();
  const location = useLocation();
  if (loading) {
    return (
      <Center h="100vh">
        <Loader />
      </Center>
    );
  }
  if (!user) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  return children;
}

export function App() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route
        element={
          <RequireUser>
            <ConsoleLayout />
          </RequireUser>
        }
      >
        <Route index element={<Navigate to="/apps" replace />} />
        <Route path="/apps" element={<AppListPage />} />
        <Route path="/apps/:sdkAppId" element={<AppSettingsPage />} />
        <Route path="/apps/:sdkAppId/overview" element={<OverviewPage />} />
        <Route path="/apps/:sdkAppId/certificates" element={<CertificatesPage />} />
        <Route path="/apps/:sdkAppId/users" element={<UsersPage />} />
        <Route path="/apps/:sdkAppId/troubleshoot" element={<TroubleshootPage />} />
        <Route path="/apps/:sdkAppId/phones" element={<SandboxPhonesPage />} />
        <Route path="/apps/:sdkAppId/records" element={<PushRecordsPage />} />
        <Route path="/apps/:sdkAppId/statistics" element={<StatisticsPage />} />
        <Route path="/apps/:sdkAppId/tasks" element={<TasksPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
