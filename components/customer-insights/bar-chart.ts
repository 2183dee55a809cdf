/**
 * A monthly bar chart drawn by uPlot (about 22 KB gzipped: canvas, no
 * dependencies, only CSSOM styles, so it works in a shadow root and under a
 * Content-Security-Policy without 'unsafe-inline'). uPlot is imported the
 * first time a chart is drawn, so it lands in its own chunk and no other
 * component's bundle carries it. Colours and fonts are read from the
 * --clientela-* tokens each time the chart draws, and the chart draws again
 * when the theme changes or the container resizes.
 *
 * The canvas is decoration for sighted mouse users: every chart of the kit
 * has its data table beside it (customer-insights), which is what screen
 * readers and keyboards use.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type uPlot from 'uplot';
import { FrameResizeObserver } from '../shared/frame-resize-observer.ts';

type UPlotClass = typeof uPlot;
let library: Promise<UPlotClass> | null = null;
const loadLibrary = () => (library ??= import('uplot').then((module) => module.default));

export interface BarSeries {
  label: string;
  values: number[];
  /** --clientela-* tokens for the bars' colour: the first one set wins. */
  color: string[];
}

export interface BarChartSpec {
  /** One label per bar group (a month), short enough for the axis. */
  labels: string[];
  series: BarSeries[];
  /** A value on the y axis, short ("1,2 mil €"). */
  tick: (value: number) => string;
  height?: number;
}

export class BarChart implements ReactiveController {
  private plot: uPlot | null = null;
  private container: HTMLElement | null = null;
  private spec: BarChartSpec | null = null;
  private shape = '';
  private readonly resize = new FrameResizeObserver(() => this.fit());
  private themeWatch: MutationObserver | null = null;
  private readonly scheme = matchMedia('(prefers-color-scheme: dark)');
  private readonly redraw = () => this.plot?.redraw(false, true);

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected(): void {
    this.scheme.addEventListener('change', this.redraw);
    // The provider (or any ancestor) carries the theme attribute that swaps the tokens.
    const themed = this.host.closest('[theme]');
    if (themed) {
      this.themeWatch = new MutationObserver(this.redraw);
      this.themeWatch.observe(themed, { attributes: true, attributeFilter: ['theme'] });
    }
  }

  hostDisconnected(): void {
    this.scheme.removeEventListener('change', this.redraw);
    this.themeWatch?.disconnect();
    this.themeWatch = null;
    this.clear();
  }

  /** Draws `spec` into `container` (the chart's own empty element), loading uPlot the first time. */
  async draw(container: HTMLElement, spec: BarChartSpec): Promise<void> {
    this.spec = spec;
    const UPlot = await loadLibrary();
    if (this.spec !== spec || !container.isConnected) return;
    const shape = spec.series.map((s) => s.color.join()).join('|');
    if (this.plot && this.container === container && this.shape === shape) {
      this.plot.setData(this.data(spec));
      this.fit();
      return;
    }
    this.clear();
    this.container = container;
    this.shape = shape;
    this.plot = new UPlot(this.options(UPlot, spec), this.data(spec), container);
    this.resize.observe(container);
  }

  /** Takes the chart away (no data to show). */
  clear(): void {
    this.resize.disconnect();
    this.plot?.destroy();
    this.plot = null;
    this.container = null;
  }

  private data(spec: BarChartSpec): uPlot.AlignedData {
    return [spec.labels.map((_, i) => i), ...spec.series.map((s) => s.values)];
  }

  private fit() {
    if (!this.plot || !this.container) return;
    const width = Math.floor(this.container.clientWidth);
    if (width > 0 && width !== this.plot.width) this.plot.setSize({ width, height: this.spec?.height ?? 220 });
  }

  private token(...names: string[]): string {
    const style = getComputedStyle(this.host);
    for (const name of names) {
      const value = style.getPropertyValue(name).trim();
      if (value) return value;
    }
    return 'gray';
  }

  private options(UPlot: UPlotClass, spec: BarChartSpec): uPlot.Options {
    const font = `12px ${getComputedStyle(this.host).fontFamily}`;
    const muted = () => this.token('--clientela-text-muted');
    const grid = () => this.token('--clientela-border');
    const labels = () => this.spec?.labels ?? [];
    const bars = UPlot.paths.bars!({ size: [spec.series.length > 1 ? 0.7 : 0.6, 48], align: 0 });
    return {
      width: Math.max(200, Math.floor(this.container?.clientWidth ?? 320)),
      height: spec.height ?? 220,
      // A key to the colours; the exact values are in the table beside the chart.
      legend: { show: spec.series.length > 1, live: false },
      cursor: { points: { show: false }, drag: { x: false, y: false, setScale: false } },
      scales: { x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] } },
      axes: [
        {
          stroke: muted,
          font,
          grid: { show: false },
          ticks: { stroke: grid, size: 4 },
          space: 44,
          incrs: [1, 2, 3, 4, 6, 12, 24],
          values: (_u, splits) => splits.map((i) => labels()[i] ?? ''),
        },
        {
          stroke: muted,
          font,
          size: 64,
          grid: { stroke: grid, width: 1 },
          ticks: { show: false },
          values: (_u, splits) => splits.map((v) => (this.spec ? this.spec.tick(v) : String(v))),
        },
      ],
      series: [
        {},
        ...spec.series.map((s) => ({
          label: s.label,
          fill: () => this.token(...s.color),
          stroke: () => this.token(...s.color),
          width: 0,
          paths: bars,
          points: { show: false },
        })),
      ],
    };
  }
}
