import {
  Alert,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { api, errorMessage } from '../api';
import type { PushTaskView } from '../dataTypes';

interface Values {
  audience: 'all' | 'tags';
  tags: string[];
  tagMatch: 'any' | 'all';
  title: string;
  text: string;
  fromAccount: string;
}

/** Starts an all-member or tag push (the v4 `timpush/push` command, as the app's administrator). */
export function NewPushTaskForm({
  sdkAppId,
  onStarted,
}: {
  sdkAppId: string;
  onStarted(task: PushTaskView): void;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = useForm<Values>({
    initialValues: { audience: 'all', tags: [], tagMatch: 'any', title: '', text: '', fromAccount: '' },
    validate: {
      text: (v) => (v.trim() ? null : t('newPush.textRequired')),
      tags: (v, values) => (values.audience === 'tags' && v.length === 0 ? t('newPush.tagRequired') : null),
    },
  });

  async function submit(values: Values) {
    setBusy(true);
    setError(undefined);
    try {
      const { task } = await api<{ task: PushTaskView }>('POST', `/apps/${sdkAppId}/push-tasks`, {
        audience: values.audience,
        ...(values.audience === 'tags' ? { tags: values.tags, tagMatch: values.tagMatch } : {}),
        ...(values.title.trim() ? { title: values.title.trim() } : {}),
        text: values.text,
        ...(values.fromAccount.trim() ? { fromAccount: values.fromAccount.trim() } : {}),
      });
      notifications.show({ color: 'green', message: t('newPush.started') });
      form.setFieldValue('text', '');
      onStarted(task);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper withBorder p="md">
      <form onSubmit={form.onSubmit(submit)}>
        <Stack>
          <Title order={4}>{t('newPush.title')}</Title>
          <Text size="sm" c="dimmed">
            <Trans i18nKey="newPush.intro" components={{ code: <code /> }} />
          </Text>
          <SegmentedControl
            aria-label={t('tasks.audience')}
            data={[
              { value: 'all', label: t('newPush.everyone') },
              { value: 'tags', label: t('newPush.withTags') },
            ]}
            {...form.getInputProps('audience')}
          />
          {form.values.audience === 'tags' && (
            <Group align="end">
              <TagsInput
                label={t('newPush.tags')}
                placeholder={t('newPush.tagsPlaceholder')}
                style={{ flex: 1 }}
                {...form.getInputProps('tags')}
              />
              <SegmentedControl
                aria-label={t('newPush.tagMatch')}
                data={[
                  { value: 'any', label: t('newPush.anyTag') },
                  { value: 'all', label: t('newPush.allTags') },
                ]}
                {...form.getInputProps('tagMatch')}
              />
            </Group>
          )}
          <Group grow align="start">
            <TextInput
              label={t('newPush.titleField')}
              placeholder={t('newPush.optional')}
              {...form.getInputProps('title')}
            />
            <TextInput
              label={t('newPush.sender')}
              placeholder={t('newPush.senderPlaceholder')}
              {...form.getInputProps('fromAccount')}
            />
          </Group>
          <Textarea label={t('testPush.text')} autosize minRows={1} {...form.getInputProps('text')} />
          {error && <Alert color="red">{error}</Alert>}
          <Group justify="flex-end">
            <Button type="submit" loading={busy}>
              {t('newPush.start')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
