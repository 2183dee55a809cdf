/**
 * Light formatting for notes, typed as plain text: **bold**, _italic_,
 * [text](https://link) and lines starting with "- " as a list. The text is
 * escaped first, so only these few tags can come out; the server sanitises
 * again whatever arrives.
 */
const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

function inline(text: string): string {
  return escape(text)
    .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, (_m, label: string, url: string) => `<a href="${url}">${label}</a>`)
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^\w])_(.+?)_(?=[^\w]|$)/g, '$1<em>$2</em>');
}

export function noteToHtml(source: string): string {
  const blocks: string[] = [];
  let list: string[] = [];
  let paragraph: string[] = [];
  const flushList = () => {
    if (list.length) blocks.push(`<ul>${list.map((item) => `<li>${inline(item)}</li>`).join('')}</ul>`);
    list = [];
  };
  const flushParagraph = () => {
    if (paragraph.length) blocks.push(`<p>${paragraph.map(inline).join('<br>')}</p>`);
    paragraph = [];
  };
  for (const line of source.replace(/\r\n?/g, '\n').split('\n')) {
    const item = /^\s*[-*]\s+(.*)$/.exec(line);
    if (item) {
      flushParagraph();
      list.push(item[1]);
    } else if (line.trim() === '') {
      flushList();
      flushParagraph();
    } else {
      flushList();
      paragraph.push(line.trim());
    }
  }
  flushList();
  flushParagraph();
  return blocks.join('');
}

/** Wraps the textarea's selection with markers (or inserts them around a placeholder). */
export function wrapSelection(area: HTMLTextAreaElement, before: string, after = before, placeholder = '') {
  const { selectionStart: start, selectionEnd: end, value } = area;
  const selected = value.slice(start, end) || placeholder;
  area.setRangeText(`${before}${selected}${after}`, start, end, 'end');
  area.setSelectionRange(start + before.length, start + before.length + selected.length);
  area.focus();
}

/** Turns the selected lines into "- " list items. */
export function listSelection(area: HTMLTextAreaElement) {
  const { selectionStart: start, selectionEnd: end, value } = area;
  const lineStart = value.lastIndexOf('\n', start - 1) + 1;
  const block = value.slice(lineStart, end) || '';
  const listed = block
    .split('\n')
    .map((line) => (line.startsWith('- ') ? line : `- ${line}`))
    .join('\n');
  area.setRangeText(listed, lineStart, Math.max(end, lineStart), 'end');
  area.focus();
}
