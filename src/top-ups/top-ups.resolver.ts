import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { AccessPolicy } from '../auth/access-policy';
import { canManageBilling, type Principal } from '../auth/principal';
import { CreditsScalar } from '../common/credits.scalar';
import { badInput } from '../common/domain-error';
import { positiveAmountProblem } from '../common/money';
import { PaymentMethod } from '../payment-providers/payment-provider';
import { type GraphQLContext, loadVisibleAccount } from '../graphql/context';
import { CapturePayPalTopUpInput, CreateTopUpInput } from './dtos/create-top-up.input';
import { toTopUp, toTopUpOptions } from './dtos/mappers';
import { TopUpOptions } from './dtos/top-up-options.type';
import { TopUp } from './dtos/top-up.type';
import { loadPayableTopUp, loadPayableTopUpOfCapture, loadVisibleTopUp } from './top-up-access';
import type { TopUpEntity } from './entities/top-up.entity';

/** The buyer's IP is not carried in the GraphQL context; VNPay accepts the server's own address. */
const UNKNOWN_CLIENT_IP = '127.0.0.1';

@Resolver(() => TopUp)
export class TopUpsResolver {
  @Query(() => TopUpOptions, {
    description:
      'Any user of the account (and its partner): whether you may buy credits now (canTopUp, blockers with the codes createTopUp would refuse with), the minimum, suggested amounts, the payment methods open to the account and the exact charge per method. A partner-managed account is offered no method.',
  })
  async topUpOptions(
    @Ctx() context: GraphQLContext,
    @Arg('accountId', () => ID, { nullable: true, description: 'Defaults to your own account.' }) accountId?: string,
    @Arg('amount', () => CreditsScalar, { nullable: true, description: 'Price this amount too (default: the minimum).' }) amount?: bigint,
  ): Promise<TopUpOptions> {
    const principal = AccessPolicy.requireAuthenticated(context.principal);
    const account = await loadVisibleAccount(context, accountId ?? principal.accountId ?? '');
    const problem = amount === undefined || amount === null ? null : positiveAmountProblem(amount);
    if (problem) throw badInput(`amount: ${problem}.`, { field: 'amount' });
    const options = await context.services.topUps.options(account.id, { accountId: principal.accountId, role: principal.role });
    return toTopUpOptions(options, amount ?? options.minimumMicros);
  }

  @Query(() => TopUp, { description: 'One top-up of an account you may see.' })
  async topUp(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<TopUp> {
    const topUp = await loadVisibleTopUp(context, id);
    return toTopUp(topUp, { showPayment: mayPay(context.principal!, topUp), demoCheckoutUrl: demoCheckout(context) });
  }

  @Mutation(() => TopUp, {
    description:
      'OWNER or BILLING_ADMIN: start buying credits. Returns the top-up with what the console needs to pay (Stripe clientSecret, PayPal approvalUrl, VNPay redirectUrl). Idempotent per account and key.',
  })
  async createTopUp(@Arg('input') input: CreateTopUpInput, @Ctx() context: GraphQLContext): Promise<TopUp> {
    const principal = AccessPolicy.requireAuthenticated(context.principal);
    const accountId = input.accountId ?? principal.accountId ?? '';
    AccessPolicy.assertCanManageOwnBilling(principal, accountId);
    const topUp = await context.services.topUps.create({
      accountId,
      amountMicros: input.amount,
      method: input.method as PaymentMethod,
      idempotencyKey: input.idempotencyKey,
      returnUrl: input.returnUrl,
      clientIp: context.clientIp ?? UNKNOWN_CLIENT_IP,
      buyer: { accountId: principal.accountId, role: principal.role },
    });
    return toTopUp(topUp, { showPayment: true, demoCheckoutUrl: demoCheckout(context) });
  }

  @Mutation(() => TopUp, { description: 'OWNER or BILLING_ADMIN: abandon an open top-up. A final top-up cannot be canceled.' })
  async cancelTopUp(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<TopUp> {
    const topUp = await loadPayableTopUp(context, id);
    return toTopUp(await context.services.topUps.cancel(topUp.id), { showPayment: true, demoCheckoutUrl: demoCheckout(context) });
  }

  @Mutation(() => TopUp, {
    description:
      'OWNER or BILLING_ADMIN: capture an approved PayPal order (after PayPal returned the buyer). Credits exactly once, whether this or the webhook comes first.',
  })
  async capturePayPalTopUp(@Arg('input') input: CapturePayPalTopUpInput, @Ctx() context: GraphQLContext): Promise<TopUp> {
    const topUp = await loadPayableTopUpOfCapture(context, input);
    return toTopUp(await context.services.topUps.capturePayPal(topUp), { showPayment: true, demoCheckoutUrl: demoCheckout(context) });
  }
}

/** With the local stand-ins, the Stripe stand-in's card page stands in for Stripe.js in the console. */
function demoCheckout(context: GraphQLContext): ((topUp: TopUpEntity) => string | null) | undefined {
  const stripe = context.services.payments.standIns?.stripe;
  if (!stripe) return undefined;
  return (topUp) =>
    topUp.method === PaymentMethod.STRIPE && topUp.providerReference ? stripe.checkoutPageUrl(topUp.providerReference, topUp.returnUrl) : null;
}

const mayPay = (principal: Principal, topUp: TopUpEntity) => principal.accountId === topUp.accountId && canManageBilling(principal);
