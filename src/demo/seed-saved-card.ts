import { Role } from '../auth/principal';
import { isSavedCardEvent } from '../payments/providers/payment-provider';
import type { SavedPaymentMethodsService } from '../payments/auto-recharge/saved-payment-methods.service';
import type { PaymentGateways } from '../payments/providers/payment-provider';
import type { StandIns } from './stand-ins';
import { DEMO } from './demo-accounts';

/** The stand-in's test card whose off-session charges succeed. */
const DEMO_CARD = '4242424242424242';

/**
 * Saves a stand-in test card for the direct customer, the way the console would (a SetupIntent
 * confirmed by the card holder, recorded from Stripe's signed `setup_intent.succeeded`), so the
 * README's auto-recharge examples have a card to name. The event is handed to the same code the
 * webhook route runs: the server does not listen yet. Nothing is seeded with real Stripe keys.
 */
export async function seedDemoSavedCard(
  services: { savedPaymentMethods: Pick<SavedPaymentMethodsService, 'startSetup' | 'recordSetup'>; gateways: Pick<PaymentGateways, 'stripe'> },
  standIns: StandIns | null,
): Promise<void> {
  const stripe = standIns?.stripe;
  const gateway = services.gateways.stripe;
  if (!stripe || !gateway) return;
  const setup = await services.savedPaymentMethods.startSetup(DEMO.directCustomer, { accountId: DEMO.directCustomer, role: Role.OWNER });
  const signed = await stripe.confirmSetup(setup.setupIntentId, { card: DEMO_CARD }, { deliver: false });
  const event = gateway.parseWebhook(Buffer.from(signed.payload), signed.signatureHeader);
  if (event && isSavedCardEvent(event)) await services.savedPaymentMethods.recordSetup(event);
}
