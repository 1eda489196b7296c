// The sandbox page: a Slack-like channel, thread pane and Home tab, fed by the server's event stream.
import { renderBlocks } from './blocks.js';
import { element, mrkdwn } from './mrkdwn.js';

const $ = (id) => document.getElementById(id);
const state = {
  /** ts -> message, in the order first seen; an edit keeps its place. */
  messages: new Map(),
  /** ts -> how many times the message changed: a message is drawn again only when it did. */
  revisions: new Map(),
  names: {},
  hello: undefined,
  home: undefined,
  /** The ts of the thread open in the side pane. */
  thread: undefined,
};
const drawn = new Map(); // list element -> Map(ts -> { key, node })

async function post(path, body = {}) {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
}

function showError(error) {
  $('status').textContent = `Could not reach the sandbox: ${error.message}`;
}

function received(message) {
  state.messages.set(message.ts, message);
  state.revisions.set(message.ts, (state.revisions.get(message.ts) ?? 0) + 1);
}

function connect() {
  const events = new EventSource('/events');
  events.addEventListener('hello', (event) => {
    const hello = JSON.parse(event.data);
    state.hello = hello;
    state.names = { [hello.bot.id]: hello.bot.name, [hello.person.id]: hello.person.name, [hello.channel.id]: hello.channel.name };
    // Sent again on every reconnection, by a sandbox that may have restarted since.
    state.messages.clear();
    for (const message of hello.messages) received(message);
    state.home = hello.home;
    $('status').textContent = '';
    for (const node of document.querySelectorAll('.channel-name')) node.textContent = hello.channel.name;
    $('channel-input').placeholder = `Message #${hello.channel.name}`;
    $('digest').hidden = !hello.digest;
    $('about-digest').hidden = !hello.digest;
    if (hello.about) {
      $('about-corpus').textContent = hello.about.corpus;
      $('about-answers').textContent = hello.about.answers;
    }
    draw();
  });
  events.addEventListener('message', (event) => {
    received(JSON.parse(event.data));
    draw();
  });
  events.addEventListener('home', (event) => {
    state.home = JSON.parse(event.data);
    drawHome();
  });
  events.addEventListener('error', () => {
    $('status').textContent = 'Reconnecting to the sandbox…';
  });
}

const isReply = (message) => message.threadTs !== undefined && message.threadTs !== message.ts;
const repliesTo = (ts) => [...state.messages.values()].filter((message) => message.threadTs === ts);

function draw() {
  const all = [...state.messages.values()];
  drawList(
    $('messages'),
    all.filter((message) => !isReply(message)),
    { inThread: false },
  );
  if (state.thread) {
    const root = state.messages.get(state.thread);
    drawList($('thread-messages'), root ? [root, ...repliesTo(root.ts)] : [], { inThread: true });
  }
  $('intro').hidden = all.length > 0;
}

/** Redraws only the messages that changed since the last draw; follows the end if it was in view. */
function drawList(list, messages, options) {
  const before = drawn.get(list) ?? new Map();
  const now = new Map();
  const following = list.scrollHeight - list.scrollTop - list.clientHeight < 120;
  const nodes = messages.map((message) => {
    const replies = options.inThread ? 0 : repliesTo(message.ts).length;
    const key = `${state.revisions.get(message.ts)}:${replies}`;
    const old = before.get(message.ts);
    const node = old?.key === key ? old.node : messageNode(message, replies, options);
    now.set(message.ts, { key, node });
    return node;
  });
  list.replaceChildren(...nodes);
  drawn.set(list, now);
  if (following) list.scrollTop = list.scrollHeight;
}

const AUTHORS = {
  bot: { initial: 'P', badge: 'APP' },
  user: { initial: 'A' },
  slackbot: { initial: 'S', name: 'Slackbot' },
};

function messageNode(message, replies, options) {
  const author = AUTHORS[message.author];
  const node = element('article', undefined, `message message-${message.author}${message.ephemeral ? ' message-ephemeral' : ''}`);
  node.dataset.ts = message.ts;
  node.append(element('div', author.initial, `avatar avatar-${message.author}`));
  const body = element('div', undefined, 'message-body');
  if (message.ephemeral) body.append(element('div', 'Only visible to you', 'ephemeral-note'));
  const meta = element('div', undefined, 'message-meta');
  meta.append(element('span', author.name ?? nameOf(message.author), 'author'));
  if (author.badge) meta.append(element('span', author.badge, 'badge'));
  meta.append(element('time', new Date(message.postedAt).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' })));
  body.append(meta);
  if (Array.isArray(message.blocks) && message.blocks.length) {
    body.append(
      renderBlocks(message.blocks, { names: state.names, onClick: (block, item, button) => click(message, block, item, button) }),
    );
  } else {
    const text = element('div', undefined, 'message-text');
    text.append(mrkdwn(message.text, state.names));
    body.append(text);
  }
  if (!options.inThread && !message.ephemeral) {
    const label = replies ? `${replies} ${replies === 1 ? 'reply' : 'replies'}` : 'Reply in thread';
    const open = element('button', label, replies ? 'thread-link' : 'thread-link thread-link-quiet');
    open.type = 'button';
    open.addEventListener('click', () => openThread(message.ts));
    body.append(open);
  }
  node.append(body);
  return node;
}

function nameOf(author) {
  return author === 'bot' ? state.hello.bot.name : state.hello.person.name;
}

async function click(message, block, item, button) {
  button.disabled = true;
  try {
    await post('/api/click', {
      ts: message.ts,
      actionId: item.action_id,
      value: item.value ?? '',
      ...(block.block_id ? { blockId: block.block_id } : {}),
    });
  } catch (error) {
    showError(error);
  } finally {
    setTimeout(() => (button.disabled = false), 600);
  }
}

function openThread(ts, highlight) {
  state.thread = ts;
  $('thread').hidden = false;
  drawn.delete($('thread-messages'));
  draw();
  $('thread-input').focus();
  const reply = highlight && $('thread-messages').querySelector(`[data-ts="${CSS.escape(highlight)}"]`);
  if (reply) {
    reply.scrollIntoView({ block: 'start' });
    reply.classList.add('message-highlight');
    setTimeout(() => reply.classList.remove('message-highlight'), 1500);
  }
}

/** A Slack permalink (https://x.slack.com/archives/C…/p…?thread_ts=…) to this channel opens its thread here. */
function permalinkTarget(href) {
  let url;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  const match = /^\/archives\/([A-Z0-9]+)\/p(\d{10})(\d{6})$/.exec(url.pathname);
  if (!url.hostname.endsWith('.slack.com') || !match || match[1] !== state.hello?.channel.id) return undefined;
  const ts = `${match[2]}.${match[3]}`;
  return { ts, threadTs: url.searchParams.get('thread_ts') ?? ts };
}

document.addEventListener('click', (event) => {
  const anchor = event.target instanceof Element ? event.target.closest('a[href]') : null;
  const target = anchor && permalinkTarget(anchor.href);
  if (!target) return;
  event.preventDefault();
  showView('channel');
  openThread(target.threadTs, target.ts);
});

function showView(view) {
  $('channel-view').hidden = view !== 'channel';
  $('home-view').hidden = view !== 'home';
  $('nav-channel').classList.toggle('active', view === 'channel');
  $('nav-home').classList.toggle('active', view === 'home');
  if (view === 'home') {
    $('thread').hidden = true;
    post('/api/home').catch(showError);
  }
}

function drawHome() {
  const content = $('home-content');
  if (!state.home?.blocks) content.replaceChildren(element('p', 'Opening the Home tab…', 'muted'));
  else content.replaceChildren(renderBlocks(state.home.blocks, { names: state.names }));
}

function composer(form, input, threadTs) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    // Whoever sends wants to see the answer: back to the end, which the list then follows.
    const list = threadTs() ? $('thread-messages') : $('messages');
    list.scrollTop = list.scrollHeight;
    post('/api/type', { text, ...(threadTs() ? { threadTs: threadTs() } : {}) }).catch(showError);
  });
}

composer($('channel-composer'), $('channel-input'), () => undefined);
composer($('thread-composer'), $('thread-input'), () => state.thread);
$('thread-close').addEventListener('click', () => {
  state.thread = undefined;
  $('thread').hidden = true;
});
$('nav-channel').addEventListener('click', () => showView('channel'));
$('nav-home').addEventListener('click', () => showView('home'));
$('digest').addEventListener('click', () => post('/api/digest').catch(showError));
drawHome();
connect();
