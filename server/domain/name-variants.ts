/**
 * Name tokens as duplicate detection compares them: accent-free, without the
 * particles of compound Spanish surnames ("de la", "del", "y"), with common
 * abbreviations and hypocorisms mapped to the full given name, so
 * "Mª José Glez." and "María José González" meet.
 */
import { foldText } from './normalize.ts';

const PARTICLES = new Set(['de', 'del', 'la', 'las', 'los', 'y', 'e', 'i', 'da', 'das', 'do', 'dos', 'van', 'von', 'der', 'den', 'di']);

/** Abbreviations written in forms and hypocorisms used as if they were names. */
const CANONICAL: Record<string, string> = {
  ma: 'maria',
  mª: 'maria',
  mari: 'maria',
  fco: 'francisco',
  paco: 'francisco',
  pancho: 'francisco',
  curro: 'francisco',
  pepe: 'jose',
  chema: 'jose',
  nacho: 'ignacio',
  manolo: 'manuel',
  lola: 'dolores',
  loli: 'dolores',
  concha: 'concepcion',
  conchi: 'concepcion',
  charo: 'rosario',
  merche: 'mercedes',
  pili: 'pilar',
  rafa: 'rafael',
  quique: 'enrique',
  kike: 'enrique',
  lupe: 'guadalupe',
  lupita: 'guadalupe',
  chucho: 'jesus',
  chus: 'jesus',
  toni: 'antonio',
  tono: 'antonio',
  santi: 'santiago',
  nico: 'nicolas',
  alex: 'alejandro',
  juanjo: 'juan jose',
  isa: 'isabel',
  maite: 'maria teresa',
  fdez: 'fernandez',
  glez: 'gonzalez',
  gzlez: 'gonzalez',
  rguez: 'rodriguez',
  rdguez: 'rodriguez',
  mtnez: 'martinez',
  mtz: 'martinez',
  hdez: 'hernandez',
  hndez: 'hernandez',
};

export function nameTokens(firstName: string | null | undefined, lastName: string | null | undefined): string[] {
  const folded = foldText([firstName, lastName].filter(Boolean).join(' ')).replace(/mª/g, 'mª ');
  return folded
    .split(/[^a-z0-9ª]+/)
    .filter((t) => t && !PARTICLES.has(t))
    // hasOwn: a name such as "Constructor" must not find Object.prototype.constructor.
    .flatMap((t) => (Object.hasOwn(CANONICAL, t) ? CANONICAL[t] : t.replace(/ª/g, 'a')).split(' '));
}
