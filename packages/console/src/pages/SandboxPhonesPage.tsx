import { Alert, Anchor, Badge, Loader, SimpleGrid, Stack, Text } from '@mantine/core';
import type { PhoneNotification, PhonesAnswer } from '@pushline/contracts';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { type ErrorText, serverErrorText } from '../api';
import { AppPageHeader } from '../components/AppPageHeader';
import { PhoneCard } from '../components/PhoneCard';
import { remember, withStreamed } from '../phoneFeed';
import { useApi } from '../useApi';

/** The app's virtual phones while the simulators run (sandbox mode), with notifications arriving live. */
export function SandboxPhonesPage() {
  const { t } = useTranslation();
  const { sdkAppId = '' } = useParams();
  const { data, error, loading, reload, setData } = useApi<PhonesAnswer<ErrorText>>(
    `/apps/${sdkAppId}/sandbox/phones`,
  );
  const [live, setLive] = useState(false);
  // Notifications the stream brought, applied on top of the list (phoneFeed.ts says why).
  const [streamed, setStreamed] = useState<PhoneNotification[]>([]);
  const running = data?.running === true;
  // The phones shown now, for the event handler (which outlives renders).
  const current = useRef(data);
  current.current = data;

  useEffect(() => {
    if (!running) return;
    // Same-origin EventSource: the browser sends the session cookie; it reconnects by itself.
    const source = new EventSource(`/api/console/apps/${sdkAppId}/sandbox/events`);
    source.onopen = () => {
      setLive(true);
      // What reached a phone before the stream (re)opened is only in the list: read it again.
      reload();
    };
    source.onerror = () => setLive(false);
    source.addEventListener('notification', (e) => {
      const n = JSON.parse((e as MessageEvent<string>).data) as PhoneNotification;
      setStreamed((s) => remember(s, n));
      const shown = current.current;
      // A phone bound after the page loaded: fetch the list again to show the phone.
      if (shown?.running && !shown.phones.some((p) => p.id === n.phoneId)) reload();
    });
    return () => {
      source.close();
      setLive(false);
    };
  }, [running, sdkAppId, reload]);
  const phones = useMemo(() => (data?.running ? withStreamed(data.phones, streamed) : []), [data, streamed]);

  return (
    <Stack>
      <AppPageHeader sdkAppId={sdkAppId} title={t('nav.phones')}>
        {running && (
          <Badge color={live ? 'green' : 'gray'} variant="dot" data-testid="live-status">
            {live ? t('phones.live') : t('phones.connecting')}
          </Badge>
        )}
      </AppPageHeader>
      {error && <Alert color="red">{error}</Alert>}
      {loading && !data && <Loader />}
      {data && !data.running && (
        <Alert color="gray" title={t('phones.noneTitle')}>
          {data.text ? serverErrorText(data.text, data.message) : data.message}
        </Alert>
      )}
      {data?.running && (
        <>
          <Text c="dimmed" size="sm">
            <Trans
              i18nKey="phones.intro"
              components={{
                tasks: <Anchor component={Link} to={`/apps/${sdkAppId}/tasks`} />,
                code: <code />,
              }}
            />
          </Text>
          {phones.length === 0 && <Text c="dimmed">{t('phones.noSimulatorDevices')}</Text>}
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3, xl: 5 }}>
            {phones.map((p) => (
              <PhoneCard
                key={p.id}
                phone={p}
                sdkAppId={sdkAppId}
                onChanged={(changed) =>
                  setData((d) =>
                    d?.running
                      ? {
                          ...d,
                          phones: changed
                            ? d.phones.map((x) => (x.id === changed.id ? changed : x))
                            : d.phones.filter((x) => x.id !== p.id),
                        }
                      : d,
                  )
                }
              />
            ))}
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
