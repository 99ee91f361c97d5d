/**
 * The script of a development phone's view (served from `/dev/phones/assets/phones.js`, CSP `script-src 'self'`):
 * shows the phone's texts as they arrive (`<path>/events`, server-sent events) and sends what is typed as that
 * phone (`POST <path>/messages`, JSON, same origin). Text always goes in the page as text, never as markup.
 */
export const DEV_PHONES_JS = `'use strict';
(() => {
  const root = document.getElementById('phone-view');
  if (!root || typeof EventSource === 'undefined' || typeof fetch === 'undefined') return;
  const path = root.getAttribute('data-path');
  const lang = document.documentElement.lang === 'en' ? 'en' : 'vi';
  const log = document.getElementById('texts');
  const form = document.getElementById('answer');
  const input = document.getElementById('text');
  const status = document.getElementById('status');
  const add = (who, text, className, count) => {
    const div = document.createElement('div');
    div.className = 'msg ' + className;
    const author = document.createElement('strong');
    author.textContent = who + ': ';
    div.appendChild(author);
    div.appendChild(document.createTextNode(text));
    if (count) {
      const small = document.createElement('span');
      small.className = 'count';
      small.textContent = count;
      div.appendChild(small);
    }
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
  };
  const events = new EventSource(path + '/events?lang=' + lang);
  events.addEventListener('entry', (message) => {
    try {
      const entry = JSON.parse(message.data);
      add(root.getAttribute('data-service'), entry.text, 'bot', entry.countText);
    } catch (_) {
      // Not an entry: ignored.
    }
  });
  const uuid = () =>
    typeof crypto !== 'undefined' && crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    status.textContent = '';
    const response = await fetch(path + '/messages', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, id: uuid() }),
    }).catch(() => null);
    if (!response || !response.ok) {
      status.textContent = root.getAttribute(response && response.status === 429 ? 'data-limited' : 'data-failed');
      return;
    }
    add(root.getAttribute('data-you'), text, 'me');
    input.value = '';
    input.focus();
  });
})();
`;
