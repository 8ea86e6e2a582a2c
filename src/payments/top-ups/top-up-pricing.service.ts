import type { PaymentsConfig } from '../../config';
import { PaymentMethod, type PaymentCurrency } from '../providers/payment-provider';
import { chargeMinorFor, CreditPrice, parseCreditPrice } from './pricing';

export interface MethodQuote {
  method: PaymentMethod;
  currency: PaymentCurrency;
  price: CreditPrice;
}

export interface TopUpOptionsResult {
  accountId: string;
  minimumMicros: bigint;
  suggestedMicros: bigint[];
  methods: MethodQuote[];
}

/** VNPay and PayPal serve Vietnam only; Stripe takes cards from everywhere. */
const METHODS_BY_REGION: { method: PaymentMethod; currency: PaymentCurrency; regions: readonly string[] | 'ALL' }[] = [
  { method: PaymentMethod.VNPAY, currency: 'VND', regions: ['VN'] },
  { method: PaymentMethod.PAYPAL, currency: 'USD', regions: ['VN'] },
  { method: PaymentMethod.STRIPE, currency: 'USD', regions: 'ALL' },
];

/** The configured prices and limits, and which of the configured methods an account's region opens. */
export class TopUpPricing {
  private readonly prices: Record<PaymentCurrency, CreditPrice>;

  /** `configured`: the methods whose provider this server has settings for (or a stand-in). */
  constructor(
    private readonly config: PaymentsConfig,
    private readonly configured: ReadonlySet<PaymentMethod>,
  ) {
    this.prices = { USD: parseCreditPrice('USD', config.creditPriceUsd), VND: parseCreditPrice('VND', config.creditPriceVnd) };
  }

  get minimumMicros(): bigint {
    return this.config.minimumMicros;
  }

  isConfigured(method: PaymentMethod): boolean {
    return this.configured.has(method);
  }

  methodsFor(region: string): MethodQuote[] {
    const opened = METHODS_BY_REGION.filter((entry) => this.configured.has(entry.method) && (entry.regions === 'ALL' || entry.regions.includes(region)));
    return opened.map((entry) => ({
      method: entry.method,
      currency: entry.currency,
      price: this.prices[entry.currency],
    }));
  }

  quoteFor(region: string, method: PaymentMethod): MethodQuote | null {
    return this.methodsFor(region).find((quote) => quote.method === method) ?? null;
  }

  options(account: { id: string; region: string }): TopUpOptionsResult {
    return {
      accountId: account.id,
      minimumMicros: this.config.minimumMicros,
      suggestedMicros: [...this.config.suggestedMicros],
      methods: this.methodsFor(account.region),
    };
  }

  chargeMinor(amountMicros: bigint, quote: MethodQuote): bigint {
    return chargeMinorFor(amountMicros, quote.price);
  }
}
