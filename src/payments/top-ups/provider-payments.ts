import { DomainError, ErrorCode } from '../../common/domain-error';
import type { Logger } from '../../common/logger';
import { PaymentGateways, PaymentMethod, PaymentProvider } from '../providers/payment-provider';

/** The refusal of a method whose provider this server has no settings for. */
export function methodNotConfigured(method: PaymentMethod): DomainError {
  return new DomainError(ErrorCode.PAYMENT_METHOD_UNAVAILABLE, `${method} is not offered by this server (its provider is not configured).`, { method });
}

/** The provider behind each payment method, and the best-effort cancellation every path shares. */
export class ProviderPayments {
  constructor(
    private readonly gateways: PaymentGateways,
    private readonly logger: Logger,
  ) {}

  /** The method's provider; PAYMENT_METHOD_UNAVAILABLE when it is not configured. */
  of(method: PaymentMethod): PaymentProvider {
    const gateway = { [PaymentMethod.STRIPE]: this.gateways.stripe, [PaymentMethod.PAYPAL]: this.gateways.paypal, [PaymentMethod.VNPAY]: this.gateways.vnpay }[
      method
    ];
    if (!gateway) throw methodNotConfigured(method);
    return gateway;
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
