// Charts of a resource page: apexcharts (wwwroot-assets, MIT 4.7.0) behind three calls the Blazor side makes:
// create(element, spec) -> handle; handle.update(series, bands); handle.theme(dark); handle.dispose().
// spec.bands (optional): [{from, to, label}] in epoch milliseconds, shaded behind the lines (a diagnosis' episodes).
// Updates replace the data in place (no redraw from scratch, no animation), so a live chart does not flicker.
import ApexCharts from '../lib/apexcharts/apexcharts.esm.js';

const formats = {
  percent: v => v == null ? '-' : `${(v * 100).toFixed(v >= 0.9995 ? 0 : 2)}%`,
  rps: v => v == null ? '-' : `${v >= 10 ? v.toFixed(0) : v.toFixed(1)} rps`,
  latency: v => v == null ? '-' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : v >= 1 ? `${v.toFixed(v >= 10 ? 0 : 1)} ms` : `${(v * 1000).toFixed(0)} µs`,
};

const palettes = {
  percent: ['#2e7d32'],
  rps: ['#1e88e5'],
  latency: ['#43a047', '#fb8c00', '#e53935'],
};

function options(spec) {
  const format = formats[spec.unit];
  return {
    chart: {
      type: spec.unit === 'rps' ? 'area' : 'line',
      height: 220,
      background: 'transparent',
      animations: { enabled: false },
      toolbar: { show: false },
      zoom: { enabled: false },
      fontFamily: 'inherit',
    },
    theme: { mode: spec.dark ? 'dark' : 'light' },
    colors: palettes[spec.unit],
    series: spec.series,
    stroke: { width: 2, curve: 'straight' },
    fill: spec.unit === 'rps' ? { type: 'solid', opacity: 0.15 } : { type: 'solid', opacity: 1 },
    dataLabels: { enabled: false },
    markers: { size: 0, hover: { size: 4 } },
    legend: { show: spec.series.length > 1, position: 'top', horizontalAlign: 'right' },
    grid: { borderColor: spec.dark ? '#ffffff22' : '#00000014' },
    xaxis: { type: 'datetime', labels: { datetimeUTC: false } },
    yaxis: {
      min: 0,
      max: spec.unit === 'percent' ? 1 : undefined,
      forceNiceScale: spec.unit !== 'percent',
      labels: { formatter: spec.unit === 'percent' ? (v => v == null ? '' : `${Math.round(v * 100)}%`) : format },
    },
    tooltip: { shared: true, x: { format: 'HH:mm:ss' }, y: { formatter: format } },
    noData: { text: 'No traffic in this window' },
    annotations: { xaxis: bands(spec.bands, spec.dark) },
  };
}

function bands(list, dark) {
  return (list ?? []).map(b => ({
    x: b.from,
    x2: b.to,
    fillColor: '#e53935',
    opacity: dark ? 0.22 : 0.12,
    borderColor: 'transparent',
    label: { text: b.label, borderWidth: 0, style: { background: 'transparent', color: dark ? '#ef9a9a' : '#c62828' } },
  }));
}

export function create(element, spec) {
  // The page may have moved on (a click on a link) before this call arrived: its element is gone, nothing to draw on.
  // apexcharts would reject its render with "Element not found".
  if (!element?.isConnected) {
    return { update() {}, theme() {}, dispose() {} };
  }

  const chart = new ApexCharts(element, options(spec));
  // Updates wait for the first render: apexcharts mounts asynchronously.
  const rendered = chart.render();
  let dark = spec.dark;
  let legend = spec.series.length > 1;
  return {
    update(series, newBands) {
      rendered.then(() => {
        if (newBands !== undefined) {
          chart.updateOptions({ annotations: { xaxis: bands(newBands, dark) } }, false, false);
        }
        // A chart with a line per caller gains lines as callers appear: the legend shows once there are two.
        if ((series.length > 1) !== legend) {
          legend = series.length > 1;
          chart.updateOptions({ legend: { show: legend } }, false, false);
        }
        chart.updateSeries(series, false);
      });
    },
    theme(isDark) {
      if (isDark === dark) return;
      dark = isDark;
      rendered.then(() => chart.updateOptions({ theme: { mode: dark ? 'dark' : 'light' }, grid: { borderColor: dark ? '#ffffff22' : '#00000014' } }, false, false));
    },
    dispose() { rendered.then(() => chart.destroy()); },
  };
}
