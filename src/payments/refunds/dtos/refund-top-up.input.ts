import { Field, ID, InputType } from 'type-graphql';
import { CreditsScalar } from '../../../common/credits.scalar';

@InputType({ description: 'A refund of a paid top-up, made by the platform through the provider that took the money.' })
export class RefundTopUpInput {
  @Field(() => ID, { description: 'A paid top-up (SUCCEEDED or PARTIALLY_REFUNDED).' })
  topUpId!: string;

  @Field(() => CreditsScalar, {
    description:
      "Credits to take back: at most what is left of the purchase (its amount less what was refunded or disputed) and at most the account's top-up balance now.",
  })
  amount!: bigint;

  @Field({ description: 'Why (1 to 500 characters); kept on the refund and in the audit trail.' })
  reason!: string;

  @Field({
    description: 'One refund per key; retrying with the same key and input returns the same refund (and asks the provider again if it never answered).',
  })
  idempotencyKey!: string;
}
