import { Field, ObjectType } from 'type-graphql';
import { NextAction, NextActionType } from '../../providers/payment-provider';
import '../top-up.enums';

@ObjectType({
  description:
    'What the buyer does next, the same shape for every provider: follow a redirect (PayPal, VNPay, and Stripe when it asks for one) or confirm a client secret with Stripe.js.',
})
export class PaymentNextAction {
  @Field(() => NextActionType, { description: 'Which of the two; the fields that go with it are set, the others null.' })
  type!: NextActionType;

  @Field(() => String, { nullable: true, description: 'REDIRECT_TO_URL: the page to send the browser to. Null for USE_STRIPE_SDK.' })
  url!: string | null;

  @Field(() => String, { nullable: true, description: "USE_STRIPE_SDK: the intent's client secret for Stripe.js. Null for REDIRECT_TO_URL." })
  clientSecret!: string | null;
}

/** The GraphQL form of a provider's next action; a USE_STRIPE_SDK action carries the intent's client secret. */
export function toPaymentNextAction(action: NextAction, clientSecret: string | null): PaymentNextAction {
  return action.type === NextActionType.REDIRECT_TO_URL
    ? { type: action.type, url: action.url, clientSecret: null }
    : { type: action.type, url: null, clientSecret };
}
