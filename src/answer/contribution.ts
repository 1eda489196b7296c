/**
 * What an abstract's sentence does: state the paper's contribution (what it proposes), its finding
 * (what it shows), only its subject, or something else (background, motivation, links) — and
 * whether it can be read on its own, without the sentence before it.
 */

/** 3 = proposes something, 2 = shows or finds something, 1 = says what it studies, 0 = other. */
export type Role = 0 | 1 | 2 | 3;

// The paper itself, as the subject of a sentence.
const SELF = '(?:we|this (?:paper|work|study|report|survey|article)|the paper|here we|our (?:work|paper|study))';
// Up to three words between the subject and its verb ("we further propose", "we then carefully design").
const GAP = String.raw`(?:[\w-]+,?\s+){0,3}?`;
const PROPOSES = new RegExp(
  String.raw`\b${SELF}\s+${GAP}(?:propos|present|introduc|develop|design|devis|creat|formulat|construct|offer|provid|extend)\w*` +
    String.raw`|\b(?:is|are) (?:proposed|introduced|presented|developed)\b|\bour proposal of\b|\bour (?:main |key |primary )?(?:technical )?contributions? (?:is|are|include)`,
  'i',
);
const SHOWS = new RegExp(
  String.raw`\b(?:${SELF}\s+${GAP}(?:show|find|found|demonstrat|prove|observ|reveal|identif|establish|achiev|obtain|attain|validat|discover|derive|argue|highlight)\w*` +
    String.raw`|(?:results?|experiments?|evaluations?|analys[ie]s|findings|studies|evidence)\s+${GAP}(?:show|demonstrat|reveal|indicat|suggest|validat|confirm|prove)\w*` +
    String.raw`|\b(?:outperform|surpass)\w*|\b(?:shows?|display|displays|yields?|brings?|gives?)\s+(?:\w+\s+){0,2}(?:gains|improvements)\b|\bachiev\w* (?:a |the )?(?:new )?(?:state-of-the-art|sota|superior|better|higher|competitive|consistent|significant))`,
  'i',
);
const STUDIES = new RegExp(
  String.raw`\b${SELF}\s+${GAP}(?:stud|investigat|explor|examin|analy[sz]|consider|revisit|focus|address|tackl|aim)\w*`,
  'i',
);

// "we" describing common practice, not the paper: "we usually need to…".
const WE_IN_GENERAL = /\bwe (?:usually|often|typically|generally|commonly|always|normally)\b/i;

// Opens by pointing back at something said before ("It supports…", "This allows…", "Such models…").
const POINTS_BACK =
  /^(?!this (?:paper|work|study|report|survey|article)\b|here,? we\b)(?:it|its|they|their|them|this|these|that|those|such|he|she|thus|hence|therefore|then|also|moreover|furthermore|additionally|besides|instead|however|yet|here|there|both|each|for (?:example|instance)|on the (?:one|other) hand|in contrast|similarly|likewise|the (?:first|second|third|former|latter|resulting|proposed|same)|one|another|the other)\b/i;
// "To address this issue, we propose …": an opening clause that points back, before the paper's own statement.
const OWN_STATEMENT = /,\s+(?=(?:we|our|this (?:paper|work|study|report|survey)|in this (?:paper|work|study))\b)/i;
const POINTING = /\b(?:this|these|those|such|it|its|both|doing so|above)\b/i;
const CONNECTIVE =
  /^(?:thus|hence|therefore|then|finally|moreover|furthermore|additionally|besides|instead|specifically|in (?:particular|addition|contrast)|to this end|overall|consequently|accordingly|as such|as a result|first(?:ly)?|second(?:ly)?|third(?:ly)?|last(?:ly)?|importantly|surprisingly|interestingly|remarkably|notably|crucially|empirically|theoretically|concretely|here)$/i;
// The same without a comma: "To circumvent this issue we propose …", "In this paper we show …".
const BARE_LEAD_IN = /^(?:to [^,]{0,60}\b(?:this|these|such)\b[^,]{0,40}?|in this (?:paper|work|study|report|survey))\s+(?=we\b)/i;
// A proposal that is not the paper's main one ("we also present", "finally, we propose").
const SECONDARY = /\b(?:also|further|finally|additionally|furthermore|moreover|besides)\b/i;
// "This paper presents our work on …", "Our experiments reveal the following insights." say nothing.
const SAYS_NOTHING = /\b(?:presents?|introduces?|describes?)\s+(?:our|the)\s+(?:work|results|efforts?)\b|\bthe following\s+\w+\s*[.:]$/i;
// A demonstrative pointing at something not named in the sentence ("this question", "such a technique").
const REFERENCE_INSIDE =
  /\b(?:this|these|those|such)\s+(?:an?\s+)?(?:[a-z-]+\s+)?(?:issues?|problems?|challenges?|questions?|phenomen(?:on|a)|gaps?|limitations?|drawbacks?|ideas?|observations?|findings?|techniques?|approach(?:es)?|methods?|schemes?|models?|aspects?|improvements?|changes?|properties|scenarios?|tasks?|settings?|agenda|goals?)\b/i;
// Sentences no reader wants as a summary.
const NOT_A_SUMMARY =
  /https?:\/\/|\bcode (?:is|are|will be)\b|\b(?:codes?|data|models?|weights) (?:is |are |will be )?(?:publicly )?(?:available|released)\b|\?$|^\s*\(?\d+\)|^our codes?\b/i;

/** The sentence's role in its abstract. */
export function roleOf(sentence: string): Role {
  if (WE_IN_GENERAL.test(sentence) || SAYS_NOTHING.test(sentence)) return 0;
  if (PROPOSES.test(sentence)) return 3;
  if (SHOWS.test(sentence)) return 2;
  if (STUDIES.test(sentence)) return 1;
  return 0;
}

/**
 * The sentence as it can be read alone: an opening clause that points back ("To tackle this issue,")
 * dropped when the paper's own statement follows, or undefined when the sentence needs its context.
 */
export function standalone(sentence: string): string | undefined {
  if (NOT_A_SUMMARY.test(sentence.trim())) return undefined;
  // Twice: "While this fails, in this paper we show…" has two clauses to drop.
  const text = dropLeadIn(dropLeadIn(sentence.trim()));
  const opened = text === sentence.trim() ? text : text[0]!.toUpperCase() + text.slice(1);
  if (POINTS_BACK.test(opened)) return undefined;
  return opened;
}

function dropLeadIn(text: string): string {
  const bare = text.replace(BARE_LEAD_IN, '');
  if (bare !== text) return bare;
  const own = OWN_STATEMENT.exec(text);
  if (!own || own.index > 200) return text;
  const lead = text.slice(0, own.index);
  if (/^(?:we|our)\b/i.test(lead)) return text;
  return POINTING.test(lead) || CONNECTIVE.test(lead.trim()) ? text.slice(own.index + own[0].length) : text;
}

/** A contribution the paper adds to its main one ("we also…", "finally, we…"). */
export function isSecondary(sentence: string): boolean {
  const verb = /\b(?:we|this (?:paper|work))\b/i.exec(sentence);
  return SECONDARY.test(sentence.slice(0, (verb?.index ?? 0) + 40));
}

/** The sentence points at something it does not name (a penalty, not an exclusion). */
export function refersBack(sentence: string): boolean {
  return REFERENCE_INSIDE.test(sentence);
}
