import { formatMoment } from './format.ts';
import { html } from './html.ts';
import { renderPage } from './page-layout.ts';
import { languageFrame } from './render-paper-page.ts';
import { type PageLanguage, sharePageCopy } from './share-page.copy.ts';

/**
 * The page of a data-export link: "your data export", the download of the JSON and when the link ends. It
 * shows none of the data itself.
 */
export function renderExportPage(model: { lang: PageLanguage; token: string; expiresAt: Date }): string {
  const copy = sharePageCopy[model.lang];
  const path = `/s/${model.token}`;
  const ends = formatMoment(model.expiresAt);
  return renderPage(
    {
      lang: model.lang,
      title: copy.exportHeading,
      site: copy.site,
      skipToContent: copy.skipToContent,
      ...languageFrame(copy, path),
      footer: html`<p>${copy.footer}</p>`,
    },
    html`<h1>${copy.exportHeading}</h1>
<p>${copy.exportExplained}</p>
<p><a class="button" href="${path}/file" download>${copy.exportDownload}</a></p>
<p>${copy.linkEnds(ends.time, ends.day)}</p>`,
  );
}
