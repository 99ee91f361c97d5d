/**
 * The Dashboard page's styles, part of the console's style sheet: a wider page on large screens (two columns of
 * sections), tables scrolling in their own box, charts scaling with their viewBox.
 */
export const DASHBOARD_CSS = `
main:has(> .dashboard),body:has(.dashboard) header{max-width:76rem}
.filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:0 1rem;align-items:end;max-width:48rem}
.filters button{width:100%}
@media (max-width:40rem){.filters .span{grid-column:1/-1}}
.dashboard .sections{display:grid;grid-template-columns:minmax(0,1fr);gap:0 2.5rem}
@media (min-width:64rem){.dashboard .sections{grid-template-columns:repeat(2,minmax(0,1fr))}.dashboard .full{grid-column:1/-1}}
.dashboard section{margin:0 0 .5rem;min-width:0}
.table-wrap{overflow-x:auto;max-width:100%;margin:.5rem 0;border:1px solid #dadce0;border-radius:.25rem}
.table-wrap table{border-collapse:collapse;width:100%;font-size:.9375rem}
.table-wrap th,.table-wrap td{padding:.375rem .5rem;text-align:left;border-bottom:1px solid #dadce0;white-space:nowrap;overflow-wrap:normal}
.table-wrap th{background:#f1f3f4}
.table-wrap .n{text-align:right;font-variant-numeric:tabular-nums}
.table-wrap tbody tr:last-child td{border-bottom:0}
svg.chart{display:block;width:100%;max-width:26rem;height:auto;margin:.5rem 0}
svg.chart.days{max-width:28rem}
`;
