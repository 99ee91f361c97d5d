/**
 * The Simulator page's script (served from `/console/assets/simulator.js`, CSP `script-src 'self'`): starts a
 * simulated conversation (`POST /console/simulator/start`), listens to its replies
 * (`/console/simulator/events`, server-sent events) and sends what is typed or a button's payload
 * (`POST /console/simulator/messages`), with the session's CSRF token in `X-CSRF-Token`. Text is always put in
 * the page as text (`textContent`), never as markup.
 */
export const SIMULATOR_JS = `'use strict';
(() => {
  const root = document.getElementById('simulator');
  if (!root || typeof EventSource === 'undefined' || typeof fetch === 'undefined') return;
  const csrf = root.getAttribute('data-csrf') || '';
  const setup = document.getElementById('sim-setup');
  const chat = document.getElementById('sim-chat');
  const log = document.getElementById('sim-log');
  const form = document.getElementById('sim-send');
  const input = document.getElementById('sim-text');
  const state = document.getElementById('sim-state');
  const error = document.getElementById('sim-error');
  let conversation = null;
  let events = null;
  const post = async (path, body) => {
    const response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    return { ok: response.ok, data };
  };
  const showError = (text) => {
    error.textContent = text || '';
    error.hidden = !text;
  };
  const item = (who, className) => {
    const li = document.createElement('li');
    li.className = className;
    const author = document.createElement('span');
    author.className = 'sim-who';
    author.textContent = who;
    li.appendChild(author);
    log.appendChild(li);
    return li;
  };
  const paragraph = (parent, text, className) => {
    const p = document.createElement('p');
    if (className) p.className = className;
    p.textContent = text;
    parent.appendChild(p);
    return p;
  };
  const send = async (body) => {
    showError('');
    const result = await post('/console/simulator/messages', { conversation, ...body }).catch(() => ({ ok: false, data: {} }));
    if (!result.ok) showError(root.getAttribute('data-failed'));
    return result.ok;
  };
  const show = (entry) => {
    if (entry.kind === 'sms') {
      const li = item(entry.label, 'sim-code');
      paragraph(li, entry.text, 'sim-text');
      return;
    }
    const li = item(root.getAttribute('data-assistant'), 'sim-bot');
    paragraph(li, entry.text, 'sim-text');
    if (entry.countText) paragraph(li, entry.countText, 'sim-count');
    if (entry.image) {
      const img = document.createElement('img');
      img.src = entry.image.url;
      img.alt = entry.image.alt;
      img.className = 'sim-picture';
      li.appendChild(img);
    }
    if (entry.choices && entry.choices.length > 0) {
      const buttons = document.createElement('div');
      buttons.className = 'sim-choices';
      for (const choice of entry.choices) {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = choice.label;
        button.addEventListener('click', () => {
          const mine = item(root.getAttribute('data-you'), 'sim-me');
          paragraph(mine, choice.label, 'sim-text');
          void send({ text: choice.payload });
        });
        buttons.appendChild(button);
      }
      li.appendChild(buttons);
    }
  };
  setup.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError('');
    const channel = setup.querySelector('[name=channel]').value;
    const phone = setup.querySelector('[name=phone]').value;
    const result = await post('/console/simulator/start', { channel, phone }).catch(() => ({ ok: false, data: {} }));
    if (!result.ok) {
      showError((result.data && result.data.error && result.data.error.message) || root.getAttribute('data-failed'));
      return;
    }
    conversation = result.data.conversation;
    if (events) events.close();
    log.textContent = '';
    chat.hidden = false;
    state.textContent = result.data.started;
    events = new EventSource('/console/simulator/events?conversation=' + encodeURIComponent(conversation));
    events.addEventListener('entry', (message) => {
      try {
        show(JSON.parse(message.data));
      } catch (_) {
        // Not an entry: ignored.
      }
    });
    if (result.data.welcome) void send({ start: true });
    input.focus();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || !conversation) return;
    const mine = item(root.getAttribute('data-you'), 'sim-me');
    paragraph(mine, text, 'sim-text');
    input.value = '';
    await send({ text });
  });
})();
`;

/** The Simulator's styles (part of the console's style sheet): a chat column that fits 360 px. */
export const SIMULATOR_CSS = `
ol.sim-log{list-style:none;padding:0;margin:0 0 .5rem}
ol.sim-log li{border-radius:.5rem;padding:.5rem .75rem;margin:.5rem 0;max-width:90%}
ol.sim-log li.sim-bot{background:#f1f3f4;border-left:4px solid #0b57d0}
ol.sim-log li.sim-me{background:#e8f0fe;margin-left:auto}
ol.sim-log li.sim-code{background:#fef7e0;border-left:4px solid #8c5d00}
.sim-who{display:block;font-size:.875rem;font-weight:600;color:#4a4a4a}
.sim-text{margin:.25rem 0;white-space:pre-wrap}
.sim-count{margin:.25rem 0 0;font-size:.875rem;color:#4a4a4a}
.sim-choices{display:flex;flex-wrap:wrap;gap:.25rem .5rem}
.sim-choices button{background:#fff;color:#0b57d0;border:1px solid #0b57d0}
.sim-picture{display:block;max-width:100%;height:auto;margin:.5rem 0;background:#fff}
`;
