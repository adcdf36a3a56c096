// The console's languages: English and Simplified Chinese. The language is the one chosen in the header
// (remembered in localStorage), else the browser's; any Chinese browser gets 简体中文, anything else English.
import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { zhCN } from './zh-CN';

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'zh-CN', label: '简体中文' },
] as const;
export type LanguageCode = (typeof LANGUAGES)[number]['code'];

/** Where the chosen language is remembered. */
export const LANGUAGE_STORAGE_KEY = 'pushline.console.language';

/** A browser or stored language tag as one the console has. */
export function supportedLanguage(tag: string | undefined): LanguageCode {
  return tag?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
    supportedLngs: LANGUAGES.map((l) => l.code),
    fallbackLng: 'en',
    // React escapes what it renders.
    interpolation: { escapeValue: false },
    returnNull: false,
    detection: {
      order: ['localStorage', 'navigator'],
      lookupLocalStorage: LANGUAGE_STORAGE_KEY,
      caches: ['localStorage'],
      convertDetectedLanguage: supportedLanguage,
    },
  });

function setDocumentLanguage(lng: string) {
  document.documentElement.lang = lng;
}
setDocumentLanguage(i18n.language);
i18n.on('languageChanged', setDocumentLanguage);

export { i18n };
