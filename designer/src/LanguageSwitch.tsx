import { translate, type Language } from './i18n.ts';

/** The switch between Vietnamese and English, top right of every screen: it names the other language. */
export function LanguageSwitch({ language, onChange }: { language: Language; onChange: (language: Language) => void }) {
  return (
    <button type="button" className="link" lang={language === 'vi' ? 'en' : 'vi'} onClick={() => onChange(language === 'vi' ? 'en' : 'vi')}>
      {translate(language, 'language')}
    </button>
  );
}
