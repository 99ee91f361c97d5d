import { createHash } from 'node:crypto';
import { html, SafeHtml } from './html.ts';

// Mobile first, system fonts, no external assets; colours meet WCAG AA contrast on white.
const CSS = `
*{box-sizing:border-box}
body{margin:0;font:1.0625rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1a1a1a;background:#f6f7f9}
.skip{position:absolute;left:-999px}.skip:focus{left:.5rem;top:.5rem;background:#fff;padding:.5rem}
header,main,footer{max-width:40rem;margin:0 auto;padding:1rem}
header{display:flex;justify-content:space-between;align-items:center;gap:1rem;flex-wrap:wrap}
.site{margin:0;font-weight:600}
a{color:#0b57d0}a:focus-visible,.button:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}
main{background:#fff;border-radius:.5rem;overflow-wrap:break-word}
h1{font-size:1.5rem;line-height:1.25;margin:.25rem 0 1rem}h2{font-size:1.125rem;margin:1.5rem 0 .5rem}
dl{display:grid;grid-template-columns:minmax(8rem,auto) 1fr;gap:.25rem 1rem;margin:0}dt{color:#4a4a4a}dd{margin:0;font-weight:600}
.mark{border:2px solid;border-radius:.5rem;padding:.75rem 1rem;margin:1rem 0;font-weight:700}
.ok{background:#e6f4ea;border-color:#137333;color:#0d5223}.bad{background:#fce8e6;border-color:#b3261e;color:#8c1d18}
.bad p{font-weight:400;margin:.5rem 0 0}
details{margin:.5rem 0}code{word-break:break-all;font-size:.875rem}
.copy{margin:.75rem 0}.copy figcaption{font-weight:600;font-size:.9375rem;margin-bottom:.25rem}
.copy pre{margin:0;padding:.5rem .75rem;background:#f6f7f9;border:1px solid #c4c7cc;border-radius:.25rem;white-space:pre-wrap}
.copy code{-webkit-user-select:all;user-select:all}
.button{display:inline-block;background:#0b57d0;color:#fff;text-decoration:none;font-weight:600;padding:.75rem 1.25rem;border-radius:.5rem;margin:.5rem 0}
.qr{display:block;width:12.5rem;height:12.5rem;background:#fff}
footer{font-size:.875rem;color:#4a4a4a}
`;

/** The style sheet is ours and constant: put in as is (its hash is in the CSP). */
const STYLE = new SafeHtml(CSS);

/**
 * The Content-Security-Policy of every share page: nothing may load but images from this origin and the one
 * inline style sheet (by its hash). No scripts at all: the pages work without JavaScript.
 */
export const SHARE_PAGE_CSP = [
  "default-src 'none'",
  "img-src 'self'",
  `style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** What goes around a share page's content. */
export interface PageFrame {
  readonly lang: 'vi' | 'en';
  readonly title: string;
  /** The site name at the top. */
  readonly site: string;
  readonly skipToContent: string;
  /** The language switch, when the page has another language. */
  readonly languages?: { readonly label: string; readonly nav: string; readonly links: SafeHtml } | undefined;
  /** Links to the same page in other languages (`<link rel="alternate" hreflang>`). */
  readonly alternates?: readonly { readonly lang: string; readonly href: string }[] | undefined;
  readonly footer?: SafeHtml | undefined;
}

/** A whole HTML document: head, header (site and language switch), main and footer landmarks. */
export function renderPage(frame: PageFrame, content: SafeHtml): string {
  return html`<!doctype html>
<html lang="${frame.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${frame.title}</title>
${(frame.alternates ?? []).map((a) => html`<link rel="alternate" hreflang="${a.lang}" href="${a.href}">\n`)}<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">${frame.skipToContent}</a>
<header>
<p class="site">${frame.site}</p>
${frame.languages ? html`<nav aria-label="${frame.languages.nav}">${frame.languages.links}</nav>` : null}
</header>
<main id="main">
${content}
</main>
${frame.footer ? html`<footer>${frame.footer}</footer>` : null}
</body>
</html>
`.value;
}
