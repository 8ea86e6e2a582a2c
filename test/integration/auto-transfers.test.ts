import { Role } from '../../src/auth/principal';
import { AutoTransferFiringEntity } from '../../src/partners/auto-transfers/entities/auto-transfer-firing.entity';
import { AutoTransferFiringStatus } from '../../src/partners/auto-transfers/auto-transfer.enums';
import { AutoTransferWorker } from '../../src/partners/auto-transfers/auto-transfer.worker';
import { formatMicros } from '../../src/common/money';
import { AutoTransferOutcome } from '../../src/partners/auto-transfers/auto-transfer-events';
import { CreditTransferEntity } from '../../src/partners/transfers/entities/credit-transfer.entity';
import { createAccount, newKey } from '../support/fixtures';
import { codes, startTestServer, TestServer } from '../support/harness';
import { credits, fundTopUp, RECORD_USAGE, TRANSFER, usageEvent } from '../support/partners';
import { collect, connect, untilFirstEvent } from '../support/subscriptions';
import { verifyCreditsSignature } from '../support/verify-webhook-signature';
import { WebhookReceiver } from '../support/webhook-receiver';

const RULE_FIELDS = /* GraphQL */ `
  fragment RuleFields on AutoTransferRule {
    id
    partnerAccountId
    customerAccountId
    status
    threshold
    targetBalance
    monthlyCap
    transferredThisMonth
    lastFiredAt
    refusalCount
    lastRefusalCode
    lastRefusalAt
    lastFiring {
      id
      status
      amount
      transferId
      refusalCode
    }
  }
`;
const SET_RULE = /* GraphQL */ `
  mutation Set($input: SetAutoTransferRuleInput!) {
    setAutoTransferRule(input: $input) {
      ...RuleFields
    }
  }
  ${RULE_FIELDS}
`;
const RULE = /* GraphQL */ `
  query Rule($customerAccountId: ID!, $refusedOnly: Boolean) {
    autoTransferRule(customerAccountId: $customerAccountId) {
      ...RuleFields
      firings(first: 50, refusedOnly: $refusedOnly) {
        id
        status
        amount
        transferId
        refusalCode
        message
        totalBalanceAfterCrossing
      }
    }
  }
  ${RULE_FIELDS}
`;
const RULES = /* GraphQL */ `
  query Rules($first: Int, $after: String) {
    autoTransferRules(first: $first, after: $after) {
      edges {
        cursor
        node {
          customerAccountId
          status
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
const PAUSE = /* GraphQL */ `
  mutation Pause($customerAccountId: ID!) {
    pauseAutoTransferRule(customerAccountId: $customerAccountId) {
      status
    }
  }
`;
const RESUME = /* GraphQL */ `
  mutation Resume($customerAccountId: ID!) {
    resumeAutoTransferRule(customerAccountId: $customerAccountId) {
      status
    }
  }
`;
const REMOVE = /* GraphQL */ `
  mutation Remove($customerAccountId: ID!) {
    removeAutoTransferRule(customerAccountId: $customerAccountId)
  }
`;
const OUTCOMES = /* GraphQL */ `
  subscription Outcomes($partnerAccountId: ID!) {
    autoTransferOutcomes(partnerAccountId: $partnerAccountId) {
      eventId
      ruleId
      customerAccountId
      status
      amount
      transferId
      refusalCode
      message
    }
  }
`;
const BALANCES = /* GraphQL */ `
  query Balances($id: ID!) {
    balances(accountId: $id) {
      totalBalance
      topUpBalance
    }
  }
`;
const PARTNER_HISTORY = /* GraphQL */ `
  query History($id: ID!) {
    creditHistory(accountId: $id, filter: { types: [TRANSFER_OUT] }, first: 10) {
      edges {
        node {
          amount
          source {
            ... on TransferSource {
              transferId
              note
              actor {
                userId
                role
              }
            }
          }
        }
      }
    }
  }
`;

const TOP_UP_REPORT = /* GraphQL */ `
  query TopUps($period: ReportPeriodInput!, $customerAccountId: ID) {
    creditTopUpReport(period: $period, customerAccountId: $customerAccountId) {
      rows {
        amount
        actor
        actorRole
      }
    }
  }
`;

describe('partner auto-transfer rules', () => {
  let server: TestServer;
  let metering: string;
  const receivers: WebhookReceiver[] = [];
  beforeAll(async () => {
    server = await startTestServer({ env: { WEBHOOK_POLL_INTERVAL_MS: '100', AUTO_TRANSFER_POLL_INTERVAL_MS: '100' } });
    metering = await server.meteringToken();
  });
  afterAll(async () => {
    await server.stop();
    await Promise.all(receivers.map((receiver) => receiver.close()));
  });

  /** A partner holding `partnerCredits` after giving its new customer `customerCredits` by an ordinary transfer. */
  async function partnerAndCustomer(partnerCredits: number, customerCredits: number) {
    const partnerId = await createAccount(server, { kind: 'PARTNER' });
    const customerId = await createAccount(server, { partnerId });
    const owner = await server.userToken(partnerId, Role.OWNER);
    if (partnerCredits + customerCredits > 0) await fundTopUp(server, partnerId, credits(partnerCredits + customerCredits));
    if (customerCredits > 0)
      await server.ok(TRANSFER, { input: { customerAccountId: customerId, amount: String(customerCredits), idempotencyKey: newKey() } }, owner);
    return { partnerId, customerId, owner };
  }
  const setRule = (owner: string, customerAccountId: string, threshold: string, targetBalance: string, monthlyCap: string) =>
    server.ok(SET_RULE, { input: { customerAccountId, threshold, targetBalance, monthlyCap } }, owner);
  const use = async (accountId: string, amount: string) => {
    const result = await server.ok(RECORD_USAGE, { events: [usageEvent(accountId, amount)] }, metering);
    expect(result.recordUsage.appliedCount).toBe(1);
  };
  /** Everything committed so far consumed, every firing run, and its outcome published. */
  const settled = async () => {
    for (let round = 0; round < 3; round++) {
      await server.services.outbox.drain();
      await server.services.autoTransferWorker.drain();
    }
  };
  const ruleOf = async (customerAccountId: string, owner: string, refusedOnly = false) =>
    (await server.ok(RULE, { customerAccountId, refusedOnly }, owner)).autoTransferRule;
  const totalOf = async (accountId: string) => (await server.ok(BALANCES, { id: accountId }, await server.adminToken())).balances.totalBalance;
  const transfersByRule = (ruleId: string) =>
    server.services.runner.read((manager) => manager.find(CreditTransferEntity, { where: { actorUserId: `auto-transfer-rule:${ruleId}` } }));

  it('sets, replaces, pauses, resumes, reads, lists and removes a rule; only for your own customer, as OWNER or BILLING_ADMIN', async () => {
    const { partnerId, customerId, owner } = await partnerAndCustomer(0, 0);
    const set = (await setRule(owner, customerId, '50', '120', '1000')).setAutoTransferRule;
    expect(set).toMatchObject({
      partnerAccountId: partnerId,
      customerAccountId: customerId,
      status: 'ACTIVE',
      threshold: '50.000000',
      targetBalance: '120.000000',
      monthlyCap: '1000.000000',
      transferredThisMonth: '0.000000',
      refusalCount: 0,
      lastFiring: null,
    });
    const billingAdmin = await server.userToken(partnerId, Role.BILLING_ADMIN);
    const replaced = (await setRule(billingAdmin, customerId, '20', '30.5', '40')).setAutoTransferRule;
    expect(replaced).toMatchObject({ id: set.id, threshold: '20.000000', targetBalance: '30.500000', monthlyCap: '40.000000' });
    expect((await server.ok(PAUSE, { customerAccountId: customerId }, owner)).pauseAutoTransferRule.status).toBe('PAUSED');
    expect((await setRule(owner, customerId, '20', '30', '40')).setAutoTransferRule.status).toBe('PAUSED');
    expect((await server.ok(RESUME, { customerAccountId: customerId }, owner)).resumeAutoTransferRule.status).toBe('ACTIVE');
    expect(await ruleOf(customerId, await server.adminToken())).toMatchObject({ id: set.id, targetBalance: '30.000000' });

    for (const [threshold, targetBalance, monthlyCap] of [
      ['0', '10', '10'],
      ['10', '10', '10'],
      ['10', '5', '10'],
      ['10', '20', '0'],
      ['10', '2000000000', '10'],
    ]) {
      expect(codes(await server.call(SET_RULE, { input: { customerAccountId: customerId, threshold, targetBalance, monthlyCap } }, owner))).toEqual([
        'BAD_USER_INPUT',
      ]);
    }
    const otherPartner = await createAccount(server, { kind: 'PARTNER' });
    const directCustomer = await createAccount(server);
    const refused = [
      await server.userToken(partnerId, Role.VIEWER),
      await server.userToken(customerId, Role.OWNER),
      await server.userToken(otherPartner, Role.OWNER),
      await server.adminToken(),
    ];
    for (const token of refused) {
      expect(
        codes(await server.call(SET_RULE, { input: { customerAccountId: customerId, threshold: '1', targetBalance: '2', monthlyCap: '3' } }, token)),
      ).toEqual(['FORBIDDEN']);
      expect(codes(await server.call(PAUSE, { customerAccountId: customerId }, token))).toEqual(['FORBIDDEN']);
    }
    expect(
      codes(await server.call(SET_RULE, { input: { customerAccountId: directCustomer, threshold: '1', targetBalance: '2', monthlyCap: '3' } }, owner)),
    ).toEqual(['FORBIDDEN']);
    expect(codes(await server.call(RULE, { customerAccountId: customerId }, await server.userToken(partnerId, Role.VIEWER)))).toEqual(['FORBIDDEN']);
    expect(codes(await server.call(RULE, { customerAccountId: customerId }))).toEqual(['UNAUTHENTICATED']);

    const second = await createAccount(server, { partnerId });
    await setRule(owner, second, '5', '10', '10');
    const firstPage = (await server.ok(RULES, { first: 1 }, owner)).autoTransferRules;
    expect(firstPage.edges.map((edge: any) => edge.node.customerAccountId)).toEqual([customerId]);
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    const secondPage = (await server.ok(RULES, { first: 1, after: firstPage.pageInfo.endCursor }, owner)).autoTransferRules;
    expect(secondPage.edges.map((edge: any) => edge.node.customerAccountId)).toEqual([second]);
    expect(secondPage.pageInfo.hasNextPage).toBe(false);
    expect((await server.ok(RULES, {}, await server.userToken(otherPartner, Role.OWNER))).autoTransferRules.edges).toEqual([]);

    expect((await server.ok(REMOVE, { customerAccountId: customerId }, owner)).removeAutoTransferRule).toBe(true);
    expect(await ruleOf(customerId, owner)).toBeNull();
    expect(codes(await server.call(REMOVE, { customerAccountId: customerId }, owner))).toEqual(['NOT_FOUND']);
  });

  it("names each rule's customer (name, status, balances) in the list and on one rule", async () => {
    const { partnerId, customerId, owner } = await partnerAndCustomer(0, 30);
    const second = await createAccount(server, { partnerId, name: 'Second customer', status: 'SUSPENDED' });
    await setRule(owner, customerId, '5', '10', '10');
    await setRule(owner, second, '5', '10', '10');
    const WITH_CUSTOMER = /* GraphQL */ `
      query RulesWithCustomers($id: ID!) {
        autoTransferRules {
          edges {
            node {
              customerAccountId
              customer {
                id
                name
                status
                balances {
                  totalBalance
                }
              }
            }
          }
        }
        autoTransferRule(customerAccountId: $id) {
          customer {
            id
            name
          }
        }
      }
    `;
    const answer = await server.ok(WITH_CUSTOMER, { id: second }, owner);
    expect(answer.autoTransferRules.edges.map((edge: any) => edge.node)).toEqual([
      { customerAccountId: customerId, customer: { id: customerId, name: `Account ${customerId}`, status: 'ACTIVE', balances: { totalBalance: '30.000000' } } },
      { customerAccountId: second, customer: { id: second, name: 'Second customer', status: 'SUSPENDED', balances: { totalBalance: '0.000000' } } },
    ]);
    expect(answer.autoTransferRule.customer).toEqual({ id: second, name: 'Second customer' });
  });

  it('fires once per downward crossing, as an ordinary transfer marked as the rule’s, and again after the balance went back above', async () => {
    const { partnerId, customerId, owner } = await partnerAndCustomer(1000, 100);
    const rule = (await setRule(owner, customerId, '50', '120', '1000')).setAutoTransferRule;
    await use(customerId, '40'); // 100 → 60: above the threshold, nothing
    await settled();
    expect((await ruleOf(customerId, owner)).firings).toEqual([]);

    await use(customerId, '15'); // 60 → 45: crosses 50, tops up by 75 to 120
    await settled();
    expect(await totalOf(customerId)).toBe('120.000000');
    expect(await totalOf(partnerId)).toBe('925.000000');
    let read = await ruleOf(customerId, owner);
    expect(read.firings.map((firing: any) => [firing.status, firing.amount, firing.totalBalanceAfterCrossing])).toEqual([
      ['SUCCEEDED', '75.000000', '45.000000'],
    ]);
    expect(read).toMatchObject({ transferredThisMonth: '75.000000', refusalCount: 0, lastFiring: { status: 'SUCCEEDED', amount: '75.000000' } });
    expect(read.lastFiredAt).not.toBeNull();

    const history = (await server.ok(PARTNER_HISTORY, { id: partnerId }, owner)).creditHistory.edges.map((edge: any) => edge.node);
    expect(history[0]).toMatchObject({
      amount: '-75.000000',
      source: { transferId: read.lastFiring.transferId, actor: { userId: `auto-transfer-rule:${rule.id}`, role: null } },
    });
    expect(history[0].source.note).toContain(`Auto-transfer rule ${rule.id}`);
    const hour = 3_600_000;
    const period = {
      from: new Date(Math.floor(Date.now() / hour) * hour - hour).toISOString(),
      to: new Date(Math.ceil(Date.now() / hour) * hour + hour).toISOString(),
    };
    const report = (await server.ok(TOP_UP_REPORT, { period, customerAccountId: customerId }, owner)).creditTopUpReport;
    expect(report.rows.filter((row: any) => row.actor === `auto-transfer-rule:${rule.id}`).map((row: any) => [row.amount, row.actorRole])).toEqual([
      ['75.000000', null],
    ]);

    await use(customerId, '80'); // 120 → 40: crosses again (the rule's own transfer took it back above)
    await settled();
    read = await ruleOf(customerId, owner);
    expect(read.firings.map((firing: any) => [firing.status, firing.amount])).toEqual([
      ['SUCCEEDED', '80.000000'],
      ['SUCCEEDED', '75.000000'],
    ]);
    expect(read.transferredThisMonth).toBe('155.000000');
    expect(await totalOf(customerId)).toBe('120.000000');
    expect(await transfersByRule(rule.id)).toHaveLength(2);
    expect(await server.audit()).toEqual([]);
  });

  it('refuses when the partner is short of credits: recorded on the rule, told on the subscription and a signed webhook, nothing moved', async () => {
    const { partnerId, customerId, owner } = await partnerAndCustomer(10, 100);
    const hook = await WebhookReceiver.start();
    receivers.push(hook);
    const { secret } = (
      await server.ok(
        `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }`,
        { input: { accountId: partnerId, url: hook.url, events: ['AUTO_TRANSFER_REFUSED', 'AUTO_TRANSFER_SUCCEEDED'] } },
        owner,
      )
    ).createWebhookEndpoint;
    const subscription = collect<any>(connect(server.websocketUrl, owner), OUTCOMES, { partnerAccountId: partnerId });
    await untilFirstEvent(subscription, () =>
      server.services.bus.publish(AutoTransferOutcome.topic, partnerId, {
        accountId: partnerId,
        ruleId: '0',
        firingId: '0',
        customerAccountId: customerId,
        status: 'SUCCEEDED',
        amountMicros: null,
        transferId: null,
        refusalCode: null,
        message: null,
        thresholdMicros: null,
        targetMicros: null,
        totalAfterMicros: '0',
        crossedAt: new Date().toISOString(),
        occurredAt: new Date().toISOString(),
        eventId: 0,
      }),
    );
    const warmUp = subscription.events.length;
    const rule = (await setRule(owner, customerId, '50', '100', '1000')).setAutoTransferRule;

    await use(customerId, '60'); // 100 → 40: needs 60, the partner has 10
    await settled();
    expect(await totalOf(customerId)).toBe('40.000000');
    expect(await totalOf(partnerId)).toBe('10.000000');
    const read = await ruleOf(customerId, owner, true);
    expect(read).toMatchObject({ refusalCount: 1, lastRefusalCode: 'INSUFFICIENT_CREDITS', transferredThisMonth: '0.000000' });
    expect(read.lastRefusalAt).not.toBeNull();
    expect(read.firings.map((firing: any) => [firing.status, firing.refusalCode, firing.amount, firing.transferId])).toEqual([
      ['REFUSED', 'INSUFFICIENT_CREDITS', '60.000000', null],
    ]);
    expect(await transfersByRule(rule.id)).toEqual([]);

    const [event] = (await subscription.waitFor(warmUp + 1)).slice(warmUp).map((data) => data.autoTransferOutcomes);
    expect(event).toMatchObject({
      ruleId: rule.id,
      customerAccountId: customerId,
      status: 'REFUSED',
      refusalCode: 'INSUFFICIENT_CREDITS',
      amount: '60.000000',
      transferId: null,
    });
    const [delivery] = await hook.waitFor(1);
    expect(verifyCreditsSignature(delivery.rawBody, delivery.headers['credits-signature'] as string, secret)).toBe(true);
    expect(JSON.parse(delivery.rawBody)).toMatchObject({
      type: 'AUTO_TRANSFER_REFUSED',
      accountId: partnerId,
      data: { ruleId: rule.id, customerAccountId: customerId, refusalCode: 'INSUFFICIENT_CREDITS', amount: '60.000000', threshold: '50.000000' },
    });

    // Never retried in a loop: more usage while below fires nothing.
    await use(customerId, '5');
    await settled();
    expect((await ruleOf(customerId, owner)).firings).toHaveLength(1);
    await subscription.close();
    expect(await server.audit()).toEqual([]);
  });

  it('holds the monthly cap: a partial transfer up to it, then refusals, none while the balance stays below', async () => {
    const { customerId, owner } = await partnerAndCustomer(1000, 100);
    await setRule(owner, customerId, '50', '100', '70');
    await use(customerId, '60'); // 100 → 40: 60 of the cap's 70
    await settled();
    await use(customerId, '60'); // 100 → 40: 10 left in the cap → 50
    await settled();
    expect(await totalOf(customerId)).toBe('50.000000');
    await use(customerId, '5'); // 50 → 45: crosses, nothing left
    await settled();
    await use(customerId, '5'); // stays below: no firing
    await settled();
    const read = await ruleOf(customerId, owner);
    expect(read.firings.map((firing: any) => [firing.status, firing.amount, firing.refusalCode])).toEqual([
      ['REFUSED', null, 'MONTHLY_CAP_REACHED'],
      ['SUCCEEDED', '10.000000', null],
      ['SUCCEEDED', '60.000000', null],
    ]);
    expect(read).toMatchObject({ transferredThisMonth: '70.000000', refusalCount: 1, lastRefusalCode: 'MONTHLY_CAP_REACHED' });
    expect(await totalOf(customerId)).toBe('40.000000');
  });

  it('refuses a customer that is no longer ACTIVE, and a paused rule does not fire until resumed and crossed again', async () => {
    const { customerId, owner } = await partnerAndCustomer(1000, 100);
    const rule = (await setRule(owner, customerId, '50', '100', '1000')).setAutoTransferRule;
    await server.ok(`mutation ($id: ID!) { setAccountStatus(accountId: $id, status: SUSPENDED) { id } }`, { id: customerId }, await server.adminToken());
    await use(customerId, '60'); // usage is still recorded on a SUSPENDED account
    await settled();
    expect(await ruleOf(customerId, owner)).toMatchObject({ refusalCount: 1, lastRefusalCode: 'ACCOUNT_NOT_ACTIVE', lastFiring: { status: 'REFUSED' } });
    expect(await totalOf(customerId)).toBe('40.000000');

    const paused = await partnerAndCustomer(1000, 100);
    const pausedRule = (await setRule(paused.owner, paused.customerId, '50', '100', '1000')).setAutoTransferRule;
    await server.ok(PAUSE, { customerAccountId: paused.customerId }, paused.owner);
    await use(paused.customerId, '60'); // crosses while paused
    await settled();
    await server.ok(RESUME, { customerAccountId: paused.customerId }, paused.owner);
    await use(paused.customerId, '1'); // still below: resuming does not fire a past crossing
    await settled();
    expect((await ruleOf(paused.customerId, paused.owner)).firings).toEqual([]);
    expect(await transfersByRule(pausedRule.id)).toEqual([]);
    await fundTopUp(server, paused.customerId, credits(21)); // 39 → 60
    await use(paused.customerId, '20'); // 60 → 40: crosses again, fires
    await settled();
    expect((await ruleOf(paused.customerId, paused.owner)).firings.map((firing: any) => [firing.status, firing.amount])).toEqual([['SUCCEEDED', '60.000000']]);
    expect(await transfersByRule(rule.id)).toEqual([]);
  });

  it('fires exactly once when 50 usage events race across the threshold, after re-consumption and after a crash mid-firing', async () => {
    const { partnerId, customerId, owner } = await partnerAndCustomer(1000, 100);
    const rule = (await setRule(owner, customerId, '50', '100', '1000')).setAutoTransferRule;
    const results = await Promise.all(Array.from({ length: 50 }, () => server.ok(RECORD_USAGE, { events: [usageEvent(customerId, '1.5')] }, metering)));
    expect(results.reduce((sum, result) => sum + result.recordUsage.appliedCount, 0)).toBe(50);
    await settled();
    const [transfer] = await transfersByRule(rule.id);
    expect(await transfersByRule(rule.id)).toHaveLength(1);

    // As if a process died after consuming but before marking: every event is consumed again.
    await server.services.runner.transaction((manager) => manager.query('UPDATE outbox_event SET publishedAt = NULL, leaseOwner = NULL, leaseUntil = NULL'));
    await settled();
    // As if a process died after the transfer committed but before recording it: the firing is taken over.
    await server.services.runner.transaction((manager) =>
      manager.update(
        AutoTransferFiringEntity,
        { ruleId: Number(rule.id) },
        { status: AutoTransferFiringStatus.TRANSFERRING, transferId: null, completedAt: null, leaseOwner: 'crashed', leaseUntil: new Date(Date.now() - 1000) },
      ),
    );
    // Three processes' workers race for it, as when their timers fire together.
    const { runner, transfers, outbox, logger, config } = server.services;
    const processes = [1, 2, 3].map(
      () => new AutoTransferWorker({ runner, transfers, outbox, logger, pollIntervalMs: config.automation.autoTransferPollIntervalMs }),
    );
    await Promise.all(processes.map((worker) => worker.drain()));
    await settled();

    const firings = await server.services.runner.read((manager) => manager.find(AutoTransferFiringEntity, { where: { ruleId: Number(rule.id) } }));
    expect(firings.map((firing) => [firing.status, firing.transferId])).toEqual([[AutoTransferFiringStatus.SUCCEEDED, transfer.id]]);
    expect(await transfersByRule(rule.id)).toHaveLength(1);
    // The one transfer topped the customer up to 100 from its balance when the amount was decided (below 50, at least 25).
    expect(transfer.amountMicros).toBeGreaterThan(credits(50));
    expect(transfer.amountMicros).toBeLessThanOrEqual(credits(75));
    expect(await totalOf(customerId)).toBe(formatMicros(credits(25) + transfer.amountMicros));
    expect(await totalOf(partnerId)).toBe(formatMicros(credits(1000) - transfer.amountMicros));
    expect(await server.audit()).toEqual([]);
  });
});
