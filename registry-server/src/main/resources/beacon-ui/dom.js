/* Small DOM helpers. Text from the registry (names, metadata) only ever goes in as textContent. */

export const byId = (id) => document.getElementById(id);

export function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) {
    node.textContent = text;
  }
  if (className) {
    node.className = className;
  }
  return node;
}

/** A status badge: "UP", or "2 UP" with a count. */
export function badge(status, count = null) {
  const span = el('span', count === null ? status : `${count} ${status}`, count === 0 ? 'badge zero' : 'badge');
  span.dataset.status = status;
  return span;
}

export function showNotice(text) {
  byId('notice').textContent = text;
  byId('notice').hidden = false;
}

export function hideNotice() {
  byId('notice').hidden = true;
}
