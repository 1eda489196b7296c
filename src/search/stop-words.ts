// Latin abbreviations, as the tokenizer sees "e.g.", "i.e.", "et al.".
const LATIN = ['eg', 'ie', 'et', 'al', 'etc'];

/** Lucene's EnglishAnalyzer default set, which Anserini's BM25 baselines use. */
export const LUCENE_STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it',
  'no', 'not', 'of', 'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they',
  'this', 'to', 'was', 'will', 'with',
]);

/**
 * The default: Lucene's English list (what Anserini's BM25 baselines use) plus Latin
 * abbreviations. Short on purpose; BM25's idf already discounts common words, and the
 * longer list measured worse.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([...LUCENE_STOP_WORDS, ...LATIN]);

/**
 * A longer list of English function words (negations kept). It ranked below the short
 * list on SciFact (bench/quality.ts), so it is only an alternative.
 */
export const EXTENDED_STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'about', 'above', 'after', 'again', 'all', 'also', 'am', 'an', 'and', 'any', 'are', 'as', 'at',
  'be', 'because', 'been', 'before', 'being', 'below', 'between', 'both', 'but', 'by',
  'can', 'could', 'did', 'do', 'does', 'doing', 'down', 'during', 'each', 'either',
  'for', 'from', 'further', 'had', 'has', 'have', 'having', 'he', 'her', 'here', 'hers', 'herself',
  'him', 'himself', 'his', 'how', 'i', 'if', 'in', 'into', 'is', 'it', 'its', 'itself',
  'just', 'may', 'me', 'might', 'must', 'my', 'myself', 'nor', 'of', 'off', 'on', 'once', 'only',
  'or', 'other', 'our', 'ours', 'ourselves', 'out', 'over', 'own', 'same', 'shall', 'she', 'should',
  'so', 'some', 'such', 'than', 'that', 'the', 'their', 'theirs', 'them', 'themselves', 'then',
  'there', 'these', 'they', 'this', 'those', 'through', 'thus', 'to', 'too', 'under', 'until', 'up',
  'upon', 'us', 'very', 'via', 'was', 'we', 'were', 'what', 'when', 'where', 'whether', 'which',
  'while', 'who', 'whom', 'whose', 'why', 'will', 'with', 'within', 'would', 'you', 'your', 'yours',
  'yourself', 'yourselves',
  ...LATIN,
]);

