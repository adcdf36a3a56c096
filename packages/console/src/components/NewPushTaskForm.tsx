import {
  Alert,
  Box,
  Button,
  Group,
  Image,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { PushTaskView } from '@pushline/contracts';
import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { api, errorMessage } from '../api';
import { useFormat } from '../i18n/format';

type Audience = 'all' | 'tags' | 'attrs' | 'users';

interface Values {
  audience: Audience;
  tags: string[];
  tagMatch: 'any' | 'all';
  /** `name=value` entries. */
  attrs: string[];
  attrMatch: 'any' | 'all';
  /** UserIDs separated by commas, spaces or new lines. */
  userIds: string;
  title: string;
  text: string;
  ext: string;
  image: string;
  sound: string;
  later: boolean;
  /** `YYYY-MM-DDTHH:mm` in the browser's time zone (an <input type="datetime-local"> value). */
  startAt: string;
  fromAccount: string;
}

/** The UserIDs of the list field. */
export function parseUserIds(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).filter(Boolean))];
}

/** `name=value` entries -> {name: value}; undefined when one has no `=`. */
export function parseAttrs(entries: string[]): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const e of entries) {
    const i = e.indexOf('=');
    if (i <= 0) return undefined;
    out[e.slice(0, i).trim()] = e.slice(i + 1).trim();
  }
  return out;
}

/** The audience part of a request (estimate and create take the same fields). */
function audienceBody(v: Values): Record<string, unknown> {
  if (v.audience === 'tags') return { audience: 'tags', tags: v.tags, tagMatch: v.tagMatch };
  if (v.audience === 'attrs')
    return { audience: 'attrs', attrs: parseAttrs(v.attrs) ?? {}, attrMatch: v.attrMatch };
  if (v.audience === 'users') return { audience: 'users', userIds: parseUserIds(v.userIds) };
  return { audience: 'all' };
}

function audienceComplete(v: Values): boolean {
  if (v.audience === 'tags') return v.tags.length > 0;
  if (v.audience === 'attrs') return v.attrs.length > 0 && parseAttrs(v.attrs) !== undefined;
  if (v.audience === 'users') return parseUserIds(v.userIds).length > 0;
  return true;
}

/** How the notification looks on an iPhone lock screen and in an Android shade (an approximation). */
function Previews({ title, text, image }: { title: string; text: string; image: string }) {
  const { t } = useTranslation();
  const shownText = text.trim() || t('composer.previewEmpty');
  const img = /^https:\/\/\S+$/.test(image.trim()) ? image.trim() : '';
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      <Stack gap={4}>
        <Text size="xs" c="dimmed" fw={700} tt="uppercase">
          {t('composer.previewIos')}
        </Text>
        <Paper
          radius="lg"
          p="sm"
          data-testid="preview-ios"
          style={{ background: 'rgba(235,235,240,0.95)', color: '#111' }}
        >
          <Group justify="space-between" wrap="nowrap" align="start">
            <Box style={{ minWidth: 0 }}>
              <Text size="xs" c="#555">
                {t('composer.previewApp')}
              </Text>
              {title.trim() && (
                <Text size="sm" fw={700} lineClamp={1}>
                  {title}
                </Text>
              )}
              <Text size="sm" lineClamp={4}>
                {shownText}
              </Text>
            </Box>
            <Stack gap={4} align="end">
              <Text size="xs" c="#555">
                {t('composer.previewNow')}
              </Text>
              {img && <Image src={img} w={40} h={40} radius="sm" alt="" />}
            </Stack>
          </Group>
        </Paper>
      </Stack>
      <Stack gap={4}>
        <Text size="xs" c="dimmed" fw={700} tt="uppercase">
          {t('composer.previewAndroid')}
        </Text>
        <Paper
          radius="md"
          p="sm"
          data-testid="preview-android"
          style={{ background: '#fff', color: '#202124', boxShadow: '0 1px 3px rgba(0,0,0,0.3)' }}
        >
          <Text size="xs" c="#5f6368">
            {t('composer.previewApp')} · {t('composer.previewNow')}
          </Text>
          {title.trim() && (
            <Text size="sm" fw={600} lineClamp={1}>
              {title}
            </Text>
          )}
          <Text size="sm" c="#3c4043" lineClamp={2}>
            {shownText}
          </Text>
          {img && <Image src={img} mt={6} h={90} radius="sm" fit="cover" alt="" />}
        </Paper>
      </Stack>
    </SimpleGrid>
  );
}

/** How many accounts the chosen audience holds now (POST push-tasks/estimate), refreshed as it changes. */
function useEstimate(sdkAppId: string, values: Values) {
  const [estimate, setEstimate] = useState<{ count: number; unknown: string[] } | { error: string }>();
  const body = audienceComplete(values) ? JSON.stringify(audienceBody(values)) : undefined;
  useEffect(() => {
    setEstimate(undefined);
    if (!body) return;
    let cancelled = false;
    // Typing a tag or a UserID changes the audience at every key: ask once it rests.
    const timer = setTimeout(() => {
      api<{ count: number; unknown: string[] }>(
        'POST',
        `/apps/${sdkAppId}/push-tasks/estimate`,
        JSON.parse(body),
      )
        .then((r) => !cancelled && setEstimate(r))
        .catch((err: unknown) => !cancelled && setEstimate({ error: errorMessage(err) }));
    }, 300);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [sdkAppId, body]);
  return estimate;
}

/**
 * The push composer: everyone, tags, attributes or a UserID list (the v4 `timpush/push` and `timpush/batch`
 * commands, as the app's administrator); title, text, custom data, image, sound; now or later; a preview per
 * platform and the audience size before sending.
 */
export function NewPushTaskForm({
  sdkAppId,
  onStarted,
}: {
  sdkAppId: string;
  onStarted(task: PushTaskView): void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = useForm<Values>({
    initialValues: {
      audience: 'all',
      tags: [],
      tagMatch: 'any',
      attrs: [],
      attrMatch: 'any',
      userIds: '',
      title: '',
      text: '',
      ext: '',
      image: '',
      sound: '',
      later: false,
      startAt: '',
      fromAccount: '',
    },
    validate: {
      text: (v) => (v.trim() ? null : t('newPush.textRequired')),
      tags: (v, values) => (values.audience === 'tags' && v.length === 0 ? t('newPush.tagRequired') : null),
      attrs: (v, values) =>
        values.audience !== 'attrs'
          ? null
          : v.length === 0
            ? t('composer.attrRequired')
            : parseAttrs(v) === undefined
              ? t('composer.attrFormat')
              : null,
      userIds: (v, values) =>
        values.audience === 'users' && parseUserIds(v).length === 0 ? t('composer.usersRequired') : null,
      ext: (v) => {
        if (!v.trim()) return null;
        try {
          JSON.parse(v);
          return null;
        } catch {
          return t('composer.extJson');
        }
      },
      image: (v) => (!v.trim() || /^https:\/\/\S+$/.test(v.trim()) ? null : t('composer.imageHttps')),
      startAt: (v, values) => {
        if (!values.later) return null;
        const at = new Date(v).getTime();
        if (!v || Number.isNaN(at)) return t('composer.startAtRequired');
        return at > Date.now() ? null : t('composer.startAtFuture');
      },
    },
  });
  const estimate = useEstimate(sdkAppId, form.values);

  async function submit(values: Values) {
    setBusy(true);
    setError(undefined);
    try {
      const { task } = await api<{ task: PushTaskView }>('POST', `/apps/${sdkAppId}/push-tasks`, {
        ...audienceBody(values),
        ...(values.title.trim() ? { title: values.title.trim() } : {}),
        text: values.text,
        ...(values.ext.trim() ? { ext: values.ext.trim() } : {}),
        ...(values.image.trim() ? { image: values.image.trim() } : {}),
        ...(values.sound.trim() ? { sound: values.sound.trim() } : {}),
        ...(values.later ? { startAt: new Date(values.startAt).getTime() } : {}),
        ...(values.fromAccount.trim() ? { fromAccount: values.fromAccount.trim() } : {}),
      });
      notifications.show({
        color: 'green',
        message: values.later ? t('composer.scheduled') : t('newPush.started'),
      });
      form.setFieldValue('text', '');
      onStarted(task);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const v = form.values;
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
              { value: 'attrs', label: t('composer.withAttrs') },
              { value: 'users', label: t('composer.userList') },
            ]}
            {...form.getInputProps('audience')}
          />
          {v.audience === 'tags' && (
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
          {v.audience === 'attrs' && (
            <Group align="end">
              <TagsInput
                label={t('composer.attrs')}
                placeholder={t('composer.attrsPlaceholder')}
                style={{ flex: 1 }}
                {...form.getInputProps('attrs')}
              />
              <SegmentedControl
                aria-label={t('composer.attrMatch')}
                data={[
                  { value: 'any', label: t('composer.anyAttr') },
                  { value: 'all', label: t('composer.allAttrs') },
                ]}
                {...form.getInputProps('attrMatch')}
              />
            </Group>
          )}
          {v.audience === 'users' && (
            <Textarea
              label={t('composer.userIds')}
              description={t('composer.userIdsHint')}
              autosize
              minRows={2}
              maxRows={6}
              {...form.getInputProps('userIds')}
            />
          )}
          <Text size="sm" data-testid="audience-estimate">
            {!audienceComplete(v)
              ? t('composer.estimateWaiting')
              : estimate === undefined
                ? t('composer.estimating')
                : 'error' in estimate
                  ? estimate.error
                  : t('composer.estimate', { count: estimate.count, formatted: fmt.number(estimate.count) })}
            {estimate && 'unknown' in estimate && estimate.unknown.length > 0
              ? ` ${t('composer.unknownUsers', { users: estimate.unknown.join(', ') })}`
              : ''}
          </Text>
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
          <Textarea
            label={t('composer.ext')}
            description={t('composer.extHint')}
            placeholder='{"page":"news"}'
            autosize
            minRows={1}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            {...form.getInputProps('ext')}
          />
          <Group grow align="start">
            <TextInput
              label={t('composer.image')}
              description={t('composer.imageHint')}
              placeholder="https://"
              {...form.getInputProps('image')}
            />
            <TextInput
              label={t('composer.sound')}
              description={t('composer.soundHint')}
              placeholder={t('newPush.optional')}
              {...form.getInputProps('sound')}
            />
          </Group>
          <Group align="end">
            <Switch label={t('composer.later')} {...form.getInputProps('later', { type: 'checkbox' })} />
            {v.later && (
              <TextInput
                type="datetime-local"
                label={t('composer.startAt')}
                {...form.getInputProps('startAt')}
              />
            )}
          </Group>
          <Title order={5}>{t('composer.preview')}</Title>
          <Previews title={v.title} text={v.text} image={v.image} />
          {error && <Alert color="red">{error}</Alert>}
          <Group justify="flex-end">
            <Button type="submit" loading={busy}>
              {v.later ? t('composer.schedule') : t('newPush.start')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
