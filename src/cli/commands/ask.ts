import { answerTopic } from '../../answer/topic-answer.js';
import { loadLlmConfig } from '../../answer/config.js';
import { createReranker } from '../../answer/rerank.js';
import { checkAnswer } from '../../answer/citations.js';
import type { SynthesisStream } from '../../answer/types.js';
import { noMatch, openSearch, suggestCloseTerms } from '../corpus-index.js';
import { searchOptions, validQuery, type Flags } from '../flags.js';
import { EXIT, terminalLogger, type CliIo } from '../io.js';
import type { AppStore } from '../../store/open.js';
import { formatBullet, formatHeading, formatPaper, formatSynthesisTitle } from '../terminal.js';

/** The answer /papers gives, for a terminal: synthesis (streamed when an LLM writes it), then papers. */
export async function ask(raw: string, flags: Flags, io: CliIo, store: () => Promise<AppStore>): Promise<number> {
  const query = validQuery(raw);
  const { index, semantic } = await openSearch(flags.corpus, io, store);
  const { answerer, live } = await io.answerer(await store());
  const options = searchOptions(flags);
  const reranker = createReranker(loadLlmConfig(io.settings), terminalLogger(io));
  const answer = await answerTopic(query, { index, answerer, semantic, reranker }, options);
  if (!answer) return noMatch(query, index, io, options);
  suggestCloseTerms(query, index, io);
  if (flags.json) {
    const [synthesis, tldrs] = await Promise.all([answer.synthesis.final, answer.tldrs]);
    const papers = answer.hits.map((hit, i) => ({
      n: i + 1,
      id: hit.paper.id,
      title: hit.paper.title,
      url: hit.paper.links.page ?? hit.paper.links.arxiv,
      tldr: tldrs[i],
    }));
    io.out(
      JSON.stringify({
        query,
        synthesis: {
          kind: synthesis.kind,
          bullets: synthesis.bullets,
          cited: synthesis.cited,
          ...(synthesis.notice ? { notice: synthesis.notice } : {}),
        },
        papers,
      }),
    );
    return EXIT.ok;
  }
  io.out(formatHeading(query, answer.hits.length, index.size) + '\n');
  if (live) {
    await printLive(answer.synthesis, answer.hits.length, io);
  } else {
    const synthesis = await answer.synthesis.final;
    io.out(formatSynthesisTitle(synthesis));
    for (const bullet of synthesis.bullets) io.out(formatBullet(bullet));
  }
  io.out('');
  const tldrs = await answer.tldrs;
  io.out(answer.hits.map((hit, i) => formatPaper(i + 1, hit, tldrs[i]!)).join('\n\n'));
  return EXIT.ok;
}

/**
 * Prints the LLM's bullets as they arrive, each checked on its own line, then the checked whole
 * if it differs (a fallback after a failure mid-stream, or a bullet the whole-answer check dropped),
 * and says when the LLM failed and the answer is a fallback.
 */
async function printLive(stream: SynthesisStream, paperCount: number, io: CliIo): Promise<void> {
  io.out('Synthesis');
  const printed: string[] = [];
  const printLine = (line: string) => {
    const checked = checkAnswer(line, { paperCount, maxBullets: 1 });
    if (!checked) return;
    printed.push(checked.bullets[0]!);
    io.out(formatBullet(checked.bullets[0]!));
  };
  let pending = '';
  for await (const delta of stream) {
    pending += delta;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    lines.forEach(printLine);
  }
  printLine(pending);
  const final = await stream.final;
  // Slack says "LLM unavailable (…)"; so does the terminal, where a script reading stdout sees it too.
  if (final.notice) io.err(`paperboy: ${final.notice}`);
  if (final.bullets.join('\n') === printed.join('\n')) {
    if (final.notice) io.out(`  (${final.notice})`);
    return;
  }
  io.out(printed.length ? `  ${final.notice ?? 'Checked answer'}:` : `  (${final.notice ?? 'checked'})`);
  for (const bullet of final.bullets) io.out(formatBullet(bullet));
}
