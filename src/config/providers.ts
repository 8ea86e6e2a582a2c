import type { Env, SettingValues } from './read';
import type { Environment } from './setting';
import type { SettingName } from './settings';
import type { PaymentsConfig, PayPalConfig } from './types';

export type ProviderId = 'stripe' | 'paypal' | 'vnpay';

/** Each payment provider and the settings that enable it: all of them, or none. */
export const PROVIDERS: Record<ProviderId, { name: string; settings: readonly SettingName[] }> = {
  stripe: { name: 'Stripe', settings: ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'] },
  paypal: {
    name: 'PayPal',
    settings: ['PAYPAL_CLIENT_ID', 'PAYPAL_CLIENT_SECRET', 'PAYPAL_WEBHOOK_ID', 'PAYPAL_CERT_URL_ALLOW_LIST', 'PAYPAL_WEBHOOK_CERT_COMMON_NAME'],
  },
  vnpay: { name: 'VNPay', settings: ['VNPAY_TMN_CODE', 'VNPAY_HASH_SECRET', 'VNPAY_PAYMENT_URL', 'VNPAY_API_URL'] },
};

const PROVIDER_IDS = Object.keys(PROVIDERS) as ProviderId[];

/**
 * The providers whose settings are all set. One with only some of them is a problem naming the
 * missing ones; production needs at least one provider. Outside production, none at all means the
 * local stand-ins (`useStandIns`).
 */
export function configuredProviders(env: Env, environment: Environment, problems: string[]): { configured: Set<ProviderId>; useStandIns: boolean } {
  const isSet = (name: SettingName) => Boolean(env[name]);
  const configured = new Set<ProviderId>();
  for (const id of PROVIDER_IDS) {
    const { name, settings } = PROVIDERS[id];
    const set = settings.filter(isSet);
    const missing = settings.filter((setting) => !isSet(setting));
    if (set.length === settings.length) configured.add(id);
    else if (set.length > 0)
      problems.push(
        `${missing.join(', ')}: required once ${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set (${name} is half-configured: set all of its settings, or none)`,
      );
  }
  const anySet = PROVIDER_IDS.some((id) => PROVIDERS[id].settings.some(isSet));
  if (environment === 'production' && !anySet) {
    problems.push(`${PROVIDERS.stripe.settings.join(' and ')}, or all of PayPal's or VNPay's settings: required in production (at least one payment provider)`);
  }
  return { configured, useStandIns: !anySet && environment !== 'production' };
}

/** Each configured provider's settings; null for the others. */
export function providerSettings(values: SettingValues, configured: Set<ProviderId>): Pick<PaymentsConfig, 'stripe' | 'paypal' | 'vnpay'> {
  return {
    stripe: configured.has('stripe') ? { secretKey: values.STRIPE_SECRET_KEY ?? '', webhookSecret: values.STRIPE_WEBHOOK_SECRET ?? '' } : null,
    paypal: configured.has('paypal') ? payPalSettings(values) : null,
    vnpay: configured.has('vnpay')
      ? {
          tmnCode: values.VNPAY_TMN_CODE ?? '',
          hashSecret: values.VNPAY_HASH_SECRET ?? '',
          paymentUrl: values.VNPAY_PAYMENT_URL ?? '',
          apiUrl: values.VNPAY_API_URL ?? '',
        }
      : null,
  };
}

function payPalSettings(values: SettingValues): PayPalConfig {
  return {
    clientId: values.PAYPAL_CLIENT_ID ?? '',
    clientSecret: values.PAYPAL_CLIENT_SECRET ?? '',
    webhookId: values.PAYPAL_WEBHOOK_ID ?? '',
    environment: values.PAYPAL_ENVIRONMENT,
    certUrlAllowList: values.PAYPAL_CERT_URL_ALLOW_LIST ?? [],
    certificateCommonName: values.PAYPAL_WEBHOOK_CERT_COMMON_NAME ?? '',
  };
}
