import { Alert, Button, Group, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { errorMessage } from '../api';
import { useSmallScreen } from '../layout/responsive';
import type { PushOutcome } from '../types';

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
  const small = useSmallScreen();
  const [token, setToken] = useState('');
  const [text, setText] = useState('Test push from the Pushline console');
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
      setError('Enter the device token');
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
              label="Device token"
              description="The token your app got from the vendor (APNs: hex; FCM: registration token...)"
              autosize
              minRows={2}
              value={token}
              onChange={(e) => setToken(e.currentTarget.value)}
            />
          )}
          <TextInput
            label="Text"
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
                ? 'Sent: the vendor accepted the notification.'
                : `The vendor answered ${outcome.code ?? outcome.kind} (${outcome.kind})${outcome.detail ? `: ${outcome.detail}` : ''}`}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Close
            </Button>
            <Button type="submit" loading={busy}>
              Send test push
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
