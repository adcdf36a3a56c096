import { Alert, Anchor, Badge, Loader, SimpleGrid, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { AppPageHeader } from '../components/AppPageHeader';
import { PhoneCard } from '../components/PhoneCard';
import type { PhoneNotification, PhonesAnswer } from '../dataTypes';
import { useApi } from '../useApi';

const KEEP = 20;

/** The app's virtual phones while the simulators run (sandbox mode), with notifications arriving live. */
export function SandboxPhonesPage() {
  const { sdkAppId = '' } = useParams();
  const { data, error, loading, reload, setData } = useApi<PhonesAnswer>(`/apps/${sdkAppId}/sandbox/phones`);
  const [live, setLive] = useState(false);
  const running = data?.running === true;
  // The phones shown now, for the event handler (which outlives renders).
  const current = useRef(data);
  current.current = data;

  useEffect(() => {
    if (!running) return;
    // Same-origin EventSource: the browser sends the session cookie; it reconnects by itself.
    const source = new EventSource(`/api/console/apps/${sdkAppId}/sandbox/events`);
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(false);
    source.addEventListener('notification', (e) => {
      const n = JSON.parse((e as MessageEvent<string>).data) as PhoneNotification;
      const shown = current.current;
      if (shown?.running && !shown.phones.some((p) => p.id === n.phoneId)) {
        // A phone bound after the page loaded: fetch the list again (it includes this notification).
        reload();
        return;
      }
      setData((d) => {
        if (!d?.running) return d;
        return {
          ...d,
          phones: d.phones.map((p) =>
            p.id === n.phoneId && !p.notifications.some((x) => x.seq === n.seq)
              ? { ...p, notifications: [n, ...p.notifications].slice(0, KEEP) }
              : p,
          ),
        };
      });
    });
    return () => {
      source.close();
      setLive(false);
    };
  }, [running, sdkAppId, setData, reload]);

  return (
    <Stack>
      <AppPageHeader sdkAppId={sdkAppId} title="Sandbox phones">
        {running && (
          <Badge color={live ? 'green' : 'gray'} variant="dot" data-testid="live-status">
            {live ? 'Live' : 'Connecting…'}
          </Badge>
        )}
      </AppPageHeader>
      {error && <Alert color="red">{error}</Alert>}
      {loading && !data && <Loader />}
      {data && !data.running && (
        <Alert color="gray" title="No virtual phones here">
          {data.message}
        </Alert>
      )}
      {data?.running && (
        <>
          <Text c="dimmed" size="sm">
            Each card is a virtual phone of the built-in vendor simulators, logged in as one of this app's
            users with the app in the background. Pushes to them appear here as they arrive. Send one from{' '}
            <Anchor component={Link} to={`/apps/${sdkAppId}/tasks`}>
              Push tasks
            </Anchor>
            , with the REST API (<code>openim/sendmsg</code>) or with <code>npm run demo</code>.
          </Text>
          {data.phones.length === 0 && (
            <Text c="dimmed">
              None of this app's devices uses a simulator token. The demo app (SDKAppID 1400000000) has one
              phone per vendor.
            </Text>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3, xl: 5 }}>
            {data.phones.map((p) => (
              <PhoneCard key={p.id} phone={p} />
            ))}
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
