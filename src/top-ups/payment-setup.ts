import type { PaymentsConfig } from '../config';
import { StripeStandIn } from '../demo/stand-ins/stripe.stand-in';
import { VnpayStandIn } from '../demo/stand-ins/vnpay.stand-in';
import type { PaymentGateways, PayPalGateway } from '../payment-providers/payment-provider';
import { PaymentMethod } from '../payment-providers/payment-provider';
import { StripePaymentGateway } from '../payment-providers/stripe.gateway';
import { VnpayPaymentGateway } from '../payment-providers/vnpay.gateway';

/** TEMPORARY until the adapters' gateways.ts and startStandIns() land. */
export interface PaymentSetup {
  gateways: PaymentGateways;
  standIns: { stripe: StripeStandIn; vnpay: VnpayStandIn } | null;
  /** Points the stand-ins' callbacks (webhooks, IPN) at this server once it listens. */
  connect(baseUrl: string): void;
  close(): Promise<void>;
}

export async function setUpPayments(config: PaymentsConfig): Promise<PaymentSetup> {
  if (!config.useStandIns) throw new Error('real provider keys need the gateways module (not there yet)');
  const stripe = await new StripeStandIn().start();
  const vnpay = await new VnpayStandIn().start();
  const paypal: PayPalGateway = {
    method: PaymentMethod.PAYPAL,
    startPayment: async () => {
      throw new Error('PayPal not wired yet');
    },
    cancelPayment: async () => undefined,
    capture: async () => {
      throw new Error('PayPal not wired yet');
    },
    verifyWebhook: async () => null,
  };
  return {
    gateways: { stripe: new StripePaymentGateway(stripe.gatewaySettings()), vnpay: new VnpayPaymentGateway(vnpay.gatewaySettings()), paypal },
    standIns: { stripe, vnpay },
    connect(baseUrl) {
      stripe.webhookUrl = `${baseUrl}/webhooks/stripe`;
      vnpay.ipnUrl = `${baseUrl}/webhooks/vnpay/ipn`;
    },
    async close() {
      await Promise.all([stripe.stop(), vnpay.stop()]);
    },
  };
}
