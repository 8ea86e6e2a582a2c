import { registerEnumType } from 'type-graphql';

/** What a low-balance threshold watches. */
export enum BalanceMeasure {
  /** The total balance: top-up + promotional. */
  TOTAL = 'TOTAL',
  /** A partner's available credit: top-up balance + credit limit, never below 0 (`Balances.availableToTransfer`). */
  AVAILABLE_TO_TRANSFER = 'AVAILABLE_TO_TRANSFER',
}

registerEnumType(BalanceMeasure, {
  name: 'BalanceMeasure',
  description: 'What a low-balance threshold watches.',
  valuesConfig: {
    TOTAL: { description: 'The total balance: top-up + promotional (the default).' },
    AVAILABLE_TO_TRANSFER: {
      description:
        "A partner's available credit, Balances.availableToTransfer: top-up balance + credit limit, never below 0. Transfers and credit-limit changes move it.",
    },
  },
});
