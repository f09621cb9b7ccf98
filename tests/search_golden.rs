//! Golden test: the browser runtime (wasm, run under Node through the same
//! engine.js the site ships) must rank exactly like the native engine that
//! `svcbook search` uses, on the demo site.
//!
//! Scores may differ in the last f32 bit (`ln` comes from glibc natively and
//! from Rust's libm in wasm), so ranked ids are compared up to score ties.

mod common;

use std::path::Path;
use std::process::Command;

use common::{build_demo, repo};
use svcbook::index::Manifest;
use svcbook_search::{SearchRequest, SearchResponse};

/// Queries as users type them, plus every syntax feature.
const QUERIES: &[&str] = &[
    "E04",
    "e04 不制冷",
    "XR-200 噪音",
    "xr200",
    "E-102",
    "E102 配网",
    "Ｅ０５",
    "F3",
    "F5 跳闸",
    "E11 进水",
    "E12",
    "H1 不出风",
    "E06 电压",
    "E-105 升级",
    "客户情绪激动",
    "返厂维修多久",
    "保修期怎么算",
    "质保",
    "退货",
    "师傅迟到",
    "漏电",
    "冰箱结霜",
    "洗碗机不排水",
    "热水器不加热",
    "差评怎么回复",
    "物流太慢",
    "发错型号",
    "回访电话",
    "上门前要准备什么",
    "冷媒回收",
    "收费怎么跟客户说",
    "投诉答复函",
    "\"上门维修\"",
    "+投诉 -物流",
    "kind:procedure 维修",
    "tag:返厂",
    "product:DW-8 积水",
    "壓縮機",
    "<script>",
    "一",
    "",
    "安装 调试 验货",
    "24小时",
    // Issue 14: typing, typos, pinyin, typed fields, filters by any spelling, pasted text.
    "XR-2",
    "E0",
    "E4",
    "XR-2OO",
    "E-103 ",
    "buzhileng",
    "bzl",
    "外机粗管结霜",
    "kind:故障案例 product:xr-200 不制冷",
    "kind:bogus 冷媒",
    "不制冷 zzqqxx",
    "usage: -h, --help 显示帮助",
];

fn manifest(out: &Path) -> Manifest {
    serde_json::from_slice(&std::fs::read(out.join("search/manifest.json")).unwrap()).unwrap()
}

const NODE_RUNNER: &str = r#"
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const [engineJs, searchDir, queriesPath] = process.argv.slice(2);
vm.runInThisContext(fs.readFileSync(engineJs, 'utf8'));
// What the page does: rank (loading the index chunks the runtime asks for),
// load the hits' fragment scripts, cut snippets from the bodies.
const texts = new Map();
globalThis.svcbookSearchText = (data) => Object.keys(data).forEach((id) => texts.set(id, data[id]));
const manifest = JSON.parse(fs.readFileSync(path.join(searchDir, 'manifest.json'), 'utf8'));
const chunk = async (hash) => fs.readFileSync(path.join(searchDir, 'index', hash + '.js'), 'utf8');
(async () => {
  const wasm = fs.readFileSync(path.join(searchDir, manifest.wasm));
  const engine = await svcbookSearchEngine(wasm, manifest.index, chunk);
  const queries = JSON.parse(fs.readFileSync(queriesPath, 'utf8'));
  const out = [];
  for (const q of queries) {
    const res = await engine.search({ q, limit: 10 });
    for (const h of res.hits) {
      if (!texts.has(h.id)) vm.runInThisContext(fs.readFileSync(path.join(searchDir, h.fragment), 'utf8'));
    }
    const snippets = await engine.snippets({
      q: res.query,
      hits: res.hits.map((h) => ({ id: h.id, summary: h.summary, body: texts.has(h.id) ? texts.get(h.id) : null })),
    });
    res.hits.forEach((h, i) => Object.assign(h, snippets[i]));
    out.push(res);
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
"#;

/// Native hits grouped into runs of (nearly) equal score; the wasm list must
/// hold the same ids in the same groups, in group order.
fn same_up_to_ties(native: &SearchResponse, wasm: &SearchResponse) -> Result<(), String> {
    if (native.total, native.partial_total) != (wasm.total, wasm.partial_total) {
        return Err(format!(
            "total {}+{} partial vs {}+{}",
            native.total, native.partial_total, wasm.total, wasm.partial_total
        ));
    }
    if native.unknown_filters != wasm.unknown_filters {
        return Err("unknown filters differ".into());
    }
    if native.hits.len() != wasm.hits.len() {
        return Err(format!("{} hits vs {}", native.hits.len(), wasm.hits.len()));
    }
    let close = |a: f32, b: f32| (a - b).abs() <= 1e-5 * a.abs().max(b.abs()).max(1.0);
    let mut i = 0;
    while i < native.hits.len() {
        let mut j = i + 1;
        while j < native.hits.len() && close(native.hits[j].score, native.hits[i].score) {
            j += 1;
        }
        // The last group may continue past the top 10, so either side may cut it differently.
        let mut a: Vec<&str> = native.hits[i..j].iter().map(|h| h.id.as_str()).collect();
        let mut b: Vec<&str> = wasm.hits[i..j].iter().map(|h| h.id.as_str()).collect();
        a.sort_unstable();
        b.sort_unstable();
        if a != b && j < native.hits.len() {
            return Err(format!("ranks {i}..{j}: {a:?} vs {b:?}"));
        }
        for k in i..j {
            if !close(native.hits[k].score, wasm.hits[k].score) {
                return Err(format!(
                    "rank {k} score {} vs {}",
                    native.hits[k].score, wasm.hits[k].score
                ));
            }
        }
        i = j;
    }
    Ok(())
}

#[test]
fn wasm_ranks_like_native_on_the_demo_site() {
    let (tmp, out) = build_demo();
    let m = manifest(&out);
    let engine = svcbook::search_cmd::open_chunked(&out.join("search"), m.index.clone()).unwrap();
    let native: Vec<SearchResponse> = QUERIES
        .iter()
        .map(|q| {
            engine
                .search_with_text(
                    &SearchRequest {
                        q: q.to_string(),
                        limit: 10,
                        ..Default::default()
                    },
                    |name| std::fs::read(out.join("search").join(name)).ok(),
                )
                .unwrap()
        })
        .collect();

    let runner = tmp.path().join("runner.cjs");
    std::fs::write(&runner, NODE_RUNNER).unwrap();
    let queries = tmp.path().join("queries.json");
    std::fs::write(&queries, serde_json::to_vec(QUERIES).unwrap()).unwrap();
    let output = Command::new("node")
        .arg(&runner)
        .arg(repo().join("themes/default/static/search/engine.js"))
        .arg(out.join("search"))
        .arg(&queries)
        .output()
        .expect("node must be installed for the wasm golden test");
    assert!(
        output.status.success(),
        "node runner failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let wasm: Vec<SearchResponse> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(wasm.len(), QUERIES.len());

    let mut failures = Vec::new();
    let mut identical = 0;
    let mut with_hits = 0;
    for ((q, n), w) in QUERIES.iter().zip(&native).zip(&wasm) {
        if let Err(e) = same_up_to_ties(n, w) {
            failures.push(format!("{q:?}: {e}"));
        }
        // The same article must get the same snippet: both sides cut it from
        // the fragment file with the same code.
        for a in &n.hits {
            if let Some(b) = w.hits.iter().find(|b| b.id == a.id) {
                if a.snippet != b.snippet {
                    failures.push(format!(
                        "{q:?} {}: snippet {:?} vs {:?}",
                        a.id, a.snippet, b.snippet
                    ));
                }
                if (a.partial, &a.sections) != (b.partial, &b.sections) {
                    failures.push(format!(
                        "{q:?} {}: partial/sections {:?} vs {:?}",
                        a.id,
                        (a.partial, &a.sections),
                        (b.partial, &b.sections)
                    ));
                }
            }
        }
        let ids = |r: &SearchResponse| r.hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
        if ids(n) == ids(w)
            && n.hits
                .iter()
                .zip(&w.hits)
                .all(|(a, b)| a.snippet == b.snippet)
        {
            identical += 1;
        }
        with_hits += usize::from(!n.hits.is_empty());
    }
    println!(
        "golden: {} queries, {with_hits} with hits, {identical} with identical ids and snippets, {} differ beyond ties",
        QUERIES.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "wasm and native disagree:\n{}",
        failures.join("\n")
    );
    assert!(
        with_hits >= 30,
        "the golden set must exercise ranking, only {with_hits} queries had hits"
    );
}
