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
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = useForm<Values>({
    initialValues: { audience: 'all', tags: [], tagMatch: 'any', title: '', text: '', fromAccount: '' },
    validate: {
      text: (v) => (v.trim() ? null : 'Enter the notification text'),
      tags: (v, values) => (values.audience === 'tags' && v.length === 0 ? 'Name at least one tag' : null),
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
      notifications.show({ color: 'green', message: 'Push task started' });
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
          <Title order={4}>New push</Title>
          <Text size="sm" c="dimmed">
            Sends one notification to every background device of everyone, or of the users holding the tags
            you name (tags are set with the REST API, e.g. <code>timpush/add_tag</code>).
          </Text>
          <SegmentedControl
            aria-label="Audience"
            data={[
              { value: 'all', label: 'Everyone' },
              { value: 'tags', label: 'Users with tags' },
            ]}
            {...form.getInputProps('audience')}
          />
          {form.values.audience === 'tags' && (
            <Group align="end">
              <TagsInput
                label="Tags"
                placeholder="Type a tag and press Enter"
                style={{ flex: 1 }}
                {...form.getInputProps('tags')}
              />
              <SegmentedControl
                aria-label="Tag match"
                data={[
                  { value: 'any', label: 'Any of them' },
                  { value: 'all', label: 'All of them' },
                ]}
                {...form.getInputProps('tagMatch')}
              />
            </Group>
          )}
          <Group grow align="start">
            <TextInput label="Title" placeholder="Optional" {...form.getInputProps('title')} />
            <TextInput
              label="Sender"
              placeholder="Optional UserID (default: the administrator)"
              {...form.getInputProps('fromAccount')}
            />
          </Group>
          <Textarea label="Text" autosize minRows={1} {...form.getInputProps('text')} />
          {error && <Alert color="red">{error}</Alert>}
          <Group justify="flex-end">
            <Button type="submit" loading={busy}>
              Start push
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
