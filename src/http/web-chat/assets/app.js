// The web chat: sends what the person types (or the payload of a button) to /chat/messages and shows the
// replies streamed by /chat/events (server-sent events; the browser reconnects by itself, no polling).

const WORDS = {
  vi: {
    tooFast: 'Bạn gửi quá nhanh. Vui lòng chờ {s} giây rồi gửi lại.',
    failed: 'Chưa gửi được tin nhắn. Vui lòng thử lại.',
    offline: 'Mất kết nối, đang kết nối lại…',
    smsTo: 'Tới {to}:',
  },
  en: {
    tooFast: 'You are sending too fast. Please wait {s} seconds and try again.',
    failed: 'The message was not sent. Please try again.',
    offline: 'Connection lost, reconnecting…',
    smsTo: 'To {to}:',
  },
};

const lang = document.body.dataset.lang === 'en' ? 'en' : 'vi';
const words = WORDS[lang];
const log = document.getElementById('log');
const status = document.getElementById('status');
const form = document.getElementById('composer');
const input = document.getElementById('text');
const devList = document.getElementById('dev-sms');
const devEmpty = document.getElementById('dev-empty');

/** Appends text to `parent`, turning http(s) links into anchors (built as nodes, never as HTML). */
function appendText(parent, text) {
  const parts = text.split(/(https?:\/\/[^\s]+)/u);
  for (const part of parts) {
    if (/^https?:\/\//u.test(part)) {
      const a = document.createElement('a');
      a.href = part;
      a.textContent = part;
      a.rel = 'noopener';
      parent.append(a);
    } else if (part !== '') {
      parent.append(document.createTextNode(part));
    }
  }
}

function scrollDown() {
  log.scrollTop = log.scrollHeight;
}

function showMine(text) {
  const p = document.createElement('p');
  p.className = 'msg me';
  p.textContent = text;
  log.append(p);
  scrollDown();
}

function showReply(entry) {
  const div = document.createElement('div');
  div.className = 'msg bot';
  div.lang = entry.language;
  appendText(div, entry.text);
  if (entry.image) {
    const img = document.createElement('img');
    img.src = entry.image.url;
    img.alt = entry.image.alt;
    div.append(img);
  }
  if (entry.choices.length > 0) {
    const choices = document.createElement('div');
    choices.className = 'choices';
    for (const choice of entry.choices) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = choice.label;
      button.addEventListener('click', () => {
        showMine(choice.label);
        void post({ text: choice.payload });
      });
      choices.append(button);
    }
    div.append(choices);
  }
  log.append(div);
  scrollDown();
}

function showSms(entry) {
  if (!devList) return;
  if (devEmpty) devEmpty.hidden = true;
  const li = document.createElement('li');
  const to = document.createElement('strong');
  to.textContent = words.smsTo.replace('{to}', entry.to);
  li.append(to, ' ', entry.text);
  devList.append(li);
}

/** A random UUID (v4) naming one message, so a retry of it is stored once. */
function messageId() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

async function post(body) {
  status.textContent = '';
  try {
    const response = await fetch('/chat/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, id: messageId() }),
      credentials: 'same-origin',
    });
    if (response.status === 429) {
      const seconds = response.headers.get('retry-after') ?? '60';
      status.textContent = words.tooFast.replace('{s}', seconds);
    } else if (!response.ok) {
      status.textContent = words.failed;
    }
  } catch {
    status.textContent = words.failed;
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (text === '') return;
  input.value = '';
  showMine(text);
  void post({ text });
});

const events = new EventSource('/chat/events');
events.addEventListener('entry', (event) => {
  const entry = JSON.parse(event.data);
  if (entry.kind === 'reply') showReply(entry);
  else if (entry.kind === 'sms') showSms(entry);
});
events.addEventListener('open', () => {
  if (status.textContent === words.offline) status.textContent = '';
});
events.addEventListener('error', () => {
  status.textContent = words.offline;
});

if (document.body.dataset.newSession === '1') void post({ start: true, lang });
