import type { SettingSchema } from './schema';
import type { Config } from './types';

export type Environment = Config['environment'];

/** What a default may depend on besides the environment. */
export interface DefaultContext {
  environment: Environment;
  /** DATABASE_URL is set. */
  mysql: boolean;
  /** REDIS_URL is set. */
  redis: boolean;
}

/**
 * A default, as the raw text an operator would set (so it is parsed, checked and shown like a value):
 * the same everywhere, one for production and one elsewhere, or derived from other settings.
 */
export type DefaultSpec = string | { development: string; production: string } | { derive: (context: DefaultContext) => string; text: string };

/** One environment variable: declared once, read by load.ts, listed by docs.ts. */
export interface Setting<T = unknown> {
  schema: SettingSchema<T>;
  /** Used when the variable is unset or empty; null: the setting stays unset (null). */
  default: DefaultSpec | null;
  description: string;
  /** Filled in by `group`. */
  group: string;
  /** How "unset" reads in the table, when it means something ("the listening address"). */
  unsetText?: string;
  /** Production refuses to start without it; said in the message as the reason. */
  requiredInProduction?: string;
  /** What the table says for production, when a rule elsewhere decides it. */
  productionText?: string;
  /** The value `.env.example` shows for a setting unset by default. */
  example?: string;
  /** A credential: `.env.example` never shows a value for it. */
  secret?: boolean;
}

type Extra = Pick<Setting, 'requiredInProduction' | 'productionText' | 'example' | 'secret' | 'unsetText'>;

/** A setting with a default. */
export function setting<T>(schema: SettingSchema<T>, defaultSpec: DefaultSpec, description: string, extra: Extra = {}): Setting<T> {
  return { schema, default: defaultSpec, description, group: '', ...extra };
}

/** A setting that is unset (null) unless the variable is set. */
export function optional<T>(schema: SettingSchema<T>, description: string, extra: Extra = {}): Setting<T | null> {
  return { schema, default: null, description, group: '', ...extra };
}

/** A titled group of settings: a table in docs/configuration.md and a block of `.env.example`. */
export interface SettingGroup {
  title: string;
  intro: string;
  names: string[];
}

export const SETTING_GROUPS: SettingGroup[] = [];

/** Registers a group (in the order the docs list them) and stamps its title on each setting. */
export function group<S extends Record<string, Setting<unknown>>>(title: string, intro: string, settings: S): S {
  SETTING_GROUPS.push({ title, intro, names: Object.keys(settings) });
  for (const entry of Object.values(settings)) entry.group = title;
  return settings;
}

/** The raw default of a setting in a context, or null when it stays unset. */
export function rawDefault(setting: Setting<unknown>, context: DefaultContext): string | null {
  const spec = setting.default;
  if (spec === null || typeof spec === 'string') return spec;
  if ('derive' in spec) return spec.derive(context);
  return context.environment === 'production' ? spec.production : spec.development;
}
