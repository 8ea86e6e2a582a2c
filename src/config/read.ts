import { type DefaultContext, rawDefault, type Setting } from './setting';
import { type SettingName, SETTINGS } from './settings';

export type Env = Record<string, string | undefined>;

/** Each declared setting's value: what the variable says, else its default (null when it has none). */
export type SettingValues = { [N in SettingName]: (typeof SETTINGS)[N] extends Setting<infer T> ? T : never };

/**
 * Reads every declared setting from the environment. An unset or empty variable takes its default;
 * a value its schema refuses adds a problem naming the variable (all are reported at once) and the
 * default stands in, so the rules that combine settings can still run.
 */
export function readSettings(env: Env, problems: string[]): SettingValues {
  // The settings other defaults depend on, read first with their own defaults (which depend on nothing);
  // the loop below reads them again and reports their problems with the rest.
  const base: DefaultContext = { environment: 'development', mysql: false, redis: false };
  const first = (name: SettingName) => readOne(name, env[name], base, []);
  const context: DefaultContext = {
    environment: first('NODE_ENV') as DefaultContext['environment'],
    mysql: first('DATABASE_URL') !== null,
    redis: first('REDIS_URL') !== null,
  };
  const values: Record<string, unknown> = {};
  for (const name of Object.keys(SETTINGS) as SettingName[]) values[name] = readOne(name, env[name], context, problems);
  return values as SettingValues;
}

function readOne(name: SettingName, raw: string | undefined, context: DefaultContext, problems: string[]): unknown {
  const setting: Setting<unknown> = SETTINGS[name];
  if (raw !== undefined && raw !== '') {
    const result = setting.schema.safeParse(raw);
    if (result.success) return result.data;
    problems.push(`${name}: ${result.error.issues.map((issue) => issue.message).join('; ')}`);
  }
  return defaultValue(setting, context);
}

/** A setting's default in a context, parsed by its own schema (a default that does not parse is a bug, caught by the unit tests). */
export function defaultValue(setting: Setting<unknown>, context: DefaultContext): unknown {
  const raw = rawDefault(setting, context);
  return raw === null ? null : setting.schema.parse(raw);
}
