import type { Paper } from '../papers/paper.js';

/** How a piece of text was produced; every message says which, so users know what to trust. */
export type SummaryKind = 'llm' | 'extractive' | 'hf-ai-summary';

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

/** A checked answer: plain, untrusted text (the Slack layer escapes it). */
export interface Synthesis {
  kind: SummaryKind;
  /** Each bullet cites the numbered papers it draws on as [n] (1-based, in the order given). */
  bullets: string[];
  /** The [n] numbers cited, ascending, each valid. */
  cited: number[];
  /** Said to the user when this is not the LLM's answer, e.g. "No LLM configured: extractive summary". */
  notice?: string;
  /** The notice is what the reader must know first (a follow-up with no LLM): shown above the bullets. */
  noticeFirst?: boolean;
  usage?: TokenUsage;
  cached?: boolean;
}

/** Text deltas as the model writes them (unchecked), then the checked result in `final`. */
export interface SynthesisStream extends AsyncIterable<string> {
  readonly final: Promise<Synthesis>;
}

export interface Tldr {
  text: string;
  kind: SummaryKind;
}

export interface Turn {
  role: 'user' | 'assistant';
  text: string;
}

/** The domain's whole use of an LLM. With no LLM configured, or when it fails, it falls back. */
export interface Answerer {
  /** 3-6 cited bullets on what these papers do and how they relate. */
  synthesizeTopic(query: string, papers: Paper[], signal?: AbortSignal): SynthesisStream;
  /** A question asked in a thread about these papers, with the thread's earlier turns. */
  followUp(question: string, papers: Paper[], history: Turn[], signal?: AbortSignal): SynthesisStream;
  /** A closer look at one paper, from its abstract. */
  deepDive(paper: Paper, signal?: AbortSignal): SynthesisStream;
  /** One sentence (<= 30 words), computed once per paper, model and prompt version. */
  tldr(paper: Paper, signal?: AbortSignal): Promise<Tldr>;
}

/** Where the answer layer keeps what it computed (TL;DRs, answers); the Store implements it. */
export interface Cache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}
