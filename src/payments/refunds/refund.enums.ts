import { registerEnumType } from 'type-graphql';

/**
 * A platform refund's life at the provider. Its credits leave when it is PENDING; FAILED (the
 * provider refused, at once or later) gave them back, once; SUCCEEDED is the provider's confirmation.
 */
export enum RefundStatus {
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}

registerEnumType(RefundStatus, {
  name: 'RefundStatus',
  description: 'Where a refund made by the platform stands at the payment provider.',
  valuesConfig: {
    PENDING: { description: 'The credits left the account; the provider has not confirmed the refund yet.' },
    SUCCEEDED: { description: 'The provider confirmed it: the money is on its way back to the buyer.' },
    FAILED: { description: 'The provider refused it (at once, or later); its credits came back to the account, once.' },
  },
});
