import type { PaymentsConfig } from '../../config';
import { type ConfiguredGatewaySettings, type ConfiguredPaymentGateways, createPaymentGateways, type PaymentGatewaySettings } from '../providers/gateways';

/**
 * Local stand-ins for the three providers, as the payment wiring needs them. The composition root
 * is given a way to start them (src/main.ts and the test harness pass src/demo/stand-ins); this
 * production code never imports them.
 */
export interface LocalPaymentProviders {
  /** Ready for `createPaymentGateways`. */
  gatewaySettings: PaymentGatewaySettings;
  /** Where the stand-ins send their webhooks and IPN, once this server listens. */
  setWebhookUrls(urls: { stripe: string; paypal: string; vnpayIpn: string }): void;
  stop(): Promise<void>;
}

export type StartLocalPaymentProviders = () => Promise<LocalPaymentProviders>;

/** The provider gateways, and in the embedded default the local stand-ins they talk to. */
export interface PaymentSetup {
  /** The configured providers' gateways (all three with the stand-ins); null for the others. */
  gateways: ConfiguredPaymentGateways;
  /** Running stand-ins when no provider settings are set (demo, tests); null in production. */
  standIns: LocalPaymentProviders | null;
  /** Points the stand-ins' callbacks (webhooks, IPN) at this server once it listens. */
  connect(baseUrl: string): void;
  close(): Promise<void>;
}

/**
 * Each configured provider gets a real gateway (production may configure any non-empty set); with
 * no provider settings at all (never in production, see config) the stand-ins the caller gives are
 * started, so a person can click through every payment method locally.
 */
export async function setUpPayments(config: PaymentsConfig, startStandIns: StartLocalPaymentProviders | undefined): Promise<PaymentSetup> {
  if (!config.useStandIns) {
    return { gateways: createPaymentGateways(settingsFromConfig(config)), standIns: null, connect: () => undefined, close: async () => undefined };
  }
  if (!startStandIns) throw new Error('no payment provider keys are configured and no local stand-ins were given to start');
  const standIns = await startStandIns();
  return {
    gateways: createPaymentGateways(standIns.gatewaySettings),
    standIns,
    connect(baseUrl) {
      standIns.setWebhookUrls({ stripe: `${baseUrl}/webhooks/stripe`, paypal: `${baseUrl}/webhooks/paypal`, vnpayIpn: `${baseUrl}/webhooks/vnpay/ipn` });
    },
    close: () => standIns.stop(),
  };
}

function settingsFromConfig(config: PaymentsConfig): ConfiguredGatewaySettings {
  const { stripe, paypal, vnpay } = config;
  return {
    stripe: stripe && { secretKey: stripe.secretKey, webhookSecret: stripe.webhookSecret },
    paypal: paypal && {
      clientId: paypal.clientId,
      clientSecret: paypal.clientSecret,
      webhookId: paypal.webhookId,
      environment: paypal.environment,
      certUrlAllowList: paypal.certUrlAllowList,
      webhookCertificateCommonName: paypal.certificateCommonName,
    },
    vnpay: vnpay && { tmnCode: vnpay.tmnCode, hashSecret: vnpay.hashSecret, paymentUrl: vnpay.paymentUrl, apiUrl: vnpay.apiUrl },
  };
}
