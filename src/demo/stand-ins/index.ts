import type { PaymentGatewaySettings } from '../../payments/providers/gateways';
import { PayPalStandIn, PayPalStandInOptions } from './paypal.stand-in';
import { StripeStandIn, StripeStandInOptions } from './stripe.stand-in';
import { VnpayStandIn, VnpayStandInOptions } from './vnpay.stand-in';

export { PayPalStandIn, StripeStandIn, VnpayStandIn };
export type { SignedPayPalWebhook, CaptureStatus } from './paypal.stand-in';
export type { SignedStripeEvent } from './stripe.stand-in';
export type { VnpayResult, IpnCall } from './vnpay.stand-in';

export interface StandInsOptions {
  stripe?: StripeStandInOptions;
  paypal?: PayPalStandInOptions;
  vnpay?: VnpayStandInOptions;
}

/** Where each stand-in sends its notifications; can be set once the app knows its own port. */
export interface StandInWebhookUrls {
  stripe?: string;
  paypal?: string;
  vnpayIpn?: string;
}

export interface StandIns {
  stripe: StripeStandIn;
  paypal: PayPalStandIn;
  vnpay: VnpayStandIn;
  /** Ready for `createPaymentGateways`. */
  gatewaySettings: PaymentGatewaySettings;
  setWebhookUrls(urls: StandInWebhookUrls): void;
  /** Waits for webhooks the stand-ins sent on their own (PayPal after capture or approval). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the three provider stand-ins on 127.0.0.1 (free ports). Used by the tests and by the
 * embedded demo; never by a production configuration.
 */
export async function startStandIns(options: StandInsOptions = {}): Promise<StandIns> {
  const stripe = new StripeStandIn(options.stripe);
  const paypal = new PayPalStandIn(options.paypal);
  const vnpay = new VnpayStandIn(options.vnpay);
  const started = await Promise.allSettled([stripe.start(), paypal.start(), vnpay.start()]);
  const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  const stop = async () => {
    await Promise.allSettled([stripe.stop(), paypal.stop(), vnpay.stop()]);
  };
  if (failure) {
    await stop();
    throw failure.reason;
  }
  return {
    stripe,
    paypal,
    vnpay,
    gatewaySettings: { stripe: stripe.gatewaySettings(), paypal: paypal.gatewaySettings(), vnpay: vnpay.gatewaySettings() },
    setWebhookUrls(urls) {
      if (urls.stripe !== undefined) stripe.webhookUrl = urls.stripe;
      if (urls.paypal !== undefined) paypal.webhookUrl = urls.paypal;
      if (urls.vnpayIpn !== undefined) vnpay.ipnUrl = urls.vnpayIpn;
    },
    settled: () => paypal.settled(),
    stop,
  };
}
