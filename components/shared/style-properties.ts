/**
 * `<span ${styleProperties({ background: color })}>`: inline styles set
 * through the CSSOM only. Lit's styleMap writes a `style` attribute on its
 * first render, which a host's Content-Security-Policy without
 * 'unsafe-inline' blocks; properties set on `element.style` are allowed.
 */
import { noChange, nothing } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';

type Properties = Record<string, string | null | undefined>;

class StylePropertiesDirective extends Directive {
  private previous = new Set<string>();

  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ELEMENT) throw new Error('styleProperties() belongs on an element, not in an attribute.');
  }

  render(_properties: Properties) {
    return nothing;
  }

  override update(part: ElementPart, [properties]: [Properties]) {
    const { style } = part.element as HTMLElement;
    for (const name of this.previous) if (properties[name] == null) style.removeProperty(name);
    this.previous = new Set();
    for (const [name, value] of Object.entries(properties)) {
      if (value == null) continue;
      style.setProperty(name, value);
      this.previous.add(name);
    }
    return noChange;
  }
}

export const styleProperties = directive(StylePropertiesDirective);
