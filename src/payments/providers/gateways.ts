import { PaymentGateways } from './payment-provider';
import { PayPalGatewaySettings, PayPalPaymentGateway } from './paypal.gateway';
import { StripeGatewaySettings, StripePaymentGateway } from './stripe.gateway';
import { VnpayGatewaySettings, VnpayPaymentGateway } from './vnpay.gateway';

export type { PayPalGatewaySettings, StripeGatewaySettings, VnpayGatewaySettings };

/**
 * Everything the three adapters are built from. Production values come from configuration; the
 * embedded demo and the tests take them from `startStandIns(...).gatewaySettings`.
 */
export interface PaymentGatewaySettings {
  stripe: StripeGatewaySettings;
  paypal: PayPalGatewaySettings;
  vnpay: VnpayGatewaySettings;
}

/** The settings of the configured providers; null for a provider that is not configured. */
export type ConfiguredGatewaySettings = { [Provider in keyof PaymentGatewaySettings]: PaymentGatewaySettings[Provider] | null };

/** The adapters of the configured providers; null for the others. */
export interface ConfiguredPaymentGateways extends PaymentGateways {
  stripe: StripePaymentGateway | null;
  paypal: PayPalPaymentGateway | null;
  vnpay: VnpayPaymentGateway | null;
}

/** All three adapters (the stand-ins, the tests). */
export interface CreatedPaymentGateways extends ConfiguredPaymentGateways {
  stripe: StripePaymentGateway;
  paypal: PayPalPaymentGateway;
  vnpay: VnpayPaymentGateway;
}

export function createPaymentGateways(settings: PaymentGatewaySettings): CreatedPaymentGateways;
export function createPaymentGateways(settings: ConfiguredGatewaySettings): ConfiguredPaymentGateways;
export function createPaymentGateways(settings: ConfiguredGatewaySettings): ConfiguredPaymentGateways {
  return {
    stripe: settings.stripe && new StripePaymentGateway(settings.stripe),
    paypal: settings.paypal && new PayPalPaymentGateway(settings.paypal),
    vnpay: settings.vnpay && new VnpayPaymentGateway(settings.vnpay),
  };
}
