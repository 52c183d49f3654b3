import { z } from 'zod';

// What a configuration profile and a policy are saved from: a name and payloads, each checked against its product's types by the service.

const payloadInput = z.strictObject({
  type: z.string().min(1).max(40),
  enabled: z.boolean(),
  settings: z.record(z.string().max(40), z.unknown()).describe("checked against the type's settings (GET payload-types)"),
});

export const payloadSetFields = {
  name: z.string().trim().min(1, 'is required').max(100),
  payloads: z.array(payloadInput).max(50),
};

export const productField = z.string().min(1).max(50);
