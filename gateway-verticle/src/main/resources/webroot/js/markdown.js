// Markdown in messages: marked parses, DOMPurify cleans what it made, and the page decorates the clean DOM
// (highlighted code, a Copy button per code block, links that open in a new tab without an opener).
// HTML written in a message is never markup: marked's html tokens are rendered as their escaped source, so
// "<img onerror=...>" shows as those characters. DOMPurify runs anyway, after parsing, as the second wall
// (it drops javascript: links and any attribute or tag marked might let through).
// The vendor scripts (vendor/marked.umd.js, purify.min.js, highlight.min.js) load before the modules.

import { el } from './dom.js';

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** Block-level containers whose whitespace-only text between children is layout noise from the parser. */
const BLOCKS = new Set(['UL', 'OL', 'LI', 'BLOCKQUOTE', 'TABLE', 'THEAD', 'TBODY', 'TR', 'DIV']);
const MAX_HIGHLIGHT_CHARS = 20000;

let parser = null;
let purifier = null;

function setUp() {
  if (parser) return;
  parser = new window.marked.Marked({
    gfm: true,
    breaks: false, // line breaks are kept by CSS (white-space: pre-wrap on paragraphs), so text stays text
    renderer: {
      html: ({ text, block }) => (block ? `<p>${escapeHtml(text.replace(/\n+$/, ''))}</p>` : escapeHtml(text)),
      // No remote images from a message: the alt text as a link to it (the CSP would block them anyway).
      image: ({ href, text }) => `<a href="${escapeHtml(href || '')}">${escapeHtml(text || href || 'image')}</a>`,
      code: ({ text, lang }) => {
        const language = (lang || '').match(/^[\w+#.-]*/)[0];
        return `<pre><code${language ? ` class="language-${escapeHtml(language)}"` : ''}>${escapeHtml(text)}</code></pre>`;
      },
    },
  });
  purifier = window.DOMPurify(window);
  purifier.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A') {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
}

const SANITIZE = {
  RETURN_DOM_FRAGMENT: true,
  FORBID_TAGS: ['style', 'img', 'svg', 'math', 'form', 'input', 'button', 'textarea', 'select', 'iframe'],
  FORBID_ATTR: ['style', 'id', 'name'],
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#|\/(?!\/))/i,
};

/** The clean DOM of a Markdown text, ready to put into a message body. */
export function renderMarkdown(text) {
  setUp();
  const html = parser.parse(String(text ?? ''));
  const fragment = purifier.sanitize(html, SANITIZE);
  tidy(fragment);
  for (const code of fragment.querySelectorAll('pre > code')) decorateCode(code);
  return fragment;
}

/** Replaces a node's children with the rendered Markdown (the node itself stays: no flicker, no lost focus). */
export function renderMarkdownInto(node, text) {
  node.replaceChildren(renderMarkdown(text));
}

function tidy(root) {
  for (const child of [...root.childNodes]) {
    if (child.nodeType === Node.TEXT_NODE && !child.textContent.trim()
        && (root.nodeType === Node.DOCUMENT_FRAGMENT_NODE || BLOCKS.has(root.tagName))) {
      child.remove();
    } else if (child.nodeType === Node.ELEMENT_NODE && child.tagName !== 'PRE') {
      tidy(child);
    }
  }
}

function decorateCode(code) {
  const pre = code.parentElement;
  const language = ((code.className || '').match(/language-([\w+#.-]+)/) || [])[1] || '';
  if (window.hljs && code.textContent.length <= MAX_HIGHLIGHT_CHARS) {
    const known = language && window.hljs.getLanguage(language);
    // hljs builds its markup from the text with escaping of its own; the result holds spans only.
    const result = known
      ? window.hljs.highlight(code.textContent, { language, ignoreIllegals: true })
      : window.hljs.highlightAuto(code.textContent);
    code.innerHTML = purifier.sanitize(result.value, { ALLOWED_TAGS: ['span'], ALLOWED_ATTR: ['class'] });
    code.classList.add('hljs');
  }
  const copy = el('button', { type: 'button', class: 'copy-code secondary', 'aria-label': 'Copy code' }, 'Copy');
  const head = el('div', { class: 'code-head' }, el('span', { class: 'code-language' }, language), copy);
  const block = el('div', { class: 'code-block' }, head);
  pre.replaceWith(block);
  block.append(pre);
}

/** Copies text to the clipboard; resolves true when it worked. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API (an insecure origin) or no permission: the old way, through a selection.
    const area = el('textarea', { class: 'visually-hidden', readonly: true });
    area.value = text;
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }
}

/** One click handler for every Copy button in a container (code blocks are re-rendered while streaming). */
export function handleCodeCopy(container) {
  container.addEventListener('click', async (e) => {
    const button = e.target.closest && e.target.closest('button.copy-code');
    if (!button || !container.contains(button)) return;
    const code = button.closest('.code-block').querySelector('code');
    const ok = await copyText(code ? code.textContent : '');
    button.textContent = ok ? 'Copied' : 'Copy failed';
    setTimeout(() => { button.textContent = 'Copy'; }, 2000);
  });
}
