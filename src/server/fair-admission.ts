import type { NextFunction, Response } from 'express';
import type { FairAdmissionConfig } from '../config';

/** Who sent a request: its client address (the rate limits' key) and, with a valid token, its principal. */
export interface Sender {
  address: string;
  principal: string | null;
}

interface Line {
  /** Requests of the address served now. */
  active: number;
  waiting: (() => void)[];
  /** When the next request of the address may go in (ms since the epoch): the line's pace. */
  nextAt: number;
  /** The timer that lets the next one in when the pace allows it. */
  timer: NodeJS.Timeout | null;
  /** Until when the address stays held without a new refusal (ms since the epoch). */
  until: number;
}

interface Refusals {
  count: number;
  windowStart: number;
}

/** Senders whose refusals are counted at once; past it, the counts of quiet ones are dropped. */
const MAX_COUNTED = 10_000;

/**
 * Fair admission. An address whose requests keep being refused (`FAIR_ADMISSION_REFUSALS` 4xx
 * answers within the window) is **held**: its requests are served a few at a time
 * (`FAIR_ADMISSION_SUSPECT_CONCURRENCY`) and at most `FAIR_ADMISSION_SUSPECT_RATE` a second, the
 * rest wait in its own line with their bodies unread, while every other address's requests go
 * straight in.
 *
 * One event loop serves every request in the order they come, so an address with sixteen hostile
 * requests in flight puts sixteen requests' work in front of every other client's next one; the
 * rate limits bound how many it may send per minute, not how many are in the loop at once, nor how
 * much of the loop's time it takes. Held, it has at most a few in the loop and a bounded share of
 * its time, and a normal client waits behind those at most.
 *
 * Behind a held address (an office, a carrier's NAT) a principal that has not been refused within
 * the window is not held: a neighbour's valid token goes straight in, as it is never counted
 * against the address's failed authentications either. Clients that are not refused (a console, a
 * partner's script running hundreds of transfers at once, a benchmark) are never held, and for them
 * admission is a map lookup. An address is let go once a window passes without a refusal.
 */
export class FairAdmission {
  private readonly refusals = new Map<string, Refusals>();
  private readonly held = new Map<string, Line>();

  constructor(private readonly config: FairAdmissionConfig) {}

  private get enabled(): boolean {
    return this.config.suspectAfterRefusals > 0;
  }

  /** Counts the request's answer against its address and principal when it is a refusal (4xx); once per request. */
  watch(sender: Sender, response: Response): void {
    if (!this.enabled) return;
    response.once('finish', () => {
      if (response.statusCode < 400 || response.statusCode >= 500) return;
      this.noteRefusal(sender.address, true);
      if (sender.principal !== null) this.noteRefusal(sender.principal, false);
    });
  }

  /** Lets the request in now, or after its address's earlier ones when the address is held; refuses it when that line is full. */
  admit(sender: Sender, response: Response, next: NextFunction, refuseFull: () => void): void {
    const line = this.held.get(sender.address);
    if (!line) return next();
    if (line.active === 0 && line.waiting.length === 0 && Date.now() > line.until) {
      this.held.delete(sender.address);
      return next();
    }
    if (sender.principal !== null && !this.refusedLately(sender.principal)) return next();
    const enter = () => {
      line.active += 1;
      line.nextAt = Math.max(Date.now(), line.nextAt) + this.gapMs;
      response.once('close', () => {
        line.active -= 1;
        this.letNextIn(sender.address, line);
      });
      next();
    };
    if (line.waiting.length === 0 && this.mayEnter(line)) return enter();
    if (line.waiting.length >= this.config.suspectMaxWaiting) return refuseFull();
    line.waiting.push(() => {
      // A client that hung up while waiting is not served (letNextIn goes on to the next).
      if (response.destroyed || response.socket?.destroyed) return;
      enter();
    });
    this.letNextIn(sender.address, line);
  }

  /** The time between two requests of a held address going in. */
  private get gapMs(): number {
    return 1000 / this.config.suspectRate;
  }

  private mayEnter(line: Line): boolean {
    return line.active < this.config.suspectConcurrency && Date.now() >= line.nextAt;
  }

  /** Whether the address is held now. */
  isHeld(address: string): boolean {
    return this.held.has(address);
  }

  private refusedLately(key: string): boolean {
    const counted = this.refusals.get(key);
    return counted !== undefined && Date.now() - counted.windowStart <= this.config.windowSeconds * 1000;
  }

  /** Lets the line's next request in if its place and its pace allow, or arms the timer for when the pace will. */
  private letNextIn(address: string, line: Line): void {
    while (line.waiting.length > 0) {
      if (line.active >= this.config.suspectConcurrency || line.timer) return;
      const wait = line.nextAt - Date.now();
      if (wait > 0) {
        line.timer = setTimeout(() => {
          line.timer = null;
          this.letNextIn(address, line);
        }, wait);
        line.timer.unref();
        return;
      }
      // In it goes (moving the pace on for the one after it), unless its client hung up while waiting.
      line.waiting.shift()!();
    }
    if (line.active === 0 && Date.now() > line.until) this.held.delete(address);
  }

  private noteRefusal(key: string, isAddress: boolean): void {
    const now = Date.now();
    const windowMs = this.config.windowSeconds * 1000;
    const line = isAddress ? this.held.get(key) : undefined;
    if (line) {
      line.until = now + windowMs;
      return;
    }
    let counted = this.refusals.get(key);
    if (!counted || now - counted.windowStart > windowMs) {
      if (!counted && this.refusals.size >= MAX_COUNTED) this.forgetQuiet(now, windowMs);
      counted = { count: 0, windowStart: now };
      this.refusals.set(key, counted);
    }
    counted.count += 1;
    if (isAddress && counted.count >= this.config.suspectAfterRefusals) {
      this.refusals.delete(key);
      this.held.set(key, { active: 0, waiting: [], until: now + windowMs, nextAt: now, timer: null });
    }
  }

  private forgetQuiet(now: number, windowMs: number): void {
    for (const [key, counted] of this.refusals) if (now - counted.windowStart > windowMs) this.refusals.delete(key);
    // Still full: every counted sender is recent; start over rather than grow without bound.
    if (this.refusals.size >= MAX_COUNTED) this.refusals.clear();
  }
}
