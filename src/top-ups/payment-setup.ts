import type { PaymentsConfig } from '../config';
import { StandIns, startStandIns } from '../demo/stand-ins';
import { createPaymentGateways, CreatedPaymentGateways, PaymentGatewaySettings } from '../payment-providers/gateways';

/** The provider gateways, and in the embedded default the local stand-ins they talk to. */
export interface PaymentSetup {
  gateways: CreatedPaymentGateways;
  /** Running stand-ins when no provider keys are configured (demo, tests); null in production. */
  standIns: StandIns | null;
  /** Points the stand-ins' callbacks (webhooks, IPN) at this server once it listens. */
  connect(baseUrl: string): void;
  close(): Promise<void>;
}

/**
 * Real provider keys build real gateways; without any (never in production, see config) the
 * server starts the stand-ins itself, so a person can click through every payment method locally.
 */
export async function setUpPayments(config: PaymentsConfig): Promise<PaymentSetup> {
  if (!config.useStandIns) {
    return { gateways: createPaymentGateways(settingsFromConfig(config)), standIns: null, connect: () => undefined, close: async () => undefined };
  }
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

function settingsFromConfig(config: PaymentsConfig): PaymentGatewaySettings {
  const { stripe, paypal, vnpay } = config;
  if (!stripe || !paypal || !vnpay) throw new Error('every provider needs its keys when the stand-ins are not used');
  return {
    stripe: { secretKey: stripe.secretKey, webhookSecret: stripe.webhookSecret },
    paypal: {
      clientId: paypal.clientId,
      clientSecret: paypal.clientSecret,
      webhookId: paypal.webhookId,
      environment: paypal.environment,
      certUrlAllowList: paypal.certUrlAllowList,
      webhookCertificateCommonName: paypal.certificateCommonName,
    },
    vnpay: { tmnCode: vnpay.tmnCode, hashSecret: vnpay.hashSecret, paymentUrl: vnpay.paymentUrl, apiUrl: vnpay.apiUrl },
  };
}
