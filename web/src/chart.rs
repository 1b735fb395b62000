//! The pod timeline chart: one lane per pod name, coloured by status (with the map's tones) and patterned
//! by revision, over virtual time. OrderedReady's staircase, a rollout walking down from the highest ordinal
//! and the partition boundary read at a glance; clicking a moment (or ←/→ between changes) seeks there.
//!
//! No inline styles anywhere (the page's Content-Security-Policy forbids them): geometry is SVG attributes,
//! colour and patterns are classes in `web/chart.css`. The plot is stretched horizontally
//! (`preserveAspectRatio="none"`, a 1000-unit wide viewBox) and is 1:1 vertically (its height attribute is
//! the lanes' height in pixels), so it holds no text: lane names and time labels are HTML beside it.

use std::rc::Rc;
use stsplay_ui::i18n::{tr, Lang};
use stsplay_ui::timeline::{time_ticks, Lane, Segment, Timeline};
use stsplay_ui::view::Tone;
use yew::prelude::*;

use crate::timebar::clock;

#[derive(Properties, PartialEq)]
pub struct ChartProps {
    pub timeline: Rc<Timeline>,
    pub now_ms: i64,
    pub lang: Lang,
    pub on_seek: Callback<i64>,
}

/// Width of the plot in viewBox units.
const W: f64 = 1000.0;
/// Height of a lane in pixels (`.pc-labels li` in chart.css has the same height, so names line up).
const LANE_H: i64 = 18;
const BAR_Y: i64 = 3;
const BAR_H: i64 = 12;
/// Patterns for revisions 1.. (revision 0, the first seen, is solid); they repeat beyond.
const PATTERNS: usize = 5;
/// Segments described per lane in the screen-reader table (the rest is summarised).
const SR_SEGMENTS: usize = 24;
/// The few words of the chart that the shared table does not have (English, 中文).
fn say(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

fn x_of(t: i64, x0: i64, span: i64) -> f64 {
    (t.saturating_sub(x0) as f64 / span.max(1) as f64 * W).clamp(0.0, W)
}

fn fmt(x: f64) -> String {
    format!("{x:.2}")
}

fn short(rev: &str) -> &str {
    // `myapp-5d7b8c9f6` → the hash, as the map shows it.
    rev.rsplit('-').next().unwrap_or(rev)
}

fn tone_word(lang: Lang, t: Tone) -> &'static str {
    match t {
        Tone::Good => tr(lang, "Ready"),
        Tone::Waiting => say(lang, "Starting / not ready", "启动中 / 未就绪"),
        Tone::Bad => say(lang, "Failing", "出错"),
        Tone::Leaving => say(lang, "Terminating", "终止中"),
        Tone::Idle => say(lang, "Completed", "已完成"),
    }
}

/// `0:31.4`: changes of a starting pod are often less than a second apart, so descriptions carry tenths.
fn fine(ms: i64) -> String {
    format!("{}.{}", clock(ms), ms.rem_euclid(1000) / 100)
}

/// "0:12.0–0:30.5 Running, Ready, revision 5d7b8c9f6".
fn describe(lang: Lang, s: &Segment, end_ms: i64) -> String {
    let to = if s.to_ms >= end_ms { String::new() } else { fine(s.to_ms) };
    let ready = if s.ready { tr(lang, "Ready") } else { tr(lang, "Not ready") };
    let mut d = format!("{}–{} {}, {}", fine(s.from_ms), to, s.status, ready);
    if !s.revision.is_empty() {
        d.push_str(&format!(", {} {}", tr(lang, "revision"), short(&s.revision)));
    }
    d
}

fn summary(lang: Lang, t: &Timeline) -> String {
    let (pods, revs) = (t.pod_count(), t.revisions.len());
    match lang {
        Lang::En => format!(
            "Pod timeline: {pods} pod{}, {revs} revision{}",
            if pods == 1 { "" } else { "s" },
            if revs == 1 { "" } else { "s" }
        ),
        Lang::Zh => format!("Pod 时间线：{pods} 个 Pod，{revs} 个版本"),
    }
}

#[derive(Properties, PartialEq)]
struct LanesProps {
    timeline: Rc<Timeline>,
    x0: i64,
    span: i64,
    lang: Lang,
}

/// The lanes, bars, deletion marks and partition boundaries. A component of its own so that moving the
/// "now" line (every frame while playing) does not rebuild them: its props only change with the timeline
/// or the scale.
#[component]
fn Lanes(props: &LanesProps) -> Html {
    let t = &props.timeline;
    let (x0, span, lang) = (props.x0, props.span, props.lang);
    let lanes = t.lanes.iter().enumerate().map(|(i, l)| lane(l, i as i64, x0, span, lang, t.end_ms));
    let partitions = t.partitions.iter().filter_map(|p| {
        // The boundary runs above the set's first lane at or past the partition (below its last lane if none).
        let mine: Vec<(usize, &Lane)> = t
            .lanes
            .iter()
            .enumerate()
            .filter(|(_, l)| l.namespace == p.namespace && l.owner.as_deref() == Some(p.set.as_str()))
            .collect();
        let (last, _) = mine.last()?;
        let row = mine
            .iter()
            .find(|(_, l)| l.ordinal.is_some_and(|o| o >= i64::from(p.partition)))
            .map(|(i, _)| *i)
            .unwrap_or(last + 1);
        let y = (row as i64 * LANE_H).to_string();
        Some(html! {
            <line class="pc-partition" x1={fmt(x_of(p.from_ms, x0, span))} x2={fmt(x_of(p.to_ms, x0, span))}
                y1={y.clone()} y2={y} vector-effect="non-scaling-stroke">
                <title>{ format!("{} {}: {} ≥ {}", p.set, tr(lang, "partition"), say(lang, "updates ordinals", "更新序号"), p.partition) }</title>
            </line>
        })
    });
    html! {
        <g class="pc-lanes">
            { for lanes }
            { for partitions }
        </g>
    }
}

fn lane(l: &Lane, row: i64, x0: i64, span: i64, lang: Lang, end_ms: i64) -> Html {
    let top = row * LANE_H;
    let y = (top + BAR_Y).to_string();
    let h = BAR_H.to_string();
    // Segments narrower than half a unit are folded into the next one (the later state wins), so a pod that
    // flapped for hours still draws at most ~2000 bars, not one per watch event.
    let mut bars: Vec<(f64, f64, &Segment)> = Vec::new();
    for s in &l.segments {
        let (a, b) = (x_of(s.from_ms, x0, span), x_of(s.to_ms, x0, span));
        match bars.last_mut() {
            Some(last) if last.1 - last.0 < 0.5 && (a - last.1).abs() < 0.5 => *last = (last.0, b, s),
            _ => bars.push((a, b, s)),
        }
    }
    let mut prev_inc = None;
    let bars = bars.into_iter().map(|(a, b, s)| {
        let w = fmt((b - a).max(0.5));
        let reborn = prev_inc.is_some_and(|p| p != s.incarnation);
        prev_inc = Some(s.incarnation);
        let pattern = s.revision_index.filter(|i| *i > 0).map(|i| format!("url(#pc-rev-{})", (i - 1) % PATTERNS + 1));
        let title = format!("{} · {}", l.name, describe(lang, s, end_ms));
        html! {
            <g class={classes!("pc-seg", s.tone.class(), (!s.ready).then_some("notready"))}>
                <rect class="pc-bar" x={fmt(a)} y={y.clone()} width={w.clone()} height={h.clone()} />
                if let Some(p) = pattern {
                    <rect class="pc-rev" x={fmt(a)} y={y.clone()} width={w} height={h.clone()} fill={p} />
                }
                if reborn {
                    // A new pod object under the same name: the identity stays, the object is new.
                    <line class="pc-reborn" x1={fmt(a)} x2={fmt(a)} y1={top.to_string()} y2={(top + LANE_H).to_string()}
                        vector-effect="non-scaling-stroke" />
                }
                <title>{ title }</title>
            </g>
        }
    });
    let dels = l.deletions.iter().map(|&d| {
        let x = fmt(x_of(d, x0, span));
        html! {
            <line class="pc-del" x1={x.clone()} x2={x} y1={top.to_string()} y2={(top + LANE_H).to_string()}
                vector-effect="non-scaling-stroke">
                <title>{ format!("{} · {} {}", l.name, say(lang, "deletion requested at", "请求删除于"), fine(d)) }</title>
            </line>
        }
    });
    html! {
        <g class="pc-lane" key={format!("{}/{}", l.namespace, l.name)}>
            <rect class={classes!("pc-lane-bg", (row % 2 == 1).then_some("odd"))} x="0" y={top.to_string()}
                width={fmt(W)} height={LANE_H.to_string()} />
            { for bars }
            { for dels }
        </g>
    }
}

/// Revision patterns: diagonal lines, dots, cross-hatch, horizontal and vertical lines. Drawn over the tone
/// colour, so revision reads without colour and status without pattern.
fn defs() -> Html {
    html! {
        <defs>
            <pattern id="pc-rev-1" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                <line class="pc-hatch" x1="0" y1="0" x2="0" y2="6" />
            </pattern>
            <pattern id="pc-rev-2" width="5" height="5" patternUnits="userSpaceOnUse">
                <circle class="pc-dot" cx="2.5" cy="2.5" r="1.1" />
            </pattern>
            <pattern id="pc-rev-3" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                <line class="pc-hatch" x1="0" y1="0" x2="0" y2="6" />
                <line class="pc-hatch" x1="0" y1="0" x2="6" y2="0" />
            </pattern>
            <pattern id="pc-rev-4" width="4" height="4" patternUnits="userSpaceOnUse">
                <line class="pc-hatch" x1="0" y1="2" x2="4" y2="2" />
            </pattern>
            <pattern id="pc-rev-5" width="4" height="4" patternUnits="userSpaceOnUse">
                <line class="pc-hatch" x1="2" y1="0" x2="2" y2="4" />
            </pattern>
        </defs>
    }
}

/// A legend swatch: the tone's colour, and the revision's pattern when given.
fn swatch(tone: Tone, rev: Option<usize>) -> Html {
    let pattern = rev.filter(|i| *i > 0).map(|i| format!("url(#pc-rev-{})", (i - 1) % PATTERNS + 1));
    html! {
        <svg class={classes!("pc-swatch", "pc-seg", tone.class())} viewBox="0 0 16 12" width="16" height="12" aria-hidden="true">
            <rect class="pc-bar" x="0" y="0" width="16" height="12" />
            if let Some(p) = pattern { <rect class="pc-rev" x="0" y="0" width="16" height="12" fill={p} /> }
        </svg>
    }
}

#[component]
pub fn PodChart(props: &ChartProps) -> Html {
    let t = &props.timeline;
    let lang = props.lang;
    let now = props.now_ms;
    let svg_ref = use_node_ref();

    let lo = t.start_ms;
    let hi = t.end_ms.max(now);
    let (x0, step, n) = time_ticks(lo, hi);
    let span = step.saturating_mul(n);
    let height = (t.lanes.len().max(1) as i64) * LANE_H;

    // A click seeks to the time under the pointer: its offset in the plot's on-screen box, scaled to the range.
    let onclick = {
        let (on_seek, svg_ref) = (props.on_seek.clone(), svg_ref.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(el) = svg_ref.cast::<web_sys::Element>() else { return };
            let r = el.get_bounding_client_rect();
            if r.width() <= 0.0 {
                return;
            }
            let frac = ((f64::from(e.client_x()) - r.left()) / r.width()).clamp(0.0, 1.0);
            let at = x0.saturating_add((frac * span as f64).round() as i64);
            // Never past what has been simulated (the time bar's horizon): seeking is for replaying.
            on_seek.emit(at.clamp(lo, hi));
        })
    };
    // ←/→ jump to the previous/next change on the chart; Home/End to the ends.
    let onkeydown = {
        let (on_seek, t) = (props.on_seek.clone(), t.clone());
        Callback::from(move |e: KeyboardEvent| {
            let to = match e.key().as_str() {
                "ArrowRight" => Some(t.next_boundary(now, true).unwrap_or(hi)),
                "ArrowLeft" => Some(t.next_boundary(now, false).unwrap_or(lo)),
                "Home" => Some(lo),
                "End" => Some(hi),
                _ => None,
            };
            if let Some(to) = to {
                // The page's global keys use ←/→ for Step / Step back: here they mean "seek", only that.
                e.prevent_default();
                e.stop_propagation();
                if to != now {
                    on_seek.emit(to);
                }
            }
        })
    };

    let label = summary(lang, t);
    let now_x = fmt(x_of(now, x0, span));
    let labels = t.lanes.iter().map(|l| {
        html! {
            <li key={format!("{}/{}", l.namespace, l.name)} title={l.name.clone()}>
                <span class="pc-ord">{ l.ordinal.map(|o| o.to_string()).unwrap_or_else(|| "·".into()) }</span>
                <span class="pc-name">{ l.name.clone() }</span>
            </li>
        }
    });
    let ticks =
        (0..n).map(|i| html! { <span class="pc-tick">{ clock(x0.saturating_add(i.saturating_mul(step))) }</span> });
    let tones = [Tone::Good, Tone::Waiting, Tone::Bad, Tone::Leaving];
    let legend_tones = tones.iter().map(|&tone| {
        html! { <li>{ swatch(tone, None) }<span class="glyph" aria-hidden="true">{ tone.glyph() }</span>{ tone_word(lang, tone) }</li> }
    });
    let legend_revs = t.revisions.iter().enumerate().map(|(i, r)| {
        html! { <li title={r.clone()}>{ swatch(Tone::Good, Some(i)) }{ format!("{} {}", tr(lang, "revision"), short(r)) }</li> }
    });
    let rows = t.lanes.iter().map(|l| {
        let mut parts: Vec<String> = l.segments.iter().take(SR_SEGMENTS).map(|s| describe(lang, s, t.end_ms)).collect();
        if l.segments.len() > SR_SEGMENTS {
            parts.push(format!("… +{}", l.segments.len() - SR_SEGMENTS));
        }
        if !l.deletions.is_empty() {
            let at: Vec<String> = l.deletions.iter().map(|&d| fine(d)).collect();
            parts.push(format!("{} {}", say(lang, "deletion requested at", "请求删除于"), at.join(", ")));
        }
        html! { <tr><th scope="row">{ l.name.clone() }</th><td>{ parts.join("; ") }</td></tr> }
    });

    html! {
        <section class="podchart" aria-labelledby="podchart-title">
            <div class="pc-head">
                <h2 id="podchart-title">{ say(lang, "Pod timeline", "Pod 时间线") }</h2>
                <ul class="pc-legend" aria-hidden="true">
                    { for legend_tones }
                    { for legend_revs }
                    if !t.partitions.is_empty() {
                        <li><span class="pc-legend-partition"></span>{ tr(lang, "partition") }</li>
                    }
                    <li><span class="pc-legend-del"></span>{ say(lang, "deletion requested", "请求删除") }</li>
                </ul>
            </div>
            if t.truncated {
                <p class="pc-note">{ format!("{} {}", say(lang, "Older history was not kept; the chart starts at", "更早的历史未保留；图表从此开始："), clock(t.since_ms)) }</p>
            }
            if t.lanes.is_empty() {
                <p class="pc-empty">{ tr(lang, "No pods yet.") }</p>
            } else {
                <div class="pc-grid">
                    <ol class="pc-labels" aria-hidden="true">{ for labels }</ol>
                    <div class="pc-plot" tabindex="0" role="slider" aria-label={format!("{label}. {}", say(lang,
                        "Click or use ←/→ to move time to a change", "点击或用 ←/→ 把时间移到某个变化处"))}
                        aria-valuemin={lo.to_string()} aria-valuemax={hi.to_string()} aria-valuenow={now.clamp(lo, hi).to_string()}
                        aria-valuetext={clock(now)} onkeydown={onkeydown}>
                        <svg ref={svg_ref} role="img" aria-label={label.clone()} viewBox={format!("0 0 {} {height}", W)}
                            preserveAspectRatio="none" width="100%" height={height.to_string()} onclick={onclick}>
                            { defs() }
                            <Lanes timeline={t.clone()} x0={x0} span={span} lang={lang} />
                            <line class="pc-now" x1={now_x.clone()} x2={now_x} y1="0" y2={height.to_string()}
                                vector-effect="non-scaling-stroke" />
                        </svg>
                    </div>
                    <div class="pc-axis-pad" aria-hidden="true"></div>
                    <div class={classes!("pc-axis", format!("ticks-{n}"))} aria-hidden="true">
                        { for ticks }
                        <span class="pc-tick pc-tick-end">{ clock(x0.saturating_add(span)) }</span>
                    </div>
                </div>
            }
            if t.more_lanes > 0 {
                <p class="pc-note">{ format!("+{} {}", t.more_lanes, say(lang, "more pods not shown", "个 Pod 未显示")) }</p>
            }
            <table class="sr-only">
                <caption>{ label }</caption>
                <thead><tr><th scope="col">{ "Pod" }</th><th scope="col">{ say(lang, "History", "历史") }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </section>
    }
}
