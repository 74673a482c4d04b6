// The palette is Tableau 10 (distinguishable for most colour-vision deficiencies), brightened
// for the dark background; "other" is a neutral grey so the named series stand out. Printing
// always uses the light palette and keeps backgrounds (print-color-adjust) so charts print.
#include "kubeblame/report/html_style.h"

namespace kubeblame::report {

namespace {

constexpr std::string_view kCss = R"CSS(
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--border:#d1d9e0;--panel:#f6f8fa;
--accent:#0969da;--warn:#9a6700;--warn-bg:#fff8c5;--bad:#cf222e;--bar:#4e79a7;
--s0:#4e79a7;--s1:#f28e2b;--s2:#e15759;--s3:#76b7b2;--s4:#59a14f;--s5:#edc948;--s6:#b07aa1;--s7:#ff9da7;
--s8:#9c755f;--s9:#499894;--so:#c4c9cf}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--border:#3d444d;
--panel:#151b23;--accent:#4493f8;--warn:#d29922;--warn-bg:#2b2410;--bad:#f85149;--bar:#6f9fd8;
--s0:#6f9fd8;--s1:#ffa04d;--s2:#ff7073;--s3:#8fd3cd;--s4:#74c26a;--s5:#f4d35e;--s6:#c99bd0;--s7:#ffb3bb;
--s8:#c39c82;--s9:#5fc4bf;--so:#59616b}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
header,main,footer{max-width:1200px;margin:0 auto;padding:0 24px}
h1{font-size:24px;margin:24px 0 2px}
h2{font-size:18px;margin:32px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--border)}
h3{font-size:15px;margin:18px 0 6px}
h4{font-size:13px;margin:12px 0 4px}
p{margin:6px 0}
.muted,.sub{color:var(--muted)}
a{color:var(--accent)}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px;margin:16px 0}
.tile{border:1px solid var(--border);border-radius:8px;padding:8px 14px;background:var(--panel)}
.tile .n{display:block;font-size:22px;font-weight:600;font-variant-numeric:tabular-nums}
.tile .l{color:var(--muted);font-size:12px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:3px 16px;margin:8px 0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;overflow-wrap:anywhere}
.table{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:13px}
th,td{padding:4px 8px;border-bottom:1px solid var(--border);text-align:left;vertical-align:top}
thead th{background:var(--panel);font-weight:600;white-space:nowrap}
th.num,td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.key,td.key code{overflow-wrap:break-word}
td.val{min-width:16em}
tr.other td{color:var(--muted);font-style:italic}
td.pattern code{white-space:nowrap}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12px}
code{background:var(--panel);padding:1px 4px;border-radius:4px;overflow-wrap:anywhere}
pre{background:var(--panel);border:1px solid var(--border);border-radius:6px;padding:10px 12px;white-space:pre-wrap;overflow-wrap:anywhere}
.detail{margin:3px 0 0;font-size:12px;color:var(--muted)}
.detail code{color:var(--fg)}
.warn{background:var(--warn-bg);border-left:4px solid var(--warn);padding:6px 12px;margin:10px 0}
ul.samples{margin:4px 0;padding-left:20px}
svg.chart{display:block;width:100%;height:auto;margin:8px 0}
svg text{fill:var(--fg);font-family:system-ui,sans-serif;font-size:12px}
svg text.tick,svg text.caption{fill:var(--muted);font-size:11px}
svg .grid line{stroke:var(--border)}
svg .axis line{stroke:var(--muted)}
svg rect.bar{fill:var(--bar)}
.s0{fill:var(--s0);background:var(--s0)}.s1{fill:var(--s1);background:var(--s1)}
.s2{fill:var(--s2);background:var(--s2)}.s3{fill:var(--s3);background:var(--s3)}
.s4{fill:var(--s4);background:var(--s4)}.s5{fill:var(--s5);background:var(--s5)}
.s6{fill:var(--s6);background:var(--s6)}.s7{fill:var(--s7);background:var(--s7)}
.s8{fill:var(--s8);background:var(--s8)}.s9{fill:var(--s9);background:var(--s9)}
.so{fill:var(--so);background:var(--so)}
ul.legend{list-style:none;padding:0;margin:4px 0 8px;display:flex;flex-wrap:wrap;gap:4px 18px;font-size:13px}
ul.legend .sw{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:6px;vertical-align:-1px}
.badge{display:inline-block;white-space:nowrap;border:1px solid currentColor;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600}
.badge.fight{color:var(--bad)}.badge.hot-loop{color:var(--warn)}.badge.conflicts{color:var(--accent)}
article.finding{border:1px solid var(--border);border-radius:8px;padding:2px 16px 10px;margin:14px 0}
footer{color:var(--muted);font-size:12px;margin-top:32px;padding-bottom:24px}
@media print{
:root{--bg:#fff;--fg:#000;--muted:#555;--border:#bbb;--panel:#f2f2f2;--accent:#0550ae;--warn:#7d4e00;
--warn-bg:#fff8c5;--bad:#a40e26;--bar:#4e79a7;--s0:#4e79a7;--s1:#f28e2b;--s2:#e15759;--s3:#76b7b2;
--s4:#59a14f;--s5:#edc948;--s6:#b07aa1;--s7:#ff9da7;--s8:#9c755f;--s9:#499894;--so:#c4c9cf}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
@page{margin:12mm}
body{font-size:11px}
header,main,footer{max-width:none;padding:0}
section.page{break-before:page}
h2,h3{break-after:avoid}
tr,article.finding,svg.chart,.tile,pre{break-inside:avoid}
.table{overflow:visible}
table{font-size:10px}
}
)CSS";

}  // namespace

std::string_view html_report_css() { return kCss; }

}  // namespace kubeblame::report
