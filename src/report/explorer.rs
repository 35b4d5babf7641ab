//! The report's offline explorer: choose item, end user and end use; the destination ×
//! jurisdiction grid shows every determination of that view, each cell revealing its rule
//! chain and citations on hover or focus. The view lives in the URL fragment
//! (`#item=4A005&end_user=government&end_use=unspecified`), so a view can be linked and cited.
//!
//! The data is compact: determinations are interned once per (jurisdiction, item) with their
//! texts kept as templates (`{dest}` filled in the browser), texts are interned once, and each
//! (view, jurisdiction) column of cell ids is run-length encoded and shared between views.

use std::collections::HashMap;
use std::fmt::Write;

use serde_json::{Value, json};

use crate::model::{Confidence, EndUse, EndUser, Outcome};
use crate::output::Interner;
use crate::report::doc::escape;
use crate::report::grid::Grid;
use crate::report::links;
use crate::report::model::OUTCOMES;

fn outcome_code(o: Outcome) -> usize {
    OUTCOMES
        .iter()
        .position(|x| *x == o)
        .unwrap_or(OUTCOMES.len())
}

fn split(s: &str) -> impl Iterator<Item = &str> {
    s.split("; ").filter(|t| !t.is_empty())
}

/// A number in base 36 (digits, then lower-case letters).
fn b36(mut n: u32) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Run-length encoding of a column of cell ids, in base 36: `id` or `id*count`,
/// comma-separated.
fn rle(v: &[u32]) -> String {
    let mut out = String::new();
    let mut k = 0;
    while k < v.len() {
        let mut n = 1;
        while k + n < v.len() && v[k + n] == v[k] {
            n += 1;
        }
        if !out.is_empty() {
            out.push(',');
        }
        out.push_str(&b36(v[k]));
        if n > 1 {
            out.push('*');
            out.push_str(&b36(n as u32));
        }
        k += n;
    }
    out
}

/// The explorer's data as JSON, safe to embed in a `<script>` element.
pub(crate) fn data(grid: &Grid<'_>) -> String {
    let world = grid.world;
    let mut texts = Interner::default();
    // (outcome, confidence, authorisation, reasons, citations, conditions) → cell id
    let mut cells: Vec<Value> = Vec::new();
    let mut cell_ids: HashMap<(usize, usize, u32), u32> = HashMap::new();
    let mut cell_index: HashMap<String, u32> = HashMap::new();
    let mut vecs: Vec<String> = Vec::new();
    let mut vec_ids: HashMap<Vec<u32>, u32> = HashMap::new();
    // views[(i * users + u) * uses + e] = index into `view_sets` (42 column ids each)
    let mut views: Vec<u32> = Vec::new();
    let mut view_sets: Vec<Vec<u32>> = Vec::new();
    let mut view_ids: HashMap<Vec<u32>, u32> = HashMap::new();
    let jn = world.jurisdictions.len();
    for (i, &item) in grid.items.iter().enumerate() {
        for &user in EndUser::VALUES {
            for &usage in EndUse::VALUES {
                let mut per_j = Vec::with_capacity(jn);
                for j in 0..jn {
                    let regime = &world.regimes[world.jurisdictions[j].regime];
                    let link_regime = regime
                        .meta
                        .extends
                        .clone()
                        .unwrap_or_else(|| regime.id.clone());
                    let col: Vec<u32> = grid
                        .rows
                        .rows
                        .iter()
                        .map(|&p| {
                            let det = grid.det(j, i, p, user, usage);
                            *cell_ids.entry((j, i, det)).or_insert_with(|| {
                                let d = &grid.bulk.dets[det as usize];
                                let parts = world.render_template(j, item, d);
                                let reasons: Vec<u32> =
                                    split(&parts.reasons).map(|t| texts.code(t)).collect();
                                let cites: Vec<u32> = split(&parts.citations)
                                    .map(|t| texts.code(&links::html(t, Some(&link_regime))))
                                    .collect();
                                let conds: Vec<u32> =
                                    split(&parts.conditions).map(|t| texts.code(t)).collect();
                                let auth = if parts.authorisation.is_empty() {
                                    -1
                                } else {
                                    i64::from(texts.code(&parts.authorisation))
                                };
                                let v = json!([
                                    outcome_code(d.outcome),
                                    d.confidence as u8,
                                    auth,
                                    reasons,
                                    cites,
                                    conds,
                                    parts.licence_policy,
                                ]);
                                let key = v.to_string();
                                *cell_index.entry(key).or_insert_with(|| {
                                    cells.push(v);
                                    (cells.len() - 1) as u32
                                })
                            })
                        })
                        .collect();
                    let id = *vec_ids.entry(col.clone()).or_insert_with(|| {
                        vecs.push(rle(&col));
                        (vecs.len() - 1) as u32
                    });
                    per_j.push(id);
                }
                let id = *view_ids.entry(per_j.clone()).or_insert_with(|| {
                    view_sets.push(per_j);
                    (view_sets.len() - 1) as u32
                });
                views.push(id);
            }
        }
    }
    let rows: Vec<Value> = grid
        .rows
        .rows
        .iter()
        .map(|&p| {
            let g = grid
                .rows
                .groups
                .iter()
                .position(|g| {
                    let r = grid.rows.rows.iter().position(|&x| x == p).unwrap_or(0);
                    g.1 <= r && r <= g.2
                })
                .unwrap_or(0);
            json!([world.places().code(p), world.places().get(p).name, g])
        })
        .collect();
    let value = json!({
        "items": grid.items.iter().map(|&i| world.catalogue().get(i).code.clone()).collect::<Vec<_>>(),
        "users": EndUser::VALUES.iter().map(|u| u.as_str()).collect::<Vec<_>>(),
        "uses": EndUse::VALUES.iter().map(|u| u.as_str()).collect::<Vec<_>>(),
        "outcomes": OUTCOMES.iter().map(|o| o.as_str()).chain(["not-applicable"]).collect::<Vec<_>>(),
        "confidence": [Confidence::Assumed.as_str(), Confidence::Secondary.as_str(), Confidence::Primary.as_str()],
        "juris": world.jurisdictions.iter().map(|j| j.code.clone()).collect::<Vec<_>>(),
        "groups": grid.rows.groups.iter().map(|g| g.0.clone()).collect::<Vec<_>>(),
        "rows": rows,
        "texts": texts.values,
        "cells": cells,
        "vecs": vecs,
        "views": views,
        "viewSets": view_sets,
    });
    // `<`, `>` and `&` only occur inside JSON strings: escape them so that no data can close
    // the script element or read as markup.
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The explorer's HTML: the view controls (filled server-side) and an empty grid.
pub(crate) fn html(grid: &Grid<'_>) -> String {
    let world = grid.world;
    let mut h = String::new();
    let select = |h: &mut String, id: &str, label: &str, values: Vec<String>| {
        let _ = write!(h, "<label>{label} <select id=\"{id}\">");
        for v in values {
            let _ = write!(h, "<option value=\"{0}\">{0}</option>", escape(&v));
        }
        let _ = write!(h, "</select></label> ");
    };
    h.push_str("<form class=\"x-controls\" onsubmit=\"return false\">");
    select(
        &mut h,
        "x-item",
        "Item",
        grid.items
            .iter()
            .map(|&i| world.catalogue().get(i).code.clone())
            .collect(),
    );
    select(
        &mut h,
        "x-user",
        "End user",
        EndUser::VALUES
            .iter()
            .map(|u| u.as_str().to_string())
            .collect(),
    );
    select(
        &mut h,
        "x-use",
        "End use",
        EndUse::VALUES
            .iter()
            .map(|u| u.as_str().to_string())
            .collect(),
    );
    h.push_str("<a id=\"x-link\" href=\"#item=4A005&amp;end_user=commercial&amp;end_use=unspecified\">link to this view</a></form>\n");
    h.push_str("<div class=\"x-legend\">");
    for (o, c) in OUTCOMES.iter().zip(crate::report::model::OUTCOME_COLOURS) {
        let _ = write!(
            h,
            "<span><i style=\"background:rgb({},{},{})\"></i>{}</span> ",
            c.0,
            c.1,
            c.2,
            o.as_str()
        );
    }
    h.push_str("<span><i class=\"na\"></i>not-applicable</span> <span>· secondary source</span> <span>○ assumed</span></div>\n");
    h.push_str("<div class=\"x-body\"><div class=\"x-wrap\"><table id=\"x-grid\" aria-describedby=\"x-detail\"></table></div>\n<aside id=\"x-detail\" aria-live=\"polite\"><p>Hover over or focus a cell (Tab) to see its rule chain and citations.</p></aside></div>\n");
    h.push_str("<noscript><p>The explorer needs JavaScript. The same determinations are in <code>tables/</code> and in the charts above.</p></noscript>\n");
    h
}

/// The explorer's script (no network, no libraries).
pub(crate) const SCRIPT: &str = r#"(function(){
var D=JSON.parse(document.getElementById('x-data').textContent);
var vcache={};
function vec(id){if(vcache[id])return vcache[id];var out=[];D.vecs[id].split(',').forEach(function(t){var k=t.indexOf('*');if(k<0){out.push(parseInt(t,36));}else{var v=parseInt(t.slice(0,k),36),n=parseInt(t.slice(k+1),36);for(var i=0;i<n;i++)out.push(v);}});vcache[id]=out;return out;}
function parse(){var q={};location.hash.replace(/^#/,'').split('&').forEach(function(kv){var i=kv.indexOf('=');if(i>0)q[decodeURIComponent(kv.slice(0,i))]=decodeURIComponent(kv.slice(i+1));});return q;}
function pick(list,v,d){var i=list.indexOf(v);return i<0?d:i;}
var sel={item:document.getElementById('x-item'),user:document.getElementById('x-user'),use:document.getElementById('x-use')};
var grid=document.getElementById('x-grid'),detail=document.getElementById('x-detail'),link=document.getElementById('x-link');
var cur=null;
function esc(s){return String(s).replace(/[&<>"]/g,function(c){return {'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c];});}
function render(){
 var q=parse();var i=pick(D.items,q.item,0),u=pick(D.users,q.end_user,0),e=pick(D.uses,q.end_use,0);
 sel.item.value=D.items[i];sel.user.value=D.users[u];sel.use.value=D.uses[e];
 var frag='#item='+encodeURIComponent(D.items[i])+'&end_user='+D.users[u]+'&end_use='+D.uses[e];
 link.setAttribute('href',frag);
 var cols=D.viewSets[D.views[(i*D.users.length+u)*D.uses.length+e]].map(vec);cur={i:i,u:u,e:e,cols:cols};
 var h=['<thead><tr><th scope="col">to \\ from</th>'];
 D.juris.forEach(function(j){h.push('<th scope="col">'+j+'</th>');});
 h.push('</tr></thead><tbody>');var g=-1;
 D.rows.forEach(function(r,ri){
  if(r[2]!==g){g=r[2];h.push('<tr class="grp"><th colspan="'+(D.juris.length+1)+'">'+esc(D.groups[g])+'</th></tr>');}
  h.push('<tr><th scope="row">'+r[0]+' <span>'+esc(r[1])+'</span></th>');
  cols.forEach(function(col,ji){var c=D.cells[col[ri]];var o=D.outcomes[c[0]];var cf=D.confidence[c[1]];
   h.push('<td tabindex="0" class="o'+c[0]+'" data-r="'+ri+'" data-j="'+ji+'" data-jurisdiction="'+D.juris[ji]+'" data-destination="'+r[0]+'" data-outcome="'+o+'" data-confidence="'+cf+'" data-item="'+esc(D.items[i])+'" data-end-user="'+D.users[u]+'" data-end-use="'+D.uses[e]+'">'+(cf==='secondary'?'·':cf==='assumed'?'○':'')+'</td>');});
  h.push('</tr>');});
 h.push('</tbody>');grid.innerHTML=h.join('');
 grid.setAttribute('data-view',frag.slice(1));
}
function show(td){
 if(!cur||!td||td.tagName!=='TD')return;var ri=+td.getAttribute('data-r'),ji=+td.getAttribute('data-j');
 var c=D.cells[cur.cols[ji][ri]];var dest=D.rows[ri][0];
 var fill=function(id){return D.texts[id].split('{dest}').join(dest);};
 var h='<h3>'+esc(D.juris[ji])+' → '+esc(dest)+' '+esc(D.rows[ri][1])+'</h3><p><b>'+D.outcomes[c[0]]+'</b>'+(c[2]>=0?' under '+esc(D.texts[c[2]]):'')+(c[6]?' · policy: '+esc(c[6]):'')+' · confidence: '+D.confidence[c[1]]+'</p>';
 h+='<p>'+esc(D.items[cur.i])+', end user '+D.users[cur.u]+', end use '+D.uses[cur.e]+'</p>';
 if(c[3].length){h+='<h4>Rule chain</h4><ol>'+c[3].map(function(t){return '<li>'+esc(fill(t))+'</li>';}).join('')+'</ol>';}
 if(c[4].length){h+='<h4>Citations</h4><ul>'+c[4].map(function(t){return '<li>'+D.texts[t]+'</li>';}).join('')+'</ul>';}
 if(c[5].length){h+='<h4>Conditions</h4><ul>'+c[5].map(function(t){return '<li>'+esc(fill(t))+'</li>';}).join('')+'</ul>';}
 detail.innerHTML=h;
}
grid.addEventListener('mouseover',function(ev){show(ev.target);});
grid.addEventListener('focusin',function(ev){show(ev.target);});
function go(){location.hash='item='+encodeURIComponent(sel.item.value)+'&end_user='+sel.user.value+'&end_use='+sel.use.value;}
sel.item.addEventListener('change',go);sel.user.addEventListener('change',go);sel.use.addEventListener('change',go);
window.addEventListener('hashchange',render);render();
})();"#;
