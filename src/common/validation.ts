import { badInput } from './domain-error';

/** Small, explicit input checks used by the services; each refusal names the field. */
export function requiredText(field: string, value: string | null | undefined, limits: { min?: number; max: number }): string {
  const text = (value ?? '').trim();
  const min = limits.min ?? 1;
  if (text.length < min || text.length > limits.max) {
    throw badInput(`${field} must be ${min} to ${limits.max} characters long.`, { field });
  }
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(text)) throw badInput(`${field} must not contain control characters.`, { field });
  return text;
}

export function optionalText(field: string, value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  return requiredText(field, value, { max });
}

const COUNTRY_PATTERN = /^[A-Z]{2}$/;

export function countryCode(field: string, value: string): string {
  const code = (value ?? '').trim().toUpperCase();
  if (!COUNTRY_PATTERN.test(code)) throw badInput(`${field} must be a two-letter country code such as VN or US.`, { field });
  return code;
}

// Deliberately simple: one @, no spaces, a dot in the domain. The invoice mailer verifies further.
const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@]{1,187}\.[^\s@]{2,63}$/;

export function emailAddress(field: string, value: string): string {
  const email = (value ?? '').trim();
  if (email.length > 254 || !EMAIL_PATTERN.test(email)) throw badInput(`${field} must be an e-mail address.`, { field });
  return email;
}
