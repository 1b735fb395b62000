//! The cluster map: StatefulSets with the controller's own reasons for waiting, nodes as lanes with pod
//! cards (status as colour, glyph and word), claims linked to volumes, and the headless Service's DNS
//! records. Cards are keyed by name so the browser animates the same element as it changes.

use std::rc::Rc;
use stsplay_model::kinds::Kind;
use stsplay_ui::app::{ObjRef, UiAction};
use stsplay_ui::i18n::{tr, Lang};
use stsplay_ui::view::{ClusterView, PodCard};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub view: Rc<ClusterView>,
    pub lang: Lang,
    pub dispatch: Callback<UiAction>,
}

/// Lanes the stylesheet lays out (nodes beyond share the last lane).
const MAX_LANES: usize = 12;

fn select(d: &Callback<UiAction>, kind: Kind, ns: &str, name: &str) -> (Callback<MouseEvent>, Callback<KeyboardEvent>) {
    let r = ObjRef { kind, namespace: ns.to_string(), name: name.to_string() };
    let (d1, d2, r2) = (d.clone(), d.clone(), r.clone());
    (
        Callback::from(move |_| d1.emit(UiAction::Select(Some(r.clone())))),
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                d2.emit(UiAction::Select(Some(r2.clone())));
            }
        }),
    )
}

fn short(rev: &str) -> String {
    // `myapp-5d7b8c9f6` → the hash part, as the learner compares revisions by it.
    rev.rsplit('-').next().unwrap_or(rev).to_string()
}

fn pod_item(p: &PodCard, lane: usize, lang: Lang, d: &Callback<UiAction>) -> Html {
    let tone = p.tone();
    let (onclick, onkeydown) = select(d, Kind::Pod, &p.namespace, &p.name);
    let tag = p.image.rsplit(':').next().filter(|t| !t.contains('/')).unwrap_or("latest").to_string();
    // Lanes are CSS classes, not inline styles: the page's Content-Security-Policy allows no inline style.
    let lane_class = format!("lane-{}", (lane + 1).min(MAX_LANES));
    let ready_word = if p.ready { tr(lang, "Ready") } else { tr(lang, "Not ready") };
    html! {
        <li key={p.name.clone()} class={classes!("pod", tone.class(), p.updated.then_some("updated"), lane_class)}
            aria-label={p.label.clone()} tabindex="0" onclick={onclick} onkeydown={onkeydown} title={p.image.clone()}>
            <div class="pod-head">
                <span class="ordinal" aria-hidden="true">{ p.ordinal.map(|o| o.to_string()).unwrap_or_else(|| "·".into()) }</span>
                <span class="pod-name">{ p.name.clone() }</span>
            </div>
            <div class="pod-status">
                <span class="glyph" aria-hidden="true">{ tone.glyph() }</span>
                <span class="status">{ p.status.clone() }</span>
                <span class="ready">{ format!("{} {}", p.ready_text, ready_word) }</span>
            </div>
            <div class="pod-meta">
                <span class="image" title={p.image.clone()}>{ format!(":{tag}") }</span>
                if !p.revision.is_empty() {
                    <span class="rev" title={p.revision.clone()}>{ format!("{} {}", tr(lang, "revision"), short(&p.revision)) }</span>
                }
                if !p.ip.is_empty() { <span class="ip">{ p.ip.clone() }</span> }
                if p.restarts > 0 { <span class="restarts">{ format!("↻{}", p.restarts) }</span> }
            </div>
        </li>
    }
}

#[component]
pub fn MapPane(props: &Props) -> Html {
    let v = &props.view;
    let lang = props.lang;
    let d = &props.dispatch;
    let lanes = v.nodes.len() + usize::from(!v.unscheduled.is_empty());
    let grid_class = format!("cols-{}", lanes.clamp(1, MAX_LANES));

    let sets = v.sets.iter().map(|s| {
        let (onclick, onkeydown) = select(d, Kind::StatefulSet, &s.namespace, &s.name);
        let why = (!s.why.is_empty()).then(|| {
            html! {
                <div class="why">
                    <strong>{ tr(lang, "Why is it waiting?") }</strong>
                    <ul>{ for s.why.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul>
                </div>
            }
        });
        html! {
            <article class="set" key={s.name.clone()}>
                <h3 tabindex="0" onclick={onclick} onkeydown={onkeydown}>{ format!("statefulset/{}", s.name) }</h3>
                <p class="set-counts">
                    { format!("{} {}/{} · {} {} · {} {}", tr(lang, "ready"), s.ready, s.replicas, tr(lang, "updated"), s.updated,
                        s.policy, s.strategy) }
                    if s.partition > 0 { { format!(" · {} {}", tr(lang, "partition"), s.partition) } }
                </p>
                <p class="set-revs">
                    { format!("current {} · update {}", short(&s.current_revision), short(&s.update_revision)) }
                </p>
                { for why }
            </article>
        }
    });

    let node_heads = v.nodes.iter().map(|n| {
        let (onclick, onkeydown) = select(d, Kind::Node, "", &n.name);
        let state = if !n.ready {
            "NotReady"
        } else if !n.schedulable {
            "SchedulingDisabled"
        } else {
            "Ready"
        };
        html! {
            <div class={classes!("node-head", (!n.ready).then_some("down"))} tabindex="0" onclick={onclick} onkeydown={onkeydown}>
                <span class="node-name">{ n.name.clone() }</span>
                <span class="node-state">{ if n.control_plane { format!("{state} · control-plane") } else { state.to_string() } }</span>
            </div>
        }
    });
    // DOM order is the Pods list's reading order (by set and ordinal); CSS places each card in its node's lane.
    let pod_items: Vec<Html> = v
        .pods()
        .into_iter()
        .map(|p| {
            let lane = v.nodes.iter().position(|n| n.name == p.node && !p.node.is_empty()).unwrap_or(v.nodes.len());
            pod_item(p, lane, lang, d)
        })
        .collect();
    let claims = v.claims.iter().map(|c| {
        let (onclick, onkeydown) = select(d, Kind::PersistentVolumeClaim, &c.namespace, &c.name);
        html! {
            <li key={c.name.clone()} class={classes!("claim", c.phase.to_ascii_lowercase(), c.terminating.then_some("leaving"))}
                aria-label={c.label.clone()} tabindex="0" onclick={onclick} onkeydown={onkeydown}>
                <span class="claim-name">{ c.name.clone() }</span>
                <span class="phase">{ if c.terminating { "Terminating".to_string() } else { c.phase.clone() } }</span>
                <span class="arrow" aria-hidden="true">{ "→" }</span>
                <span class="vol">{ if c.volume.is_empty() { "—".to_string() } else { c.volume.clone() } }</span>
                <span class="meta">{ format!("{} {}", c.class, c.capacity) }</span>
            </li>
        }
    });
    let volumes = v.volumes.iter().map(|pv| {
        let (onclick, onkeydown) = select(d, Kind::PersistentVolume, "", &pv.name);
        html! {
            <li key={pv.name.clone()} class={classes!("volume", pv.phase.to_ascii_lowercase())} aria-label={pv.label.clone()}
                tabindex="0" onclick={onclick} onkeydown={onkeydown}>
                <span class="vol-name">{ pv.name.clone() }</span>
                <span class="phase">{ pv.phase.clone() }</span>
                <span class="meta">{ format!("{} {} · {} {}", pv.class, pv.capacity, tr(lang, "reclaim"), pv.reclaim_policy) }</span>
                <span class="claimref">{ if pv.claim.is_empty() { String::new() } else { format!("← {}", pv.claim) } }</span>
                if pv.files > 0 { <span class="files">{ format!("🗎 {} {}", pv.files, tr(lang, "files")) }</span> }
            </li>
        }
    });
    let services = v.services.iter().filter(|s| s.name != "kubernetes").map(|s| {
        let (onclick, onkeydown) = select(d, Kind::Service, &s.namespace, &s.name);
        html! {
            <article class="service" key={s.name.clone()}>
                <h3 tabindex="0" onclick={onclick} onkeydown={onkeydown}>
                    { format!("service/{}", s.name) }
                    <span class="meta">{ if s.headless { format!(" ({}, clusterIP: None)", tr(lang, "headless")) } else { format!(" ({})", s.cluster_ip) } }</span>
                </h3>
                <ul class="dns" aria-label={tr(lang, "DNS records")}>
                    { for s.records.iter().map(|(n, ip)| html! { <li><code>{ n.clone() }</code>{ " → " }<code>{ ip.clone() }</code></li> }) }
                </ul>
            </article>
        }
    });
    html! {
        <div class="map">
            <div class="sets">{ for sets }</div>
            <h2 class="sr-only">{ tr(lang, "Nodes") }</h2>
            <div class={classes!("lanes", grid_class.clone())}>
                { for node_heads }
                if !v.unscheduled.is_empty() {
                    <div class="node-head pending"><span class="node-name">{ tr(lang, "Not scheduled") }</span></div>
                }
            </div>
            <h2 class="sr-only">{ tr(lang, "Pods") }</h2>
            <ul class={classes!("pods", grid_class)} aria-label={tr(lang, "Pods")}>
                { for pod_items }
            </ul>
            if v.pods().is_empty() { <p class="empty">{ tr(lang, "No pods yet.") }</p> }
            <div class="storage">
                <div>
                    <h2>{ tr(lang, "PersistentVolumeClaims") }</h2>
                    <ul class="claims" aria-label={tr(lang, "PersistentVolumeClaims")}>{ for claims }</ul>
                    if v.claims.is_empty() { <p class="empty">{ tr(lang, "No claims yet.") }</p> }
                </div>
                <div>
                    <h2>{ tr(lang, "PersistentVolumes") }</h2>
                    <ul class="volumes" aria-label={tr(lang, "PersistentVolumes")}>{ for volumes }</ul>
                    if v.volumes.is_empty() { <p class="empty">{ tr(lang, "No volumes yet.") }</p> }
                </div>
            </div>
            <div class="services">{ for services }</div>
        </div>
    }
}
