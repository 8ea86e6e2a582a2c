import { signToken } from '../auth/jwt';
import type { Config } from '../config';
import { type ConsoleSignIn, defineModule, type FeatureModule } from '../feature-module';
import { DEMO_PRINCIPALS } from './demo-accounts';
import { seedDemoData } from './seed';
import { type StandIns, startStandIns } from './stand-ins';
import { createDemoWebhookReceiver, DEMO_WEBHOOK_RECEIVER_PATH } from './webhook-receiver/demo-webhook-receiver';

/** The demo module, and the payment stand-ins it started (null until then, or with provider keys). */
export interface DemoModule extends FeatureModule {
  standIns(): StandIns | null;
}

/**
 * The embedded default, as a module that start-up code (src/main.ts, the release script, the test
 * harness) adds to the list only there: it gives the payment stand-ins, seeds the demo data when
 * SEED_DEMO_DATA is on, mounts the demo webhook receiver beside the stand-ins, and fills in the
 * explorer's demo token. Production code never imports it.
 */
export function demoModule(): DemoModule {
  let standIns: StandIns | null = null;
  const module = defineModule({
    name: 'demo',
    provides: { startPaymentStandIns: async () => (standIns = await startStandIns()) },
    create: (context) => ({
      routes: () =>
        context.payments.standIns
          ? [{ paths: [DEMO_WEBHOOK_RECEIVER_PATH], rateLimit: 'none' as const, handler: createDemoWebhookReceiver(context.runner) }]
          : [],
      // Listed last, so the platform's account and every table exist before the seed.
      ready: async () => {
        if (context.config.seedDemoData) await seedDemoData(context, standIns);
      },
      explorerHeaders: () => demoHeaders(context.config),
      consoleSignIns: () => demoSignIns(context.config),
    }),
  });
  return { ...module, standIns: () => standIns };
}

/** Whether start-up code adds the demo: no provider keys (stand-ins) or demo data asked for; never in production. */
export function wantsDemo(config: Config): boolean {
  return config.payments.useStandIns || config.seedDemoData;
}

/**
 * The demo's account users (not the admin or the metering service, which have no console screens)
 * with fresh tokens, for the console's sign-in page, under the same condition as the explorer's token.
 */
async function demoSignIns(config: Config): Promise<ConsoleSignIn[]> {
  const secret = config.auth.hmacSecret;
  if (!config.seedDemoData || !secret) return [];
  const users = DEMO_PRINCIPALS.filter((principal) => principal.accountId);
  return Promise.all(
    users.map(async (principal) => ({ label: principal.label, accountId: principal.accountId ?? null, token: await signToken(secret, principal) })),
  );
}

/** The demo direct customer's token when the demo data is seeded with the HS256 secret; nothing otherwise. */
async function demoHeaders(config: Config): Promise<Record<string, string>> {
  const secret = config.auth.hmacSecret;
  if (!config.seedDemoData || !secret) return {};
  return { Authorization: `Bearer ${await signToken(secret, DEMO_PRINCIPALS[0])}` };
}
