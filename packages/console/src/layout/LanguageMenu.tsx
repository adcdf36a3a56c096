import { Button, Menu } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, supportedLanguage } from '../i18n';

/** The language switch in the header (and on the sign-in page); i18next remembers the choice in localStorage. */
export function LanguageMenu() {
  const { t, i18n } = useTranslation();
  const current = supportedLanguage(i18n.resolvedLanguage ?? i18n.language);
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          variant="subtle"
          size="xs"
          px={6}
          aria-label={t('layout.language')}
          title={t('layout.language')}
        >
          {current === 'zh-CN' ? '中文' : 'EN'}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {LANGUAGES.map((l) => (
          <Menu.Item
            key={l.code}
            lang={l.code}
            onClick={() => void i18n.changeLanguage(l.code)}
            fw={l.code === current ? 700 : undefined}
            aria-current={l.code === current ? 'true' : undefined}
          >
            {l.label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
