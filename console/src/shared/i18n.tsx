import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import type { Language } from './money';

export type { Language };
export const LANGUAGES: readonly Language[] = ['en', 'vi'];

/**
 * One area's texts (customer screens, partner screens, shared pieces), English and Vietnamese with
 * the same keys: a missing Vietnamese text is a type error, not a blank on the screen.
 */
export type Messages<Keys extends string> = { en: Record<Keys, string>; vi: Record<Keys, string> };

export function defineMessages<Keys extends string>(messages: Messages<Keys>): Messages<Keys> {
  return messages;
}

interface LanguageState {
  language: Language;
  setLanguage(language: Language): void;
}

const STORAGE_KEY = 'console.language';
const LanguageContext = createContext<LanguageState>({ language: 'en', setLanguage: () => undefined });

function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'en' || stored === 'vi') return stored;
  return navigator.language.toLowerCase().startsWith('vi') ? 'vi' : 'en';
}

export function LanguageProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const value = useMemo<LanguageState>(
    () => ({
      language,
      setLanguage(next) {
        localStorage.setItem(STORAGE_KEY, next);
        document.documentElement.lang = next;
        setLanguageState(next);
      },
    }),
    [language],
  );
  return <LanguageContext.Provider value={value}>{children}</LanguageContext.Provider>;
}

export const useLanguage = (): LanguageState => useContext(LanguageContext);

/** The area's texts in the language chosen. */
export function useMessages<Keys extends string>(messages: Messages<Keys>): Record<Keys, string> {
  return messages[useLanguage().language];
}

/** Fills `{name}` placeholders: fill('{count} rows', { count: 3 }). */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** The English / Tiếng Việt switch in the header. */
export function LanguageSwitch() {
  const { language, setLanguage } = useLanguage();
  return (
    <div className="language-switch" role="group" aria-label="Language / Ngôn ngữ">
      {LANGUAGES.map((option) => (
        <button key={option} type="button" aria-pressed={language === option} onClick={() => setLanguage(option)}>
          {option === 'en' ? 'English' : 'Tiếng Việt'}
        </button>
      ))}
    </div>
  );
}
