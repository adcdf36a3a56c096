import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  Radio,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api, errorMessage } from '../api';
import { AppPageHeader } from '../components/AppPageHeader';
import { CertificateFormModal } from '../components/CertificateFormModal';
import { VENDOR_LABELS } from '../components/certificate-fields';
import { TestPushModal } from '../components/TestPushModal';
import { useSmallScreen } from '../layout/responsive';
import type { CertificateInfo, PushOutcome } from '../types';
import { useApi } from '../useApi';

export function CertificatesPage() {
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
      notifications.show({ color: 'green', message: `Deleted certificate ${c.id}` });
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
        paused ? { reason: pauseReason.trim() || 'paused from the console', mode: pauseMode } : {},
      );
      notifications.show({
        color: 'green',
        message: paused
          ? `Certificate ${c.id} paused: its pushes are ${pauseMode === 'hold' ? 'held until you resume it' : 'discarded until you resume it'}`
          : `Certificate ${c.id} resumed: held pushes are being sent`,
      });
      setPausing(undefined);
      reload();
    } catch (err) {
      notifications.show({ color: 'red', message: errorMessage(err) });
    }
  }

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <AppPageHeader
          sdkAppId={sdkAppId}
          title="Push certificates"
          description="Each certificate's ID is the businessID your app reports with its device token."
        />
        <Button onClick={() => setEditing('new')}>Add certificate</Button>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {!data && !error && <Loader />}
      {data && data.certificates.length === 0 && (
        <Text c="dimmed">No certificates yet. Add one per vendor your app uses; pushes need them.</Text>
      )}
      {data && data.certificates.length > 0 && (
        <Table.ScrollContainer minWidth={900}>
          <Table striped withTableBorder aria-label="Certificates">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>ID</Table.Th>
                <Table.Th>Name</Table.Th>
                <Table.Th>Vendor</Table.Th>
                <Table.Th>Environment</Table.Th>
                <Table.Th>Bundle / package</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.certificates.map((c) => (
                <Table.Tr key={c.id} data-testid={`certificate-${c.id}`}>
                  <Table.Td ff="monospace">{c.id}</Table.Td>
                  <Table.Td>{c.name}</Table.Td>
                  <Table.Td>
                    {VENDOR_LABELS[c.vendor] ?? c.vendor}
                    {c.kind === 'voip' ? ' VoIP' : ''}
                  </Table.Td>
                  <Table.Td>{c.environment ?? '—'}</Table.Td>
                  <Table.Td ff="monospace">{c.appIdentifier}</Table.Td>
                  <Table.Td>
                    <Text size="sm" c={c.expiringSoon ? 'red' : undefined}>
                      {c.expiresAt ? new Date(c.expiresAt).toLocaleDateString() : 'does not expire'}
                      {c.expiringSoon ? ' — renew it' : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td miw={90}>
                    <Badge color={c.status === 'active' ? 'teal' : 'red'} title={c.pausedReason ?? undefined}>
                      {c.status}
                    </Badge>
                    {c.pausedMode && (
                      <Text size="xs">
                        {c.pausedMode === 'discard' ? 'pushes discarded' : 'pushes held for the resume'}
                      </Text>
                    )}
                    {c.pausedReason && (
                      <Text size="xs" c="dimmed">
                        {c.pausedReason}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Button size="xs" variant="light" onClick={() => setTesting(c)}>
                        Test push
                      </Button>
                      <Button size="xs" variant="default" onClick={() => setEditing(c)}>
                        Edit
                      </Button>
                      {c.status === 'active' ? (
                        <Button size="xs" variant="default" color="red" onClick={() => askPause(c)}>
                          Pause
                        </Button>
                      ) : (
                        <Button size="xs" variant="default" onClick={() => setPaused(c, false)}>
                          Resume
                        </Button>
                      )}
                      <Button size="xs" variant="subtle" color="red" onClick={() => setDeleting(c)}>
                        Delete
                      </Button>
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
        title={`Pause certificate ${pausing?.id ?? ''}?`}
      >
        <Stack>
          <Text size="sm">Nothing is sent with this certificate until you resume it.</Text>
          <Radio.Group
            label="Pushes of messages that arrive meanwhile"
            value={pauseMode}
            onChange={(v) => setPauseMode(v as 'hold' | 'discard')}
          >
            <Stack gap="xs" mt="xs">
              <Radio
                value="hold"
                label="Hold them and send them when it is resumed"
                description="Pushes whose message lifetime ends first are dropped."
              />
              <Radio
                value="discard"
                label="Discard them"
                description="Pushes already waiting are dropped too; the push records say why."
              />
            </Stack>
          </Radio.Group>
          <TextInput
            label="Reason"
            placeholder="paused from the console"
            value={pauseReason}
            onChange={(e) => setPauseReason(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setPausing(undefined)}>
              Cancel
            </Button>
            <Button color="red" onClick={() => pausing && setPaused(pausing, true)}>
              Pause certificate
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal
        fullScreen={small}
        opened={deleting !== undefined}
        onClose={() => setDeleting(undefined)}
        title={`Delete certificate ${deleting?.id ?? ''}?`}
      >
        <Stack>
          <Text size="sm">
            Devices that reported their token with certificate ID {deleting?.id} get no more pushes until they
            report a token with another certificate. Pushes waiting for it are given up.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(undefined)}>
              Cancel
            </Button>
            <Button color="red" onClick={() => deleting && remove(deleting)}>
              Delete certificate
            </Button>
          </Group>
        </Stack>
      </Modal>
      <TestPushModal
        opened={testing !== undefined}
        title={`Test push with certificate ${testing?.id ?? ''}`}
        askToken
        onClose={() => setTesting(undefined)}
        send={async ({ token, text }) =>
          (await api<{ outcome: PushOutcome }>('POST', `${base}/${testing!.id}/test`, { token, text }))
            .outcome
        }
      />
    </Stack>
  );
}
