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

export interface CreatedPaymentGateways extends PaymentGateways {
  stripe: StripePaymentGateway;
  paypal: PayPalPaymentGateway;
  vnpay: VnpayPaymentGateway;
}

export function createPaymentGateways(settings: PaymentGatewaySettings): CreatedPaymentGateways {
  return {
    stripe: new StripePaymentGateway(settings.stripe),
    paypal: new PayPalPaymentGateway(settings.paypal),
    vnpay: new VnpayPaymentGateway(settings.vnpay),
  };
}
