import type { Clock } from '../../src/domain/clock.js';

/** A clock tests move by hand; it starts at the real time so database defaults stay close. */
export class TestClock implements Clock {
  private current = new Date();
  now(): Date {
    return new Date(this.current);
  }
  advanceSeconds(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
  advanceDays(days: number): void {
    this.advanceSeconds(days * 86_400);
  }
}
