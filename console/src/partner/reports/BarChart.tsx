import { creditsToMicros } from '../../shared/money';
import './reports.css';

/** One bar: what it stands for, its exact value (a Credits string) and that value as the reader reads it. */
export interface ChartPoint {
  key: string;
  label: string;
  value: string;
  shown: string;
}

const WIDTH = 760;

/** Credits from millionths, exactly ("12.5"), for the axis labels. */
export function microsToCredits(micros: bigint): string {
  const sign = micros < 0n ? '-' : '';
  const magnitude = micros < 0n ? -micros : micros;
  const fraction = (magnitude % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return `${sign}${magnitude / 1_000_000n}${fraction ? `.${fraction}` : ''}`;
}

/**
 * A bar chart drawn as SVG by hand (ADR 0257): one <rect class="chart-bar"> per point, with the
 * exact value in data-value and a tooltip. Vertical bars over time (one per day), horizontal bars
 * per customer with the name beside each. Negative values grow the other way from the zero line.
 */
export function BarChart(props: {
  title: string;
  points: readonly ChartPoint[];
  layout: 'vertical' | 'horizontal';
  /** Formats an axis value (Credits string) in the reader's language. */
  format(value: string): string;
  emptyText: string;
  testId?: string;
}) {
  const micros = props.points.map((point) => creditsToMicros(point.value));
  const top = micros.reduce((max, value) => (value > max ? value : max), 0n);
  const bottom = micros.reduce((min, value) => (value < min ? value : min), 0n);
  const span = top - bottom === 0n ? 1n : top - bottom;
  /** Where a value falls between bottom (0) and top (1). */
  const share = (value: bigint): number => Number(((value - bottom) * 1_000_000n) / span) / 1_000_000;
  const empty = micros.every((value) => value === 0n);
  return (
    <figure className="chart" data-testid={props.testId} aria-label={props.title}>
      <figcaption>{props.title}</figcaption>
      {props.points.length === 0 || empty ? (
        <p className="chart-empty">{props.emptyText}</p>
      ) : props.layout === 'vertical' ? (
        <VerticalBars points={props.points} micros={micros} share={share} top={top} bottom={bottom} format={props.format} title={props.title} />
      ) : (
        <HorizontalBars points={props.points} micros={micros} share={share} title={props.title} />
      )}
    </figure>
  );
}

interface BarsProps {
  points: readonly ChartPoint[];
  micros: bigint[];
  share(value: bigint): number;
  title: string;
}

function VerticalBars({ points, micros, share, top, bottom, format, title }: BarsProps & { top: bigint; bottom: bigint; format(value: string): string }) {
  const height = 220;
  const [left, right, upper, lower] = [64, 8, 10, 34];
  const plotWidth = WIDTH - left - right;
  const plotHeight = height - upper - lower;
  const slot = plotWidth / points.length;
  const y = (value: bigint) => upper + plotHeight * (1 - share(value));
  const zero = y(0n);
  // About eight date labels whatever the number of days.
  const every = Math.max(1, Math.ceil(points.length / 8));
  const ticks = [...new Set([bottom, 0n, top / 2n, top])];
  return (
    <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={title} className="chart-svg">
      {ticks.map((tick) => (
        <g key={tick.toString()} className="chart-grid">
          <line x1={left} x2={WIDTH - right} y1={y(tick)} y2={y(tick)} />
          <text x={left - 6} y={y(tick) + 4} textAnchor="end">
            {format(microsToCredits(tick))}
          </text>
        </g>
      ))}
      {points.map((point, index) => {
        const value = micros[index];
        const end = y(value);
        const x = left + slot * index + slot * 0.15;
        return (
          <g key={point.key}>
            <rect
              className="chart-bar"
              data-key={point.key}
              data-value={point.value}
              x={x}
              width={Math.max(1, slot * 0.7)}
              y={Math.min(zero, end)}
              height={Math.abs(zero - end)}
            >
              <title>{`${point.label}: ${point.shown}`}</title>
            </rect>
            {index % every === 0 && (
              <text className="chart-label" x={x + slot * 0.35} y={height - lower + 16} textAnchor="middle">
                {point.label}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

function HorizontalBars({ points, micros, share, title }: BarsProps) {
  const row = 30;
  const [left, right] = [200, 110];
  const height = row * points.length + 8;
  const plotWidth = WIDTH - left - right;
  const x = (value: bigint) => left + plotWidth * share(value);
  const zero = x(0n);
  return (
    <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={title} className="chart-svg">
      <line className="chart-axis" x1={zero} x2={zero} y1={0} y2={height} />
      {points.map((point, index) => {
        const end = x(micros[index]);
        const top = 4 + row * index;
        return (
          <g key={point.key}>
            <text className="chart-label" x={left - 8} y={top + row / 2 + 4} textAnchor="end">
              {point.label.length > 28 ? `${point.label.slice(0, 27)}…` : point.label}
            </text>
            <rect
              className="chart-bar"
              data-key={point.key}
              data-value={point.value}
              x={Math.min(zero, end)}
              width={Math.abs(end - zero)}
              y={top + 4}
              height={row - 10}
            >
              <title>{`${point.label}: ${point.shown}`}</title>
            </rect>
            <text className="chart-value" x={Math.max(zero, end) + 6} y={top + row / 2 + 4}>
              {point.shown}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
