import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Belonging } from '../../auth/access-policy';
import { canManageBilling, type Principal } from '../../auth/principal';
import { CreditsScalar } from '../../common/credits.scalar';
import { badInput, invariant } from '../../common/domain-error';
import { positiveAmountProblem } from '../../common/money';
import { Access, argumentOrOwnAccount, type BelongingOfCall, checkedAccount, type ResolverCall } from '../../graphql/access';
import type { GraphQLContext } from '../../graphql/context';
import type { BalancesService } from '../../balances/balances.service';
import type { SubscriptionServices } from '../../notifications/subscription-access';
import { PaymentMethod } from '../providers/payment-provider';
import { CapturePayPalTopUpInput, CreateTopUpInput } from './dtos/create-top-up.input';
import { toTopUp, toTopUpOptions } from './dtos/mappers';
import { TopUpOptions } from './dtos/top-up-options.type';
import { TopUp } from './dtos/top-up.type';
import type { TopUpEntity } from './entities/top-up.entity';
import type { PaymentLifecycle } from './payment-lifecycle';
import type { TopUpListService } from './top-up-list.service';
import type { TopUpsService } from './top-ups.service';

/** What the top-up resolvers use. */
export interface TopUpsResolverServices extends SubscriptionServices {
  topUps: Pick<TopUpsService, 'findById' | 'findByProviderReference' | 'options' | 'create'>;
  paymentLifecycle: Pick<PaymentLifecycle, 'cancel' | 'capturePayPal'>;
  topUpList: Pick<TopUpListService, 'page'>;
  balances: Pick<BalancesService, 'balancesOf'>;
}

export type TopUpsContext = GraphQLContext<TopUpsResolverServices>;

/** The buyer's IP is not carried in the GraphQL context; VNPay accepts the server's own address. */
const UNKNOWN_CLIENT_IP = '127.0.0.1';

/**
 * The account of the top-up an argument names. One that does not exist and one of another account
 * are refused alike (FORBIDDEN, same message), so top-up ids cannot be probed.
 */
export const topUpNamedBy =
  (read: (args: ResolverCall['args']) => string): BelongingOfCall =>
  async ({ args, context }) => {
    const topUp = await (context as TopUpsContext).services.topUps.findById(read(args));
    return { what: 'top-up', accountId: topUp?.accountId ?? null };
  };

/** The top-up a capture names, by its id or by its PayPal order id; an unknown order is refused like another account's. */
async function capturedTopUp(context: TopUpsContext, input: CapturePayPalTopUpInput): Promise<{ what: string; topUp: TopUpEntity | null }> {
  if (input.topUpId) return { what: 'top-up', topUp: await context.services.topUps.findById(input.topUpId) };
  if (!input.orderId) throw badInput('Give topUpId or orderId.', { field: 'topUpId' });
  return { what: 'PayPal order', topUp: await context.services.topUps.findByProviderReference(PaymentMethod.PAYPAL, input.orderId) };
}

const capturedTopUpAccount: BelongingOfCall = async ({ args, context }): Promise<Belonging> => {
  const { what, topUp } = await capturedTopUp(context as TopUpsContext, args.input as CapturePayPalTopUpInput);
  return { what, accountId: topUp?.accountId ?? null };
};

/** A top-up the auth checker has let through (the rules above refuse a missing one). */
export async function checkedTopUp(context: TopUpsContext, id: string): Promise<TopUpEntity> {
  const topUp = await context.services.topUps.findById(id);
  invariant(topUp, `the auth checker let top-up ${id} through`);
  return topUp;
}

@Resolver(() => TopUp)
export class TopUpsResolver {
  @Authorized(Access.readAccount(argumentOrOwnAccount((args) => args.accountId)))
  @Query(() => TopUpOptions, {
    description:
      'Any user of the account (and its partner): whether you may buy credits now (canTopUp, blockers with the codes createTopUp would refuse with), the minimum, suggested amounts, the payment methods open to the account and the exact charge per method. A partner-managed account is offered no method.',
  })
  async topUpOptions(
    @Ctx() context: TopUpsContext,
    @Arg('accountId', () => ID, { nullable: true, description: 'Defaults to your own account.' }) accountId?: string,
    @Arg('amount', () => CreditsScalar, { nullable: true, description: 'Price this amount too (default: the minimum).' }) amount?: bigint,
  ): Promise<TopUpOptions> {
    const principal = context.principal!;
    const account = await checkedAccount(context, accountId ?? principal.accountId ?? '');
    const problem = amount === undefined || amount === null ? null : positiveAmountProblem(amount);
    if (problem) throw badInput(`amount: ${problem}.`, { field: 'amount' });
    const options = await context.services.topUps.options(account.id, { accountId: principal.accountId, role: principal.role });
    return toTopUpOptions(options, amount ?? options.minimumMicros);
  }

  @Authorized(Access.readBelonging(topUpNamedBy((args) => args.id)))
  @Query(() => TopUp, { description: 'One top-up of an account you may see.' })
  async topUp(@Arg('id', () => ID) id: string, @Ctx() context: TopUpsContext): Promise<TopUp> {
    const topUp = await checkedTopUp(context, id);
    return toTopUp(topUp, { showPayment: mayPay(context.principal!, topUp) });
  }

  @Authorized(Access.manageOwnBilling(argumentOrOwnAccount((args) => args.input.accountId)))
  @Mutation(() => TopUp, {
    description:
      'OWNER or BILLING_ADMIN: start buying credits. Returns the top-up with what the console needs to pay (payment.nextAction: a page to open, or a client secret for Stripe.js). Idempotent per account and key.',
  })
  async createTopUp(@Arg('input') input: CreateTopUpInput, @Ctx() context: TopUpsContext): Promise<TopUp> {
    const principal = context.principal!;
    const topUp = await context.services.topUps.create({
      accountId: input.accountId ?? principal.accountId!,
      amountMicros: input.amount,
      method: input.method as PaymentMethod,
      idempotencyKey: input.idempotencyKey,
      returnUrl: input.returnUrl,
      clientIp: context.clientIp ?? UNKNOWN_CLIENT_IP,
      buyer: { accountId: principal.accountId, role: principal.role },
    });
    return toTopUp(topUp, { showPayment: true });
  }

  @Authorized(Access.payBelonging(topUpNamedBy((args) => args.id)))
  @Mutation(() => TopUp, { description: 'OWNER or BILLING_ADMIN: abandon an open top-up. A final top-up cannot be canceled.' })
  async cancelTopUp(@Arg('id', () => ID) id: string, @Ctx() context: TopUpsContext): Promise<TopUp> {
    const topUp = await checkedTopUp(context, id);
    return toTopUp(await context.services.paymentLifecycle.cancel(topUp.id), { showPayment: true });
  }

  @Authorized(Access.payBelonging(capturedTopUpAccount))
  @Mutation(() => TopUp, {
    description:
      'OWNER or BILLING_ADMIN: capture an approved PayPal order (after PayPal returned the buyer). Credits exactly once, whether this or the webhook comes first.',
  })
  async capturePayPalTopUp(@Arg('input') input: CapturePayPalTopUpInput, @Ctx() context: TopUpsContext): Promise<TopUp> {
    const { topUp } = await capturedTopUp(context, input);
    invariant(topUp, 'the auth checker let the captured top-up through');
    return toTopUp(await context.services.paymentLifecycle.capturePayPal(topUp), { showPayment: true });
  }
}

const mayPay = (principal: Principal, topUp: TopUpEntity) => principal.accountId === topUp.accountId && canManageBilling(principal);
