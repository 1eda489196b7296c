import { z } from 'zod';

/** The building blocks of the settings schema (src/config.ts), shared by the parts each area declares. */

/** A variable set to blanks counts as unset. */
export const blankAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

export const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsUnset, schema.optional());

export const integer = (min: number, max: number, fallback: number) =>
  z.preprocess(
    blankAsUnset,
    z.coerce
      .number({ error: `expected a whole number from ${min} to ${max}` })
      .int({ error: `expected a whole number from ${min} to ${max}` })
      .min(min, { error: `expected at least ${min}` })
      .max(max, { error: `expected at most ${max}` })
      .default(fallback),
  );

/** The parsed values of a part of the schema. */
export type SettingsOf<Shape extends z.ZodRawShape> = z.infer<z.ZodObject<Shape>>;
