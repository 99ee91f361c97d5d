import { html } from './html.ts';
import { renderPage } from './page-layout.ts';
import { notFoundCopy, sharePageCopy, tooManyCopy } from './share-page.copy.ts';

const frame = (title: string) => ({
  lang: 'vi' as const,
  title,
  site: `${sharePageCopy.vi.site} · ${sharePageCopy.en.site}`,
  skipToContent: sharePageCopy.vi.skipToContent,
});

/**
 * The one page for every link that cannot be opened, whatever the reason (unknown, expired, revoked, used up,
 * malformed): the same bytes each time, in Vietnamese and English, so it tells a guesser nothing.
 */
export const NOT_FOUND_PAGE: string = renderPage(
  frame(notFoundCopy.title),
  html`<h1>${notFoundCopy.vi.heading}</h1>
<p>${notFoundCopy.vi.text}</p>
<p>${notFoundCopy.vi.advice}</p>
<section lang="en" aria-labelledby="en-heading">
<h2 id="en-heading">${notFoundCopy.en.heading}</h2>
<p>${notFoundCopy.en.text}</p>
<p>${notFoundCopy.en.advice}</p>
</section>`,
);

/** The bilingual page for a client blocked for guessing, saying when to try again. */
export function renderTooManyPage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return renderPage(
    frame(tooManyCopy.title),
    html`<h1>${tooManyCopy.vi.heading}</h1>
<p>${tooManyCopy.vi.text(minutes)}</p>
<section lang="en" aria-labelledby="en-heading">
<h2 id="en-heading">${tooManyCopy.en.heading}</h2>
<p>${tooManyCopy.en.text(minutes)}</p>
</section>`,
  );
}
