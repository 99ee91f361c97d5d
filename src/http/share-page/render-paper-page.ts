import type { DocumentRecord } from '../../domain/documents/document.ts';
import type { Authenticity } from '../../domain/shares/open-share.ts';
import { downloadName } from './download-name.ts';
import { formatDay, formatMoment, formatSize } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { type PageFrame, renderPage } from './page-layout.ts';
import { checkCommand, shownRecord } from './self-check.ts';
import { type PageLanguage, type SharePageCopy, sharePageCopy } from './share-page.copy.ts';

/** What the page of a shared paper shows. */
export interface PaperPageModel {
  readonly lang: PageLanguage;
  readonly token: string;
  /** PUBLIC_BASE_URL: recipients check that the page's address starts with it. */
  readonly publicBaseUrl: string;
  readonly document: DocumentRecord;
  readonly authenticity: Authenticity;
  /** The id of the key the signature was checked with. */
  readonly keyId: string;
  readonly shareExpiresAt: Date;
}

const TYPE_NAMES: Record<DocumentRecord['contentType'], string> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
};

/** The language links of a page at `path`: the switch and the alternates (`hreflang`). */
export function languageFrame(
  copy: SharePageCopy,
  path: string,
): Pick<PageFrame, 'languages' | 'alternates'> {
  const other = copy.otherLanguage;
  const href = (lang: PageLanguage) => (lang === 'en' ? `${path}?lang=en` : path);
  return {
    languages: {
      nav: copy.languageNav,
      label: other.label,
      links: html`<a href="${href(other.lang)}" hreflang="${other.lang}" lang="${other.lang}">${other.label}</a>`,
    },
    alternates: [
      { lang: 'vi', href: href('vi') },
      { lang: 'en', href: href('en') },
    ],
  };
}

/**
 * The public page of a shared paper: what it is, who issued it and when, how long it is valid, the
 * authenticity mark (or a red warning when the check failed: never both) with, collapsed, how to check the
 * signature by hand, the download, the page's QR code and when the link ends. Every value is escaped.
 */
export function renderPaperPage(model: PaperPageModel): string {
  const copy = sharePageCopy[model.lang];
  const { document } = model;
  const path = `/s/${model.token}`;
  const agency = `${document.agency.name} (${document.agency.code})`;
  const ends = formatMoment(model.shareExpiresAt);
  const content = html`<h1>${document.title}</h1>
<dl>
<dt>${copy.facts.type}</dt><dd>${document.title} · ${document.typeCode}</dd>
<dt>${copy.facts.issuer}</dt><dd>${agency}</dd>
<dt>${copy.facts.issuedAt}</dt><dd>${formatDay(document.issuedAt)}</dd>
<dt>${copy.facts.validUntil}</dt><dd>${document.expiresAt === null ? copy.facts.noExpiry : formatDay(document.expiresAt)}</dd>
</dl>
${model.authenticity.authentic ? authenticMark(copy, model, agency) : warning(copy, model.authenticity.reason)}
${
  model.authenticity.authentic
    ? html`<p><a class="button" href="${path}/file" download>${copy.download(TYPE_NAMES[document.contentType], formatSize(document.sizeBytes, model.lang))}</a></p>`
    : null
}
<h2>${copy.qrHeading}</h2>
<img class="qr" src="${path}/qr.svg" width="200" height="200" alt="${copy.qrAlt}">
<p>${copy.qrExplained}</p>
<p>${copy.linkEnds(ends.time, ends.day)}</p>
<h2>${copy.recipientHeading}</h2>
<ul>${copy.recipientChecks(model.publicBaseUrl).map((check) => html`<li>${check}</li>`)}</ul>`;
  return renderPage(
    {
      lang: model.lang,
      title: `${document.title} · ${copy.paperHeading}`,
      site: copy.site,
      skipToContent: copy.skipToContent,
      ...languageFrame(copy, path),
      footer: html`<p>${copy.footer}</p>`,
    },
    content,
  );
}

function authenticMark(copy: SharePageCopy, model: PaperPageModel, agency: string): SafeHtml {
  const { document } = model;
  const words = copy.selfCheck;
  const keysUrl = `${model.publicBaseUrl}/.well-known/document-signing-key`;
  const record = shownRecord(document);
  const command = checkCommand({
    keysUrl,
    keyId: model.keyId,
    signature: document.signature,
    record,
    words: words.words,
  });
  return html`<section class="mark ok" aria-labelledby="mark">
<p id="mark" role="status"><span aria-hidden="true">✔ </span>${copy.authentic(agency)}</p>
</section>
<details>
<summary>${copy.checkDetails}</summary>
<p>${copy.checkExplained(model.keyId)}</p>
<dl>
<dt>${copy.sha256}</dt><dd><code>${document.sha256}</code></dd>
<dt>${copy.keyId}</dt><dd><code>${model.keyId}</code></dd>
<dt>${copy.publicKey}</dt><dd><a href="/.well-known/document-signing-key">/.well-known/document-signing-key</a></dd>
</dl>
<h2>${words.heading}</h2>
<p>${words.explained(keysUrl)}</p>
<p>${words.numberHidden}</p>
${copyBlock(words.record, record)}
${copyBlock(words.signature, document.signature)}
${copyBlock(words.command, command)}
<p>${words.commandExplained}</p>
${copyBlock(words.fileCommand, `sha256sum ${downloadName(document.title, document.contentType)}`)}
<p>${words.fileCommandExplained(document.sha256)}</p>
</details>`;
}

/** Text to copy, exactly as is, under its label: wrapped, never scrolled sideways; one tap selects it all. */
function copyBlock(label: string, text: string): SafeHtml {
  return html`<figure class="copy"><figcaption>${label}</figcaption><pre><code>${text}</code></pre></figure>`;
}

function warning(copy: SharePageCopy, reason: keyof SharePageCopy['failure']): SafeHtml {
  return html`<section class="mark bad" role="alert" aria-labelledby="mark">
<p id="mark"><span aria-hidden="true">⚠ </span>${copy.warning}</p>
<p>${copy.failure[reason]}</p>
<p>${copy.warningAdvice}</p>
</section>`;
}
