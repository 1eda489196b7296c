import { toBibtex } from '../../papers/bibtex.js';
import type { Paper } from '../../papers/paper.js';
import type { AppStore } from '../../store/open.js';
import { UsageError, type Flags } from '../flags.js';
import { EXIT, type CliIo } from '../io.js';

/** More than any channel reads; the export is for a reference manager, which takes any number. */
const MOST = 10_000;

/**
 * `paperboy library --channel C [--team T] [--bibtex]`: the channel's reading list (the papers it 👍'd),
 * most recently liked first, as a list or as BibTeX for a reference manager.
 */
export async function library(flags: Flags, io: CliIo, store: () => Promise<AppStore>): Promise<number> {
  const channel = flags.channel?.replace(/^#/, '').trim();
  if (!channel) throw new UsageError('give the channel whose reading list you want: --channel C (its Slack id)');
  const opened = await store();
  const ids = await opened.channelLibrary(flags.team, channel, MOST);
  const known = new Map((await opened.allPapers()).map((paper) => [paper.id, paper]));
  const papers = ids.map((id) => known.get(id)).filter((paper): paper is Paper => paper !== undefined);
  if (!papers.length) {
    io.err(`Channel ${channel} has no reading list yet: 👍 a paper there to add it.`);
    return EXIT.noMatch;
  }
  if (ids.length > papers.length) io.err(`${ids.length - papers.length} liked paper(s) are no longer in the store and were left out.`);
  if (flags.bibtex) {
    io.out(toBibtex(papers).trimEnd());
    return EXIT.ok;
  }
  io.out(papers.map((paper, i) => `${i + 1}. ${paper.title}${paper.links.arxiv ? `  ${paper.links.arxiv}` : ''}`).join('\n'));
  return EXIT.ok;
}
