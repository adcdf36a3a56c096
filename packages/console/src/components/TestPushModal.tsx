import { Alert, Button, Group, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import type { PushOutcome } from '@pushline/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api';
import { useSmallScreen } from '../layout/responsive';

interface Props {
  opened: boolean;
  title: string;
  /** Ask for the device token (certificate test); false when the target is a known binding. */
  askToken: boolean;
  onClose(): void;
  send(input: { token: string; text: string }): Promise<PushOutcome>;
}

/** Sends one test notification and shows the vendor's answer. */
export function TestPushModal({ opened, title, askToken, onClose, send }: Props) {
  const { t } = useTranslation();
  const small = useSmallScreen();
  const [token, setToken] = useState('');
  const [text, setText] = useState(() => t('testPush.defaultText'));
  const [outcome, setOutcome] = useState<PushOutcome>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (opened) {
      setOutcome(undefined);
      setError(undefined);
    }
  }, [opened]);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (askToken && !token.trim()) {
      setError(t('testPush.tokenRequired'));
      return;
    }
    setBusy(true);
    setError(undefined);
    setOutcome(undefined);
    try {
      setOutcome(await send({ token: token.trim(), text }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal fullScreen={small} opened={opened} onClose={onClose} title={title} size="lg">
      <form onSubmit={submit}>
        <Stack>
          {askToken && (
            <Textarea
              label={t('testPush.token')}
              description={t('testPush.tokenHelp')}
              autosize
              minRows={2}
              value={token}
              onChange={(e) => setToken(e.currentTarget.value)}
            />
          )}
          <TextInput
            label={t('testPush.text')}
            maxLength={200}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
          />
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          {outcome && (
            <Alert color={outcome.kind === 'sent' ? 'green' : 'red'} data-testid="test-push-outcome">
              {outcome.kind === 'sent'
                ? t('testPush.sent')
                : `${t('testPush.answered', { code: outcome.code ?? outcome.kind, kind: outcome.kind })}${outcome.detail ? `: ${outcome.detail}` : ''}`}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.close')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('testPush.send')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
