import { z } from 'zod';

export const checkStatusSchema = z.enum(['ok', 'warn', 'error']);

/** One line of `codepercept doctor` and of the status bar: what was found and how to fix it. */
export const environmentCheckSchema = z.object({
  id: z.string(),
  label: z.string(),
  status: checkStatusSchema,
  detail: z.string(),
  fix: z.string().optional(),
});
export type EnvironmentCheck = z.infer<typeof environmentCheckSchema>;

export const healthSchema = z.object({
  ok: z.boolean(),
  version: z.string(),
  uptimeMs: z.number(),
  /** Other calls in flight across all connections (not this one); shows that a cancel really stopped work. */
  activeCalls: z.number().int(),
  connections: z.number().int(),
});
export type Health = z.infer<typeof healthSchema>;

export const systemInfoSchema = z.object({
  version: z.string(),
  dataDir: z.string(),
  dbPath: z.string(),
  transport: z.string(),
  checks: z.array(environmentCheckSchema),
  checkedAt: z.number(),
});
export type SystemInfo = z.infer<typeof systemInfoSchema>;

export const settingsSchema = z.object({
  theme: z.enum(['system', 'light', 'dark']),
  /** Interpreter for the render workers; null = auto (Debian's /usr/bin/python3 first). */
  pythonPath: z.string().min(1).nullable(),
});
export type Settings = z.infer<typeof settingsSchema>;

export const systemMethods = {
  'system.health': { params: z.object({}).strict(), result: healthSchema },
  'system.info': {
    params: z.object({ recheck: z.boolean().optional() }).strict(),
    result: systemInfoSchema,
  },
  'settings.get': { params: z.object({}).strict(), result: settingsSchema },
  'settings.update': { params: settingsSchema.partial().strict(), result: settingsSchema },
};
