import {
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  Paper,
  PasswordInput,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import type { AppDetails } from '@pushline/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../api';
import { useSmallScreen } from '../layout/responsive';

/** The secret key, masked until the user re-enters their password. */
export function SecretKeyCard({ app }: { app: AppDetails }) {
  const { t } = useTranslation();
  const [secret, setSecret] = useState<string>();
  const [asking, setAsking] = useState(false);

  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Title order={4}>{t('secretKey.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('secretKey.text')}
        </Text>
        <Group>
          <Code fz="sm" data-testid="secret-key">
            {secret ?? app.secretKeyMasked}
          </Code>
          {secret ? (
            <>
              <CopyButton value={secret}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="light" onClick={copy}>
                    {copied ? t('common.copied') : t('common.copy')}
                  </Button>
                )}
              </CopyButton>
              <Button size="xs" variant="default" onClick={() => setSecret(undefined)}>
                {t('secretKey.hide')}
              </Button>
            </>
          ) : (
            <Button size="xs" variant="light" onClick={() => setAsking(true)}>
              {t('secretKey.reveal')}
            </Button>
          )}
        </Group>
      </Stack>
      <RevealModal
        sdkAppId={app.sdkAppId}
        opened={asking}
        onClose={() => setAsking(false)}
        onRevealed={(key) => {
          setSecret(key);
          setAsking(false);
        }}
      />
    </Paper>
  );
}

interface RevealProps {
  sdkAppId: number;
  opened: boolean;
  onClose(): void;
  onRevealed(secret: string): void;
}

function RevealModal({ sdkAppId, opened, onClose, onRevealed }: RevealProps) {
  const { t } = useTranslation();
  const small = useSmallScreen();
  const form = useForm({
    initialValues: { password: '' },
    validate: { password: (v) => (v ? null : t('signIn.passwordRequired')) },
  });
  const [busy, setBusy] = useState(false);

  async function submit({ password }: { password: string }) {
    setBusy(true);
    try {
      const { secretKey } = await api<{ secretKey: string }>('POST', `/apps/${sdkAppId}/secret/reveal`, {
        password,
      });
      form.reset();
      onRevealed(secretKey);
    } catch (err) {
      form.setFieldError('password', errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal fullScreen={small} opened={opened} onClose={onClose} title={t('secretKey.confirmTitle')}>
      <form onSubmit={form.onSubmit(submit)}>
        <Stack>
          <Text size="sm">{t('secretKey.confirmText')}</Text>
          <PasswordInput
            label={t('secretKey.yourPassword')}
            autoComplete="current-password"
            data-autofocus
            {...form.getInputProps('password')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('secretKey.revealButton')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
