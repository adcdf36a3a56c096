import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSmallScreen } from '../layout/responsive';

interface Props {
  opened: boolean;
  title: string;
  /** What the action does, in words: shown above the buttons. */
  text: string;
  /** The red button's label: says what happens ("Delete certificate", "Kick every device"). */
  confirmLabel: string;
  /** The other button's label (default "Cancel"; say "Keep it" when the action itself is a cancel). */
  dismissLabel?: string;
  onConfirm(): void;
  onClose(): void;
}

/** Asks before an action that cannot be undone; nothing happens until the red button is pressed. */
export function ConfirmModal({ opened, title, text, confirmLabel, dismissLabel, onConfirm, onClose }: Props) {
  const { t } = useTranslation();
  const small = useSmallScreen();
  return (
    <Modal fullScreen={small} opened={opened} onClose={onClose} title={title}>
      <Stack>
        <Text size="sm">{text}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {dismissLabel ?? t('common.cancel')}
          </Button>
          <Button color="red" onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
