import { Field, ID, InputType } from 'type-graphql';
import { CreditsScalar } from '../../../common/credits.scalar';
import { PaymentMethod } from '../../providers/payment-provider';

@InputType()
export class CreateTopUpInput {
  @Field(() => ID, { nullable: true, description: 'Defaults to your own account.' })
  accountId?: string;

  @Field(() => CreditsScalar, { description: 'Credits to buy; at least topUpOptions.minimumAmount.' })
  amount!: bigint;

  @Field(() => PaymentMethod)
  method!: PaymentMethod;

  @Field({ description: 'Unique per account; retrying with the same key returns the same top-up and payment data.' })
  idempotencyKey!: string;

  @Field({ description: 'Where the browser returns after paying: an https URL on an allowed console origin (http://localhost in development).' })
  returnUrl!: string;
}

@InputType({ description: 'Name the top-up by its id, or the PayPal order by the `token` PayPal appended to the return URL.' })
export class CapturePayPalTopUpInput {
  @Field(() => ID, { nullable: true })
  topUpId?: string;

  @Field({ nullable: true })
  orderId?: string;
}
