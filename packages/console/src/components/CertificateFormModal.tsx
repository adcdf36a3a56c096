import {
  Alert,
  Button,
  Checkbox,
  FileInput,
  Group,
  Modal,
  PasswordInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { CertificateInfo } from '@pushline/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, errorMessage } from '../api';
import { useSmallScreen } from '../layout/responsive';
import { VENDOR_NAMES } from '../vendors';
import { type CertField, fieldsFor, readFile } from './certificate-fields';

type Value = string | boolean | File | null;

interface Props {
  sdkAppId: string;
  /** Edit this certificate; absent: add a new one. */
  certificate?: CertificateInfo | undefined;
  opened: boolean;
  onClose(): void;
  onSaved(certificate: CertificateInfo): void;
}

/**
 * Add or edit a certificate: one form per vendor with file uploads. The server validates the credential
 * (opens the .p12 with its password...) and names the field at fault; the message shows next to it.
 */
export function CertificateFormModal({ sdkAppId, certificate, opened, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const small = useSmallScreen();
  const editing = certificate !== undefined;
  const [vendor, setVendor] = useState(certificate?.vendor ?? 'apns');
  const [apnsAuth, setApnsAuth] = useState<'p12' | 'p8'>(certificate?.publicFields.keyId ? 'p8' : 'p12');
  const [values, setValues] = useState<Record<string, Value>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!opened) return;
    setVendor(certificate?.vendor ?? 'apns');
    setApnsAuth(certificate?.publicFields.keyId ? 'p8' : 'p12');
    setValues(
      certificate
        ? {
            name: certificate.name,
            displayName: certificate.defaults?.displayName ?? '',
            ...currentValues(certificate),
          }
        : {},
    );
    setErrors({});
    setFormError(undefined);
  }, [opened, certificate]);

  const fields = fieldsFor(vendor, apnsAuth);
  const set = (name: string, value: Value) => {
    setValues((v) => ({ ...v, [name]: value }));
    setErrors((e) => ({ ...e, [name]: '' }));
  };

  async function buildBody(): Promise<Record<string, unknown>> {
    const body: Record<string, unknown> = {};
    const name = values.name;
    if (typeof name === 'string' && name.trim() && name !== certificate?.name) body.name = name.trim();
    const displayName = typeof values.displayName === 'string' ? values.displayName.trim() : '';
    if (displayName !== (certificate?.defaults?.displayName ?? '')) {
      // Defaults are replaced as a whole: keep the others as they are.
      const { displayName: _old, ...others } = certificate?.defaults ?? {};
      body.defaults = displayName ? { ...others, displayName } : others;
    }
    // Editing: the non-secret fields show their current values; the credential is sent (and replaced) only
    // when one of them changed or a secret or file was given.
    const current = certificate ? currentValues(certificate) : {};
    const credentialChanged =
      !certificate ||
      fields.some((f) => {
        const v = values[f.name] ?? '';
        return f.kind === 'secret' || f.kind === 'file'
          ? v !== '' && v !== null
          : v !== (current[f.name] ?? '');
      });
    if (!credentialChanged) return body;
    for (const f of fields) {
      const v = values[f.name];
      if (v === undefined || v === null || v === '' || v === false) continue;
      if (f.kind === 'file' && v instanceof File) body[f.name] = await readFile(v, f.read ?? 'text');
      else if (f.kind === 'voip') body.voip = true;
      else body[f.name] = v;
    }
    return body;
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const missing = editing
      ? {}
      : Object.fromEntries(
          fields
            .filter((f) => f.required && !values[f.name])
            .map((f) => [f.name, t('certForm.required', { label: t(f.label) })]),
        );
    if (Object.keys(missing).length > 0) {
      setErrors(missing);
      return;
    }
    setBusy(true);
    setFormError(undefined);
    try {
      const body = await buildBody();
      const saved = editing
        ? await api<{ certificate: CertificateInfo }>(
            'PUT',
            `/apps/${sdkAppId}/certificates/${certificate.id}`,
            body,
          )
        : await api<{ certificate: CertificateInfo }>('POST', `/apps/${sdkAppId}/certificates`, {
            vendor,
            ...body,
          });
      notifications.show({
        color: 'green',
        message: t(editing ? 'certForm.saved' : 'certForm.added', {
          id: saved.certificate.id,
          name: saved.certificate.name,
        }),
      });
      onSaved(saved.certificate);
      onClose();
    } catch (err) {
      if (
        err instanceof ApiError &&
        err.field &&
        (err.field === 'name' ||
          err.field === 'defaults.displayName' ||
          fields.some((f) => f.name === err.field))
      ) {
        setErrors({ [err.field === 'defaults.displayName' ? 'displayName' : err.field]: errorMessage(err) });
      } else setFormError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      fullScreen={small}
      opened={opened}
      onClose={onClose}
      title={editing ? t('certForm.editTitle', { id: certificate.id }) : t('certForm.addTitle')}
      size="lg"
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {formError && (
            <Alert color="red" role="alert">
              {formError}
            </Alert>
          )}
          <Select
            label={t('certificates.vendor')}
            data={Object.entries(VENDOR_NAMES).map(([value, label]) => ({ value, label }))}
            value={vendor}
            onChange={(v) => v && setVendor(v)}
            disabled={editing}
            allowDeselect={false}
          />
          {vendor === 'apns' && !editing && (
            <SegmentedControl
              value={apnsAuth}
              onChange={(v) => setApnsAuth(v as 'p12' | 'p8')}
              data={[
                { value: 'p12', label: t('certForm.p12') },
                { value: 'p8', label: t('certForm.p8') },
              ]}
            />
          )}
          <TextInput
            label={t('certificates.name')}
            description={t('certForm.nameHelp')}
            value={(values.name as string) ?? ''}
            error={errors.name}
            onChange={(e) => set('name', e.currentTarget.value)}
          />
          <TextInput
            label={t('appSettings.displayName')}
            description={t('certForm.displayNameHelp')}
            value={(values.displayName as string) ?? ''}
            error={errors.displayName}
            onChange={(e) => set('displayName', e.currentTarget.value)}
          />
          {editing && (
            <Text size="sm" c="dimmed">
              {t('certForm.editHint')}
            </Text>
          )}
          {fields.map((f) => (
            <FieldInput
              key={`${vendor}-${apnsAuth}-${f.name}`}
              field={f}
              value={values[f.name] ?? null}
              error={errors[f.name]}
              masked={certificate?.maskedSecrets[f.name]}
              editing={editing}
              onChange={(v) => set(f.name, v)}
            />
          ))}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {editing ? t('certForm.save') : t('certificates.add')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The current value of each non-secret form field of a certificate (Key ID, Team ID, bundle ID, environment...). */
function currentValues(c: CertificateInfo): Record<string, Value> {
  const values: Record<string, Value> = {};
  for (const f of fieldsFor(c.vendor, c.publicFields.keyId ? 'p8' : 'p12')) {
    if (f.kind === 'text') {
      const v = c.publicFields[f.name] ?? (f.name === 'bundleId' ? c.appIdentifier : undefined);
      if (v !== undefined) values[f.name] = v;
    } else if (f.kind === 'environment' && c.environment) values[f.name] = c.environment;
    else if (f.kind === 'voip') values[f.name] = c.kind === 'voip';
  }
  return values;
}

function FieldInput(props: {
  field: CertField;
  value: Value;
  error: string | undefined;
  masked: string | undefined;
  editing: boolean;
  onChange(v: Value): void;
}) {
  const { t } = useTranslation();
  const { field: f, value, error, masked, editing, onChange } = props;
  const required = f.required && !editing;
  const placeholder =
    editing && (f.kind === 'secret' || f.kind === 'file')
      ? masked
        ? t('certForm.unchangedMasked', { masked })
        : t('certForm.unchanged')
      : undefined;
  switch (f.kind) {
    case 'file':
      return (
        <FileInput
          label={t(f.label)}
          description={f.description && t(f.description)}
          accept={f.accept}
          required={required}
          placeholder={placeholder ?? t('certForm.chooseFile')}
          clearable
          value={value instanceof File ? value : null}
          error={error || undefined}
          onChange={(file) => onChange(file)}
        />
      );
    case 'secret':
      return (
        <PasswordInput
          label={t(f.label)}
          required={required}
          placeholder={placeholder}
          autoComplete="new-password"
          value={(value as string) ?? ''}
          error={error || undefined}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'environment':
      return (
        <Select
          label={t(f.label)}
          description={f.description && t(f.description)}
          required={required}
          placeholder={f.required ? t('certForm.choose') : t('certForm.fromCertificate')}
          data={[
            { value: 'development', label: t('certForm.development') },
            { value: 'production', label: t('certForm.production') },
          ]}
          clearable={!f.required}
          value={(value as string) || null}
          error={error || undefined}
          onChange={(v) => onChange(v ?? '')}
        />
      );
    case 'voip':
      return (
        <Checkbox
          label={t(f.label)}
          checked={value === true}
          error={error || undefined}
          onChange={(e) => onChange(e.currentTarget.checked)}
        />
      );
    default:
      return (
        <TextInput
          label={t(f.label)}
          description={f.description && t(f.description)}
          required={required}
          placeholder={placeholder}
          value={(value as string) ?? ''}
          error={error || undefined}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
  }
}
