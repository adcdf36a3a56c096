import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import type { CheckStatus, TroubleshootResult } from '@pushline/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { useExplainAnswer } from '../answers';
import { AppPageHeader } from '../components/AppPageHeader';
import { useFormat } from '../i18n/format';
import { useMessageText } from '../messageText';
import { useApi } from '../useApi';
import { vendorName } from '../vendors';

const STATUS = {
  ok: { color: 'teal', label: 'troubleshoot.statusOk' },
  problem: { color: 'red', label: 'troubleshoot.statusProblem' },
  warning: { color: 'yellow', label: 'troubleshoot.statusWarning' },
  info: { color: 'gray', label: 'troubleshoot.statusInfo' },
} satisfies Record<CheckStatus, { color: string; label: string }>;

export function TroubleshootPage() {
  const { t } = useTranslation();
  const { sdkAppId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const [form, setForm] = useState({
    userId: params.get('userId') ?? '',
    msgKey: params.get('msgKey') ?? '',
    pushId: params.get('pushId') ?? '',
  });
  const asked = params.get('userId');

  return (
    <Stack>
      <AppPageHeader
        sdkAppId={sdkAppId}
        title={t('nav.troubleshoot')}
        description={t('troubleshoot.description')}
      />
      <Paper withBorder p="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const next: Record<string, string> = { userId: form.userId.trim() };
            if (form.msgKey.trim()) next.msgKey = form.msgKey.trim();
            if (form.pushId.trim()) next.pushId = form.pushId.trim();
            setParams(next);
          }}
        >
          <Group align="flex-end">
            <TextInput
              label="UserID"
              required
              value={form.userId}
              onChange={(e) => setForm({ ...form, userId: e.currentTarget.value })}
            />
            <TextInput
              label={t('troubleshoot.msgKey')}
              placeholder={t('troubleshoot.msgKeyPlaceholder')}
              value={form.msgKey}
              onChange={(e) => setForm({ ...form, msgKey: e.currentTarget.value })}
            />
            <TextInput
              label={t('troubleshoot.pushId')}
              value={form.pushId}
              onChange={(e) => setForm({ ...form, pushId: e.currentTarget.value })}
            />
            <Button type="submit" disabled={!form.userId.trim()}>
              {t('troubleshoot.check')}
            </Button>
          </Group>
        </form>
      </Paper>
      {asked && <Results key={params.toString()} sdkAppId={sdkAppId} query={params.toString()} />}
    </Stack>
  );
}

function Results({ sdkAppId, query }: { sdkAppId: string; query: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const messageText = useMessageText();
  const { data, error, loading, reload } = useApi<TroubleshootResult>(
    `/apps/${encodeURIComponent(sdkAppId)}/troubleshoot?${query}`,
  );
  if (error) return <Alert color="red">{error}</Alert>;
  if (!data) return <Loader />;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={3}>{t('troubleshoot.checksFor', { userId: data.userId })}</Title>
        <Button variant="default" size="xs" onClick={reload} loading={loading}>
          {t('troubleshoot.checkAgain')}
        </Button>
      </Group>
      <Stack gap="xs" data-testid="checks">
        {data.checks.map((c) => (
          <Paper
            key={c.id}
            withBorder
            p="sm"
            data-testid={`check-${c.id}`}
            data-status={c.status}
            style={{ borderLeft: `4px solid var(--mantine-color-${STATUS[c.status].color}-6)` }}
          >
            <Group gap="xs" mb={4}>
              <Badge color={STATUS[c.status].color}>{t(STATUS[c.status].label)}</Badge>
              <Text fw={600} data-testid="check-title">
                {messageText(c.messages.title)}
              </Text>
            </Group>
            {c.messages.detail.map((line, i) => (
              // Lines have no ID; their order is what they are.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              <Text key={i} size="sm" data-testid="check-detail">
                {messageText(line)}
              </Text>
            ))}
            {c.messages.fix && (
              <Text size="sm" mt={4}>
                <b>{t('troubleshoot.fix')}</b> {messageText(c.messages.fix)}
              </Text>
            )}
          </Paper>
        ))}
      </Stack>
      {data.pushes.length > 0 && (
        <Paper withBorder p="md">
          <Title order={4} mb="xs">
            {t('troubleshoot.recentPushes', { userId: data.userId })}
          </Title>
          <Table.ScrollContainer minWidth={520}>
            <Table aria-label={t('troubleshoot.recentTable')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('common.time')}</Table.Th>
                  <Table.Th>PushID</Table.Th>
                  <Table.Th>{t('troubleshoot.device')}</Table.Th>
                  <Table.Th>{t('troubleshoot.result')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.pushes.map((p) => (
                  <Table.Tr key={p.pushId}>
                    <Table.Td>{fmt.dateTime(p.createdAt)}</Table.Td>
                    <Table.Td ff="monospace" fz="xs">
                      {p.pushId}
                    </Table.Td>
                    <Table.Td>
                      {p.instanceId ?? '—'}
                      {p.vendor ? ` · ${vendorName(p.vendor)}` : ''}
                      {p.certificateId ? ` · ${t('troubleshoot.cert', { id: p.certificateId })}` : ''}
                    </Table.Td>
                    <Table.Td>
                      <Badge size="sm" tt="none" color={STATUS[p.explanation.status].color} mr={6}>
                        {p.answer?.code ?? p.answer?.stage ?? p.skipReason ?? t('troubleshoot.queued')}
                      </Badge>
                      <Text span size="sm" data-testid="push-explanation">
                        {messageText(p.explanation.messages.text)}
                      </Text>
                      <PushAnswer vendor={p.vendor} answer={p.answer} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </Stack>
  );
}

/** A vendor answer's meaning and what to do, in the console's language (the vendor answers table). */
function PushAnswer({
  vendor,
  answer,
}: {
  vendor: string | null;
  answer: { stage: string; code: string | null } | null;
}) {
  const { t } = useTranslation();
  const explain = useExplainAnswer();
  // The troubleshooter names a pending retry `retry`; push records name it `retrying`.
  const explained =
    answer && explain(vendor, answer.code, answer.stage === 'retry' ? 'retrying' : answer.stage);
  if (!explained) return null;
  return (
    <Text size="xs" c="dimmed" data-testid="troubleshoot-answer">
      <b>{t('answers.meaning')}</b> {explained.meaning} <b>{t('answers.action')}</b> {explained.action}
    </Text>
  );
}
