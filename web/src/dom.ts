// A tiny element builder. Pages build DOM with h() rather than innerHTML, so text from the
// server is always text (never markup) and nothing inline can trip the CSP.

/** A child that h() accepts: a node, text, or nothing (skipped). */
export type Child = Node | string | null | undefined | false;

/** Attribute values: strings are set as-is, `true` sets an empty attribute, `false`/null omit it. */
export type Attrs = Record<string, string | boolean | null | undefined>;

/**
 * Creates an element with the given attributes and children. The `style` attribute is
 * refused: styling belongs in CSS classes (and style="" would violate style-src 'self').
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'style') throw new Error('h(): use a CSS class, not a style attribute');
    if (value === true) el.setAttribute(name, '');
    else if (typeof value === 'string') el.setAttribute(name, value);
  }
  append(el, children);
  return el;
}

/** Appends children to `parent`, skipping empty ones; strings become text nodes. */
export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replaces everything inside `parent` with `children`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}
