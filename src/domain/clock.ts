/** Time as the rules see it; tests move it instead of sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const addSeconds = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);
export const addDays = (date: Date, days: number) => addSeconds(date, days * 86_400);
