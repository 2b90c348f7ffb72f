import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatBdt } from "./money";
import { t } from "./i18n";

/** Completed sales per Bangladesh hour, drawn by uPlot (canvas, ~50 KB). */
export function HourlyChart({ hourlyPoisha }: { hourlyPoisha: number[] }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const hours = hourlyPoisha.map((_, h) => h);
    const taka = hourlyPoisha.map((p) => p / 100);
    const chart = new uPlot(
      {
        width: 560,
        height: 160,
        legend: { show: false },
        scales: { x: { time: false } },
        axes: [{ values: (_u, ticks) => ticks.map((h) => `${h}:00`) }, { values: (_u, ticks) => ticks.map((t) => formatBdt(t * 100).replace(".00", "")), size: 80 }],
        series: [{}, { label: t("day.chart"), stroke: "#e2136e", fill: "rgba(226,19,110,0.25)", points: { show: false }, paths: uPlot.paths.bars!({ size: [0.8, 40] }) }],
      },
      [hours, taka],
      host.current,
    );
    return () => chart.destroy();
  }, [hourlyPoisha]);
  return <div ref={host} class="hourly-chart" role="img" aria-label={t("day.chart")} data-testid="hourly-chart" />;
}
