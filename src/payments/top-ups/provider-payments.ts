import type { Logger } from '../../common/logger';
import { PaymentGateways, PaymentMethod, PaymentProvider } from '../providers/payment-provider';

/** The provider behind each payment method, and the best-effort cancellation every path shares. */
export class ProviderPayments {
  constructor(
    private readonly gateways: PaymentGateways,
    private readonly logger: Logger,
  ) {}

  of(method: PaymentMethod): PaymentProvider {
    if (method === PaymentMethod.STRIPE) return this.gateways.stripe;
    if (method === PaymentMethod.PAYPAL) return this.gateways.paypal;
    return this.gateways.vnpay;
  }

  /** Best effort: a provider that cannot cancel (already paid, unreachable) is logged, not fatal. */
  async cancelQuietly(method: PaymentMethod, providerReference: string | null): Promise<void> {
    if (!providerReference) return;
    try {
      await this.of(method).cancelPayment(providerReference);
    } catch (error) {
      this.logger.warn({ err: error, method, providerReference }, 'could not cancel the payment at the provider');
    }
  }
}
