import { z } from 'zod';

/** The building blocks of the settings schema (src/config.ts), shared by the parts each area declares. */

/** A variable set to blanks counts as unset. */
export const blankAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

export const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsUnset, schema.optional());

const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ error: `expected a whole number from ${min} to ${max}` })
    .int({ error: `expected a whole number from ${min} to ${max}` })
    .min(min, { error: `expected at least ${min}` })
    .max(max, { error: `expected at most ${max}` });

export const integer = (min: number, max: number, fallback: number) => z.preprocess(blankAsUnset, wholeNumber(min, max).default(fallback));

export const optionalInteger = (min: number, max: number) => z.preprocess(blankAsUnset, wholeNumber(min, max).optional());

/** The parsed values of a part of the schema. */
export type SettingsOf<Shape extends z.ZodRawShape> = z.infer<z.ZodObject<Shape>>;
