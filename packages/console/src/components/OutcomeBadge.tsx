import { Badge, Tooltip } from '@mantine/core';
import type { RecordOutcome } from '@pushline/contracts';
import { useTranslation } from 'react-i18next';

const COLORS: Record<RecordOutcome, string> = {
  queued: 'gray',
  retrying: 'yellow',
  skipped: 'gray',
  sent: 'blue',
  delivered: 'teal',
  clicked: 'green',
  'invalid-token': 'red',
  rejected: 'red',
  'credential-error': 'red',
  failed: 'red',
  undelivered: 'orange',
};

/** Where a push got to; the skip reason or vendor code on hover. */
export function OutcomeBadge({ outcome, code }: { outcome: RecordOutcome; code: string | null }) {
  const { t } = useTranslation();
  const badge = (
    <Badge color={COLORS[outcome]} variant="light">
      {t(`outcome.${outcome}`)}
    </Badge>
  );
  return code ? <Tooltip label={code}>{badge}</Tooltip> : badge;
}
