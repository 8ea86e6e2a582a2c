import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import { FairAdmission, Sender } from '../../src/server/fair-admission';

/** What the admission sees of an HTTP response: its status, and 'finish' and 'close' when it is done. */
class Answer extends EventEmitter {
  statusCode = 200;
  destroyed = false;
  finish(status: number): void {
    this.statusCode = status;
    this.emit('finish');
    this.emit('close');
  }
}

const ATTACKER: Sender = { address: 'ip:203.0.113.66', principal: null };
const OTHER_ADDRESS: Sender = { address: 'ip:198.51.100.7', principal: null };

function admission(overrides: Partial<ConstructorParameters<typeof FairAdmission>[0]> = {}) {
  return new FairAdmission({ suspectAfterRefusals: 3, windowSeconds: 10, suspectConcurrency: 1, suspectRate: 1000, suspectMaxWaiting: 2, ...overrides });
}

/** Time moves by hand (the clock and the line's timers): `tick` lets a millisecond pass, the pace of 1000 a second. */
const tick = (ms = 1) => jest.advanceTimersByTime(ms);
beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-07T00:00:00Z') }));
afterEach(() => jest.useRealTimers());

/** Sends one request through the admission: whether it went in now, was refused for a full line, or waits. */
function send(fair: FairAdmission, sender: Sender) {
  const answer = new Answer();
  const outcome = { entered: false, refused: false, answer };
  fair.watch(sender, answer as unknown as Response);
  fair.admit(
    sender,
    answer as unknown as Response,
    () => (outcome.entered = true),
    () => (outcome.refused = true),
  );
  return outcome;
}

function refuseTimes(fair: FairAdmission, sender: Sender, times: number): void {
  for (let index = 0; index < times; index++) send(fair, sender).answer.finish(400);
}

describe('fair admission', () => {
  it('lets everyone in until an address has been refused often enough; then serves it a few at a time, in order', () => {
    const fair = admission();
    refuseTimes(fair, ATTACKER, 2);
    expect(fair.isHeld(ATTACKER.address)).toBe(false);
    const burst = [send(fair, ATTACKER), send(fair, ATTACKER)];
    expect(burst.every((request) => request.entered)).toBe(true);
    burst.forEach((request) => request.answer.finish(400));
    expect(fair.isHeld(ATTACKER.address)).toBe(true);

    const [first, second, third, fourth] = [send(fair, ATTACKER), send(fair, ATTACKER), send(fair, ATTACKER), send(fair, ATTACKER)];
    expect([first.entered, second.entered, third.entered]).toEqual([true, false, false]);
    expect([first.refused, second.refused, third.refused, fourth.refused]).toEqual([false, false, false, true]);
    first.answer.finish(200);
    tick();
    expect(second.entered).toBe(true);
    expect(third.entered).toBe(false);
    second.answer.finish(200);
    tick();
    expect(third.entered).toBe(true);
  });

  it('never holds another address, nor a principal behind the held address that was not refused', () => {
    const fair = admission();
    refuseTimes(fair, ATTACKER, 3);
    const busy = send(fair, ATTACKER);
    expect(busy.entered).toBe(true);
    expect(send(fair, OTHER_ADDRESS).entered).toBe(true);
    const neighbour: Sender = { address: ATTACKER.address, principal: 'principal:viewer-of-another-account' };
    expect([send(fair, neighbour), send(fair, neighbour)].every((request) => request.entered)).toBe(true);
    // A principal refused lately queues with its address.
    const refusedPrincipal: Sender = { address: ATTACKER.address, principal: 'principal:owner-used-by-the-attack' };
    send(fair, refusedPrincipal).answer.finish(401);
    expect(send(fair, refusedPrincipal).entered).toBe(false);
  });

  it('skips a request whose client hung up while it waited', () => {
    const fair = admission({ suspectMaxWaiting: 5 });
    refuseTimes(fair, ATTACKER, 3);
    const [busy, gone, next] = [send(fair, ATTACKER), send(fair, ATTACKER), send(fair, ATTACKER)];
    gone.answer.destroyed = true;
    busy.answer.finish(200);
    tick(2);
    expect(gone.entered).toBe(false);
    expect(next.entered).toBe(true);
  });

  it('lets a held address in at its pace', () => {
    const fair = admission({ suspectConcurrency: 10, suspectRate: 10, suspectMaxWaiting: 10 });
    refuseTimes(fair, ATTACKER, 3);
    const requests = Array.from({ length: 4 }, () => send(fair, ATTACKER));
    expect(requests.map((request) => request.entered)).toEqual([true, false, false, false]);
    tick(99);
    expect(requests[1].entered).toBe(false);
    tick(1);
    expect(requests.map((request) => request.entered)).toEqual([true, true, false, false]);
    tick(200);
    expect(requests.every((request) => request.entered)).toBe(true);
    expect(send(fair, OTHER_ADDRESS).entered).toBe(true);
  });

  it('lets an address go once a window passes without a refusal', () => {
    const fair = admission();
    refuseTimes(fair, ATTACKER, 3);
    expect(fair.isHeld(ATTACKER.address)).toBe(true);
    jest.setSystemTime(new Date('2026-12-07T00:00:09Z'));
    refuseTimes(fair, ATTACKER, 1); // a refusal while held keeps it held for another window
    jest.setSystemTime(new Date('2026-12-07T00:00:18Z'));
    const [first, second] = [send(fair, ATTACKER), send(fair, ATTACKER)];
    expect([first.entered, second.entered]).toEqual([true, false]);
    first.answer.finish(200);
    tick();
    second.answer.finish(200);
    expect(fair.isHeld(ATTACKER.address)).toBe(true);
    jest.setSystemTime(new Date('2026-12-07T00:00:30Z'));
    expect([send(fair, ATTACKER), send(fair, ATTACKER), send(fair, ATTACKER)].every((request) => request.entered)).toBe(true);
    expect(fair.isHeld(ATTACKER.address)).toBe(false);
  });

  it('holds no one when turned off', () => {
    const fair = admission({ suspectAfterRefusals: 0 });
    refuseTimes(fair, ATTACKER, 100);
    expect(fair.isHeld(ATTACKER.address)).toBe(false);
    expect([send(fair, ATTACKER), send(fair, ATTACKER), send(fair, ATTACKER)].every((request) => request.entered)).toBe(true);
  });

  it('does not count answers that are not refusals', () => {
    const fair = admission();
    for (const status of [200, 204, 302, 500, 503]) send(fair, ATTACKER).answer.finish(status);
    expect(fair.isHeld(ATTACKER.address)).toBe(false);
  });
});
