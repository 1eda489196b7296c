import { stemmer } from 'stemmer';

const STOPWORDS = new Set(
  `a an and are as at be been but by can do does for from has have how in into is it its of on or our
  over such than that the their them these they this those to under using via was we were what when where
  which while who why will with within without you your paper papers work approach method methods`.split(/\s+/),
);

/** Lower-cased, accent-free words and numbers of a text, in order. */
export function words(text: string): string[] {
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** The stemmed content words of a text (stopwords and one-letter words dropped), in order. */
export function terms(text: string): string[] {
  return words(text)
    .filter((word) => word.length > 1 && !STOPWORDS.has(word))
    .map((word) => stemmer(word));
}
