import { Role } from '../../src/auth/principal';
import { LedgerTransactionType, SYSTEM_ACCOUNT_ID, WalletKind } from '../../src/ledger/ledger.enums';
import { createAccount } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/harness';
import { compare, expectGraphQLData, measureThroughput } from './load';

const TRANSFER = `mutation($input: TransferCreditsInput!) { transferCredits(input: $input) { transfer { id } partnerBalances { topUpBalance } } }`;
const CUSTOMERS_PER_PARTNER = 8;

/** Funds a partner with a purchase posted through the ledger, as a completed top-up would be. */
async function fund(server: TestServer, partnerId: string): Promise<void> {
  const amountMicros = 1_000_000_000n * 1_000_000n;
  await server.services.runner.transaction((manager) =>
    server.services.ledger.post(manager, {
      type: LedgerTransactionType.TOP_UP,
      idempotencyKey: `bench-fund:${partnerId}`,
      legs: [
        { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.PAYMENT_CLEARING, amountMicros: -amountMicros },
        { accountId: partnerId, walletKind: WalletKind.TOPUP, amountMicros },
      ],
    }),
  );
}

interface BenchPartner {
  partnerId: string;
  customers: string[];
  token: string;
}

async function partnerWithCustomers(server: TestServer): Promise<BenchPartner> {
  const partnerId = await createAccount(server, { kind: 'PARTNER' });
  await fund(server, partnerId);
  const customers = [];
  for (let index = 0; index < CUSTOMERS_PER_PARTNER; index++) customers.push(await createAccount(server, { partnerId }));
  return { partnerId, customers, token: await server.userToken(partnerId, Role.OWNER) };
}

/**
 * transferCredits from one hot partner (every request debits the same wallet) against transfers
 * spread over as many partners as there are concurrent clients, on the same server.
 */
export async function transfersBenchmark(settings: { durationMs: number; rounds: number; concurrency: number }) {
  const server = await startTestServer();
  try {
    const hot = await partnerWithCustomers(server);
    const spread: BenchPartner[] = [];
    for (let index = 0; index < settings.concurrency; index++) spread.push(await partnerWithCustomers(server));
    let sequence = 0;
    // Each request picks its partner by a counter and sends that partner's token.
    const run = (pick: () => BenchPartner) => () => {
      const chosen: BenchPartner[] = [];
      return measureThroughput({
        url: server.graphqlUrl,
        body: () => {
          const partner = pick();
          chosen.push(partner);
          sequence++;
          return JSON.stringify({
            query: TRANSFER,
            variables: { input: { customerAccountId: partner.customers[sequence % CUSTOMERS_PER_PARTNER], amount: '0.01', idempotencyKey: `bench-${sequence}-${process.pid}` } },
          });
        },
        headers: () => ({ authorization: `Bearer ${chosen.shift()!.token}` }),
        concurrency: settings.concurrency,
        durationMs: settings.durationMs,
        check: expectGraphQLData,
      });
    };
    const hotRun = run(() => hot);
    const spreadRun = run(() => spread[sequence % spread.length]);
    await spreadRun(); // warm-up
    await hotRun();
    const result = await compare({ rounds: settings.rounds, baseline: spreadRun, candidate: hotRun });
    const audit = await server.audit();
    if (audit.length > 0) throw new Error(`ledger audit failed after the benchmark: ${audit.join('; ')}`);
    return { name: 'transferCredits: one hot partner vs spread over partners', baselineLabel: 'spread', candidateLabel: 'hot partner', target: 0.9, ...result };
  } finally {
    await server.stop();
  }
}
