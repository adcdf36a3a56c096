import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  Paper,
  Radio,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { CertificateInfo, PushOutcome } from '@pushline/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api, errorMessage } from '../api';
import { AppPageHeader } from '../components/AppPageHeader';
import { CertificateFormModal } from '../components/CertificateFormModal';
import { ConfirmModal } from '../components/ConfirmModal';
import { CopyValue } from '../components/CopyValue';
import { TestPushModal } from '../components/TestPushModal';
import { useFormat } from '../i18n/format';
import { useSmallScreen } from '../layout/responsive';
import { useApi } from '../useApi';
import { vendorName } from '../vendors';

const vendorLabel = (c: CertificateInfo) => `${vendorName(c.vendor)}${c.kind === 'voip' ? ' VoIP' : ''}`;

/** Active or paused (and how), and verified (a vendor accepted a push of it) or untested. */
function StatusBadges({ c }: { c: CertificateInfo }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Stack gap={4} align="flex-start">
      <Badge color={c.status === 'active' ? 'teal' : 'red'} title={c.pausedReason ?? undefined}>
        {t(`certificates.statusValue.${c.status}`)}
      </Badge>
      <Tooltip
        label={
          c.verifiedAt === null
            ? t('polish.untestedHelp')
            : t('polish.verifiedHelp', { time: fmt.dateTime(c.verifiedAt) })
        }
        multiline
        w={240}
        withArrow
      >
        <Badge
          variant="light"
          color={c.verifiedAt === null ? 'yellow' : 'green'}
          data-testid={`verification-${c.id}`}
          data-verified={c.verifiedAt === null ? 'false' : 'true'}
        >
          {c.verifiedAt === null ? t('polish.untested') : t('polish.verified')}
        </Badge>
      </Tooltip>
      {c.pausedMode && (
        <Text size="xs">
          {c.pausedMode === 'discard' ? t('certificates.modeDiscard') : t('certificates.modeHold')}
        </Text>
      )}
      {c.pausedReason && (
        <Text size="xs" c="dimmed">
          {c.pausedReason}
        </Text>
      )}
    </Stack>
  );
}

export function CertificatesPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const small = useSmallScreen();
  const { sdkAppId = '' } = useParams();
  const base = `/apps/${encodeURIComponent(sdkAppId)}/certificates`;
  const { data, error, reload } = useApi<{ certificates: CertificateInfo[] }>(base);
  const [editing, setEditing] = useState<CertificateInfo | 'new'>();
  const [testing, setTesting] = useState<CertificateInfo>();
  const [deleting, setDeleting] = useState<CertificateInfo>();
  const [pausing, setPausing] = useState<CertificateInfo>();
  const [pauseMode, setPauseMode] = useState<'hold' | 'discard'>('hold');
  const [pauseReason, setPauseReason] = useState('');

  async function remove(c: CertificateInfo) {
    try {
      await api('DELETE', `${base}/${c.id}`);
      notifications.show({ color: 'green', message: t('certificates.deleted', { id: c.id }) });
      setDeleting(undefined);
      reload();
    } catch (err) {
      notifications.show({ color: 'red', message: errorMessage(err) });
    }
  }

  function askPause(c: CertificateInfo) {
    setPauseMode('hold');
    setPauseReason('');
    setPausing(c);
  }

  async function setPaused(c: CertificateInfo, paused: boolean) {
    try {
      await api(
        'POST',
        `${base}/${c.id}/${paused ? 'pause' : 'resume'}`,
        paused ? { reason: pauseReason.trim() || t('certificates.defaultPauseReason'), mode: pauseMode } : {},
      );
      notifications.show({
        color: 'green',
        message: paused
          ? t(pauseMode === 'hold' ? 'certificates.pausedHold' : 'certificates.pausedDiscard', { id: c.id })
          : t('certificates.resumed', { id: c.id }),
      });
      setPausing(undefined);
      reload();
    } catch (err) {
      notifications.show({ color: 'red', message: errorMessage(err) });
    }
  }

  const actions = (c: CertificateInfo) => (
    <>
      <Button size="xs" variant="light" onClick={() => setTesting(c)}>
        {t('certificates.testPush')}
      </Button>
      <Button size="xs" variant="default" onClick={() => setEditing(c)}>
        {t('certificates.edit')}
      </Button>
      {c.status === 'active' ? (
        <Button size="xs" variant="default" color="red" onClick={() => askPause(c)}>
          {t('certificates.pause')}
        </Button>
      ) : (
        <Button size="xs" variant="default" onClick={() => setPaused(c, false)}>
          {t('certificates.resume')}
        </Button>
      )}
      <Button size="xs" variant="subtle" color="red" onClick={() => setDeleting(c)}>
        {t('certificates.delete')}
      </Button>
    </>
  );

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <AppPageHeader
          sdkAppId={sdkAppId}
          title={t('nav.certificates')}
          description={t('certificates.description')}
        />
        <Button onClick={() => setEditing('new')}>{t('certificates.add')}</Button>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {!data && !error && <Loader />}
      {data && data.certificates.length === 0 && <Text c="dimmed">{t('certificates.empty')}</Text>}
      {data && data.certificates.length > 0 && small && (
        // Phones: one card per certificate instead of a table wider than the screen.
        <Stack gap="sm" role="list" aria-label={t('certificates.table')}>
          {data.certificates.map((c) => (
            <Paper key={c.id} withBorder p="sm" role="listitem" data-testid={`certificate-${c.id}`}>
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Stack gap={2} miw={0}>
                  <Text fw={600} truncate>
                    {c.name}
                  </Text>
                  <Text size="sm" c="dimmed">
                    {vendorLabel(c)}
                    {c.environment ? ` · ${t(`certificates.env.${c.environment}`)}` : ''}
                  </Text>
                </Stack>
                <StatusBadges c={c} />
              </Group>
              <Text size="sm" mt={4} ff="monospace">
                <CopyValue value={String(c.id)} label={t('polish.certificateId', { id: c.id })}>
                  ID {c.id}
                </CopyValue>
              </Text>
              <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                {c.appIdentifier}
              </Text>
              <Text size="sm" c={c.expiringSoon ? 'red' : 'dimmed'}>
                {t('certificates.expires')}:{' '}
                {c.expiresAt ? fmt.date(c.expiresAt) : t('certificates.noExpiry')}
                {c.expiringSoon ? ` — ${t('certificates.renew')}` : ''}
              </Text>
              <Group gap={6} mt="xs">
                {actions(c)}
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
      {data && data.certificates.length > 0 && !small && (
        <Table.ScrollContainer minWidth={900}>
          <Table striped withTableBorder aria-label={t('certificates.table')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>ID</Table.Th>
                <Table.Th>{t('certificates.name')}</Table.Th>
                <Table.Th>{t('certificates.vendor')}</Table.Th>
                <Table.Th>{t('certificates.environment')}</Table.Th>
                <Table.Th>{t('certificates.bundle')}</Table.Th>
                <Table.Th>{t('certificates.expires')}</Table.Th>
                <Table.Th>{t('certificates.status')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.certificates.map((c) => (
                <Table.Tr key={c.id} data-testid={`certificate-${c.id}`}>
                  <Table.Td ff="monospace">
                    <CopyValue value={String(c.id)} label={t('polish.certificateId', { id: c.id })} />
                  </Table.Td>
                  <Table.Td>{c.name}</Table.Td>
                  <Table.Td>{vendorLabel(c)}</Table.Td>
                  <Table.Td>{c.environment ? t(`certificates.env.${c.environment}`) : '—'}</Table.Td>
                  <Table.Td ff="monospace">{c.appIdentifier}</Table.Td>
                  <Table.Td>
                    <Text size="sm" c={c.expiringSoon ? 'red' : undefined}>
                      {c.expiresAt ? fmt.date(c.expiresAt) : t('certificates.noExpiry')}
                      {c.expiringSoon ? ` — ${t('certificates.renew')}` : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td miw={110}>
                    <StatusBadges c={c} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      {actions(c)}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CertificateFormModal
        sdkAppId={sdkAppId}
        certificate={editing === 'new' ? undefined : editing}
        opened={editing !== undefined}
        onClose={() => setEditing(undefined)}
        onSaved={reload}
      />
      <Modal
        fullScreen={small}
        opened={pausing !== undefined}
        onClose={() => setPausing(undefined)}
        title={t('certificates.pauseTitle', { id: pausing?.id ?? '' })}
      >
        <Stack>
          <Text size="sm">{t('certificates.pauseText')}</Text>
          <Radio.Group
            label={t('certificates.pauseMode')}
            value={pauseMode}
            onChange={(v) => setPauseMode(v as 'hold' | 'discard')}
          >
            <Stack gap="xs" mt="xs">
              <Radio value="hold" label={t('certificates.hold')} description={t('certificates.holdHelp')} />
              <Radio
                value="discard"
                label={t('certificates.discard')}
                description={t('certificates.discardHelp')}
              />
            </Stack>
          </Radio.Group>
          <TextInput
            label={t('certificates.reason')}
            placeholder={t('certificates.defaultPauseReason')}
            value={pauseReason}
            onChange={(e) => setPauseReason(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setPausing(undefined)}>
              {t('common.cancel')}
            </Button>
            <Button color="red" onClick={() => pausing && setPaused(pausing, true)}>
              {t('certificates.pauseConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <ConfirmModal
        opened={deleting !== undefined}
        title={t('certificates.deleteTitle', { id: deleting?.id ?? '' })}
        text={t('certificates.deleteText', { id: deleting?.id })}
        confirmLabel={t('certificates.deleteConfirm')}
        onConfirm={() => deleting && remove(deleting)}
        onClose={() => setDeleting(undefined)}
      />
      <TestPushModal
        opened={testing !== undefined}
        title={t('certificates.testPushTitle', { id: testing?.id ?? '' })}
        askToken
        onClose={() => setTesting(undefined)}
        send={async ({ token, text }) => {
          const { outcome } = await api<{ outcome: PushOutcome }>('POST', `${base}/${testing!.id}/test`, {
            token,
            text,
          });
          // An accepted test push verifies the certificate: show it.
          if (outcome.kind === 'sent') reload();
          return outcome;
        }}
      />
    </Stack>
  );
}
