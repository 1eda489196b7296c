const OPEN = '<think>';
const CLOSE = '</think>';

/**
 * Removes a reasoning model's thinking from its text as it streams. DeepSeek-R1 and Qwen3 (on
 * Ollama, vLLM without a reasoning parser, llama.cpp, LM Studio) write `<think>…</think>` inline in
 * `content`; a stream cut off while thinking leaves a `<think>` that never closes, and everything
 * after it is thinking. A tag split across deltas ("<thi" + "nk>") is held back until it is whole.
 * A `</think>` with no `<think>` (a chat template that opened the tag in the prompt) makes what came
 * before it thinking: `visible` then drops it (what was already pushed on cannot be taken back).
 */
export class ThinkFilter {
  private held = '';
  private thinking = false;
  private text = '';

  /** The visible part of `delta`, to show now. */
  push(delta: string): string {
    let input = this.held + delta;
    this.held = '';
    let out = '';
    while (input) {
      const tag = this.thinking ? CLOSE : OPEN;
      const at = input.indexOf(tag);
      const orphanClose = !this.thinking ? input.indexOf(CLOSE) : -1;
      if (orphanClose >= 0 && (at < 0 || orphanClose < at)) {
        // Everything so far was thinking after all.
        this.text = '';
        out = '';
        input = input.slice(orphanClose + CLOSE.length);
        continue;
      }
      if (at >= 0) {
        if (!this.thinking) out += input.slice(0, at);
        this.thinking = !this.thinking;
        input = input.slice(at + tag.length);
        continue;
      }
      const keep = partialTagAt(input, this.thinking ? [CLOSE] : [OPEN, CLOSE]);
      if (!this.thinking) out += input.slice(0, keep);
      this.held = input.slice(keep);
      input = '';
    }
    this.text += out;
    return out;
  }

  /** Whatever was held back, once the stream has ended (nothing, while still thinking). */
  end(): string {
    const rest = this.thinking ? '' : this.held;
    this.held = '';
    this.text += rest;
    return rest;
  }

  /** All visible text so far. */
  get visible(): string {
    return this.text;
  }
}

/** The text without its thinking: for a whole reply that did not stream. */
export function stripThinking(text: string): string {
  const filter = new ThinkFilter();
  filter.push(text);
  filter.end();
  return filter.visible;
}

/** Where a suffix of `text` that could begin one of `tags` starts (text.length when none does). */
function partialTagAt(text: string, tags: string[]): number {
  for (let start = Math.max(0, text.length - Math.max(...tags.map((tag) => tag.length)) + 1); start < text.length; start++) {
    const tail = text.slice(start);
    if (tags.some((tag) => tag.startsWith(tail))) return start;
  }
  return text.length;
}
