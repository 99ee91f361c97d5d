const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/**
 * The text of the copy block labelled `label` in a share page's HTML, as a browser gives it to whoever copies it
 * (entities decoded), or undefined when the page has no such block.
 */
export function copyBlockText(page: string, label: string): string | undefined {
  for (const [, caption, code] of page.matchAll(
    /<figure class="copy"><figcaption>(.*?)<\/figcaption><pre><code>([\s\S]*?)<\/code><\/pre><\/figure>/g,
  )) {
    if (decode(caption ?? '') === label) return decode(code ?? '');
  }
  return undefined;
}

function decode(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}
