/** The Dashboard page's styles, part of the console's style sheet: tables scroll in their own box, charts scale. */
export const DASHBOARD_CSS = `
.filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:0 1rem;align-items:end}
.filters button{width:100%}
section{margin:0 0 1.5rem}
.table-wrap{overflow-x:auto;max-width:100%;margin:.5rem 0;border:1px solid #dadce0;border-radius:.25rem}
.table-wrap table{border-collapse:collapse;width:100%;font-size:.9375rem}
.table-wrap th,.table-wrap td{padding:.375rem .5rem;text-align:left;border-bottom:1px solid #dadce0;white-space:nowrap;overflow-wrap:normal}
.table-wrap th{background:#f1f3f4}
.table-wrap .n{text-align:right;font-variant-numeric:tabular-nums}
.table-wrap tbody tr:last-child td{border-bottom:0}
svg.chart{display:block;width:100%;max-width:36rem;height:auto;margin:.5rem 0}
`;
