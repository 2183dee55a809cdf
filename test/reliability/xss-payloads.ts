/**
 * Known XSS payloads: script tags, event handlers, javascript: and data:
 * URLs, SVG and MathML, template and comment breakouts, encoded and
 * obfuscated variants. Each one calls `__xss(n)` when it runs, so a test
 * knows which got through. {n} is replaced by the payload's number.
 */
export const PAYLOADS = [
  '<script>__xss({n})</script>',
  '<img src=x onerror=__xss({n})>',
  '<svg onload=__xss({n})>',
  '<svg><script>__xss({n})</script></svg>',
  '"><img src=x onerror=__xss({n})>',
  "'><svg/onload=__xss({n})>",
  'javascript:__xss({n})',
  '<a href="javascript:__xss({n})">x</a>',
  '<a href=" &#14; javascript:__xss({n})">x</a>',
  '<a href="&#106;avascript:__xss({n})">x</a>',
  '<a href="data:text/html,<script>parent.__xss({n})</script>">x</a>',
  '<iframe src="javascript:parent.__xss({n})"></iframe>',
  '<iframe srcdoc="<script>parent.__xss({n})</script>"></iframe>',
  '<body onload=__xss({n})>',
  '<details open ontoggle=__xss({n})>',
  '<input autofocus onfocus=__xss({n})>',
  '<video><source onerror=__xss({n})></video>',
  '<math><mtext><table><mglyph><style><img src=x onerror=__xss({n})>',
  '<svg><animate onbegin=__xss({n}) attributeName=x dur=1s>',
  '<object data="javascript:__xss({n})"></object>',
  '<embed src="javascript:__xss({n})">',
  '<form><button formaction="javascript:__xss({n})">x</button></form>',
  '<div style="background:url(javascript:__xss({n}))">x</div>',
  '<marquee onstart=__xss({n})>x</marquee>',
  '<noscript><p title="</noscript><img src=x onerror=__xss({n})>">',
  '<scr<script>ipt>__xss({n})</scr</script>ipt>',
  '<IMG SRC=JaVaScRiPt:__xss({n})>',
  '<img src="x" one rror=__xss({n}) onerror=__xss({n})>',
  '&lt;img src=x onerror=__xss({n})&gt;',
  '%3Cimg%20src%3Dx%20onerror%3D__xss({n})%3E',
  '\\u003cimg src=x onerror=__xss({n})\\u003e',
  '<!--<img src="--><img src=x onerror=__xss({n})//">',
  '${__xss({n})}',
  '{{constructor.constructor("__xss({n})")()}}',
  '<meta http-equiv="refresh" content="0;url=javascript:__xss({n})">',
  '<x contenteditable onfocus=__xss({n}) autofocus>x</x>',
].map((payload, i) => payload.replaceAll('{n}', String(i + 1)));
