//! End-to-end tests of the crate: fixture docs → bundle → engine → ranked hits.

use super::*;

fn doc(id: &str, kind: &str, title: &str, summary: &str, body: &str) -> SearchDoc {
    SearchDoc {
        id: id.into(),
        url: format!("{id}.html"),
        title: title.into(),
        kind: kind.into(),
        status: "published".into(),
        summary: summary.into(),
        body: body.into(),
        ..SearchDoc::default()
    }
}

fn fixtures() -> Vec<SearchDoc> {
    let mut a = doc(
        "FC-1",
        "fault_case",
        "XR-200 开机后压缩机不启动",
        "显示 E04 报警，室外机无声音。",
        "现象：开机三分钟后面板显示E04。\n原因：压缩机启动电容失效。\n处理：更换电容后恢复制冷。",
    );
    a.error_codes = vec!["E04".into()];
    a.products = vec!["XR-200".into()];
    a.tags = vec!["制冷".into(), "电容".into()];
    let mut b = doc(
        "FC-2",
        "fault_case",
        "XR-300 运行噪音大",
        "外机风扇异响。",
        "客户反映夜间噪音明显。检查风扇叶片，发现松动。E-102 为风机过流。",
    );
    b.error_codes = vec!["E-102".into()];
    b.products = vec!["XR-300".into()];
    b.tags = vec!["噪音".into()];
    let mut c = doc(
        "PR-1",
        "procedure",
        "上门维修标准流程",
        "工程师上门前后的步骤。",
        "出发前确认客户地址。到达后先与客户沟通，安抚情绪激动的客户，再检查设备。维修完成后请客户签字。",
    );
    c.products = vec!["XR-200".into(), "XR-300".into()];
    let mut d = doc(
        "SC-1",
        "script",
        "客户要求退款时的话术",
        "退款政策说明。",
        "客户情绪比较激动时，先道歉。客户说要退款，按政策说明七天无理由。",
    );
    d.tags = vec!["退款".into()];
    let e = doc(
        "PG-1",
        "page",
        "安全说明 <script>alert('xss')</script>",
        "<img src=x onerror=alert(1)> 摘要",
        "正文 <script>alert('xss')</script> 与 <img src=x onerror=alert(1)> 都只是文字。",
    );
    let f = doc(
        "ST-1",
        "standard",
        "质保期限标准",
        "整机质保一年。",
        "压缩机质保五年，其他部件一年。",
    );
    vec![a, b, c, d, e, f]
}

/// An engine with its fragment files in memory, searching as the browser
/// does: rank, then snippets from the hits' bodies.
struct TestEngine {
    engine: Engine,
    bundle: Bundle,
}

impl TestEngine {
    fn search(&self, req: &SearchRequest) -> Result<SearchResponse, SearchError> {
        self.engine
            .search_with_text(req, |name| self.bundle.fragment(name).map(<[u8]>::to_vec))
    }
}

fn open(bundle: Bundle) -> TestEngine {
    TestEngine {
        engine: Engine::open(&bundle.index).unwrap(),
        bundle,
    }
}

fn engine(synonyms: &[Vec<String>]) -> TestEngine {
    open(build_bundle(&fixtures(), synonyms).unwrap())
}

fn ids(engine: &TestEngine, q: &str) -> Vec<String> {
    let req = SearchRequest {
        q: q.into(),
        ..SearchRequest::default()
    };
    engine
        .search(&req)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn error_code_ranks_its_case_first_in_any_spelling() {
    let e = engine(&[]);
    for q in ["E04", "e04", "Ｅ０４", "E04 不制冷"] {
        assert_eq!(
            ids(&e, q).first().map(String::as_str),
            Some("FC-1"),
            "query {q}"
        );
    }
    for q in ["E-102", "E102", "e102"] {
        assert_eq!(
            ids(&e, q).first().map(String::as_str),
            Some("FC-2"),
            "query {q}"
        );
    }
}

#[test]
fn model_code_and_its_parts_match() {
    let e = engine(&[]);
    assert_eq!(
        ids(&e, "XR-300 噪音").first().map(String::as_str),
        Some("FC-2")
    );
    assert!(ids(&e, "XR200").contains(&"FC-1".to_string()));
    assert!(ids(&e, "300").contains(&"FC-2".to_string()));
}

#[test]
fn contiguous_phrase_beats_scattered_words() {
    let e = engine(&[]);
    // PR-1 has 情绪激动 contiguous; SC-1 has 情绪比较激动.
    let hits = ids(&e, "情绪激动");
    assert_eq!(hits[0], "PR-1", "{hits:?}");
    assert!(hits.contains(&"SC-1".to_string()), "{hits:?}");
}

#[test]
fn fragment_from_the_middle_of_a_body_finds_it() {
    let e = engine(&[]);
    assert_eq!(
        ids(&e, "安抚情绪").first().map(String::as_str),
        Some("PR-1")
    );
    assert_eq!(
        ids(&e, "启动电容").first().map(String::as_str),
        Some("FC-1")
    );
}

#[test]
fn partial_match_is_never_empty() {
    let e = engine(&[]);
    // 返厂 occurs nowhere; 维修 does.
    assert_eq!(
        ids(&e, "返厂维修多久").first().map(String::as_str),
        Some("PR-1")
    );
    assert!(ids(&e, "完全无关的词语").is_empty());
}

#[test]
fn shared_characters_rerank_pages_that_share_few_bigrams() {
    // Both pages share only the bigram 外壳 with the query; the second also has
    // 破 and 裂, in other words. Same length, so BM25 alone would tie them.
    let docs = vec![
        doc("A", "page", "说明一", "", "外壳颜色偏暗请联系客服更换一下"),
        doc(
            "B",
            "page",
            "说明二",
            "",
            "外壳出现裂纹和破口请联系客服更换",
        ),
    ];
    let e = open(build_bundle(&docs, &[]).unwrap());
    assert_eq!(ids(&e, "外壳破裂了"), vec!["B", "A"]);
    // Characters never match on their own: 的 is everywhere, and still nothing.
    assert!(ids(&e, "的色").is_empty());
}

#[test]
fn synonyms_apply_at_query_time() {
    let plain = engine(&[]);
    assert!(!ids(&plain, "保修").contains(&"ST-1".to_string()));
    let syn = engine(&[
        vec!["保修".into(), "质保".into()],
        vec!["退货".into(), "退款".into()],
    ]);
    assert_eq!(ids(&syn, "保修").first().map(String::as_str), Some("ST-1"));
    assert_eq!(ids(&syn, "退货").first().map(String::as_str), Some("SC-1"));
}

#[test]
fn filters_narrow_and_facets_count_other_values() {
    let e = engine(&[]);
    let all = e
        .search(&SearchRequest {
            q: "客户".into(),
            ..Default::default()
        })
        .unwrap();
    assert!(all.total >= 3);
    let req = SearchRequest {
        q: "客户".into(),
        kind: vec!["script".into()],
        ..Default::default()
    };
    let only = e.search(&req).unwrap();
    assert_eq!(
        only.hits
            .iter()
            .map(|h| h.kind.as_str())
            .collect::<Vec<_>>(),
        vec!["script"]
    );
    assert!(only.total < all.total);
    // Counted without the kind filter, so the user can switch kinds.
    assert!(
        only.facets.kind.get("fault_case").copied().unwrap_or(0) >= 1,
        "{:?}",
        only.facets
    );
    let by_product = SearchRequest {
        q: String::new(),
        product: vec!["XR-300".into()],
        ..Default::default()
    };
    let mut browse: Vec<_> = e
        .search(&by_product)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect();
    browse.sort();
    assert_eq!(browse, vec!["FC-2", "PR-1"]);
}

#[test]
fn excluded_and_required_words() {
    let e = engine(&[]);
    assert!(!ids(&e, "客户 -退款").contains(&"SC-1".to_string()));
    assert_eq!(ids(&e, "+退款"), vec!["SC-1"]);
    assert!(ids(&e, "-客户").is_empty());
}

#[test]
fn snippets_and_titles_are_escaped_with_marks_only() {
    let e = engine(&[]);
    let res = e
        .search(&SearchRequest {
            q: "正文 文字 摘要 安全".into(),
            ..Default::default()
        })
        .unwrap();
    let hit = res.hits.iter().find(|h| h.id == "PG-1").unwrap();
    for html in [&hit.snippet, &hit.title_html] {
        let stripped = html.replace("<mark>", "").replace("</mark>", "");
        assert!(!stripped.contains('<'), "unescaped markup in {html}");
    }
    assert!(hit.snippet.contains("&lt;script&gt;"), "{}", hit.snippet);
    assert!(hit.snippet.contains("<mark>"), "{}", hit.snippet);
    assert!(
        hit.snippet_text.contains("<script>"),
        "plain text keeps the characters: {}",
        hit.snippet_text
    );
}

#[test]
fn hits_carry_display_fields() {
    let e = engine(&[]);
    let res = e
        .search(&SearchRequest {
            q: "E04".into(),
            limit: 1,
            ..Default::default()
        })
        .unwrap();
    let hit = &res.hits[0];
    assert_eq!(hit.url, "FC-1.html");
    assert_eq!(hit.products, vec!["XR-200"]);
    assert_eq!(hit.error_codes, vec!["E04"]);
    assert!(hit.snippet.contains("<mark>E04</mark>"), "{}", hit.snippet);
    assert!(hit.score > 0.0);
    assert_eq!(res.hits.len(), 1);
}

#[test]
fn same_docs_give_the_same_bytes() {
    let a = build_bundle(&fixtures(), &[]).unwrap();
    let b = build_bundle(&fixtures(), &[]).unwrap();
    assert!(
        a == b,
        "bundle bytes differ between two builds of the same docs"
    );
}

#[test]
fn empty_site_and_foreign_bytes() {
    let e = open(build_bundle(&[], &[]).unwrap());
    assert!(ids(&e, "E04").is_empty());
    assert!(matches!(Engine::open(b"nope"), Err(SearchError::Bundle(_))));
}

#[test]
fn request_json_accepts_string_or_list_filters() {
    let r: SearchRequest =
        serde_json::from_str(r#"{"q":"x","kind":"script","tag":["a",""],"product":null}"#).unwrap();
    assert_eq!(r.kind, vec!["script"]);
    assert_eq!(r.tag, vec!["a"]);
    assert!(r.product.is_empty());
}

mod props {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn shared() -> &'static TestEngine {
        static ENGINE: OnceLock<TestEngine> = OnceLock::new();
        ENGINE.get_or_init(|| engine(&[vec!["保修".into(), "质保".into()]]))
    }

    fn query_text() -> impl Strategy<Value = String> {
        let pieces = prop_oneof![
            Just("E04".to_string()),
            Just("\"".to_string()),
            Just("-".to_string()),
            Just("+".to_string()),
            Just("kind:".to_string()),
            Just(" ".to_string()),
            "[\\u{4e00}-\\u{4e30}]{1,4}",
            "[a-z0-9-]{1,5}",
            any::<String>(),
        ];
        prop::collection::vec(pieces, 0..8).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
        #[test]
        fn any_query_answers_without_panic(q in query_text(), limit in 0usize..200, offset in 0usize..20) {
            let req = SearchRequest { q, limit, offset, ..Default::default() };
            let res = shared().search(&req).unwrap();
            let cap = if limit == 0 { 10 } else { limit.min(100) };
            prop_assert!(res.hits.len() <= cap);
            prop_assert!((res.total + res.partial_total) as usize >= res.hits.len());
            // Complete matches come before partial ones.
            prop_assert!(res.hits.windows(2).all(|w| !w[0].partial || w[1].partial || w[1].status == "archived"));
            for h in &res.hits {
                let stripped = h.snippet.replace("<mark>", "").replace("</mark>", "");
                prop_assert!(!stripped.contains('<'));
            }
        }
    }
}

#[test]
fn archived_articles_rank_after_all_current_ones() {
    let mut old = doc(
        "ST-0",
        "standard",
        "投诉答复时限 投诉答复时限",
        "投诉答复时限：48 小时。",
        "投诉答复时限 投诉答复时限 投诉答复时限。",
    );
    old.status = "archived".into();
    let current = doc(
        "ST-1",
        "standard",
        "服务标准",
        "其他内容。",
        "投诉答复时限为 24 小时。",
    );
    let other = doc(
        "ST-2",
        "standard",
        "服务标准二",
        "其他内容。",
        "投诉的答复要及时。",
    );
    let engine = open(build_bundle(&[old, current, other], &[]).unwrap());
    let ids = |offset: usize, limit: usize| {
        let req = SearchRequest {
            q: "投诉答复时限".into(),
            limit,
            offset,
            ..SearchRequest::default()
        };
        let r = engine.search(&req).unwrap();
        (
            r.total,
            r.hits.into_iter().map(|h| h.id).collect::<Vec<_>>(),
        )
    };
    // The archived page matches best by far, yet comes last, even after ST-2,
    // which holds the words only apart (a partial match, not counted in
    // `total`); paging across the boundary is exact.
    assert_eq!(
        ids(0, 10),
        (2, vec!["ST-1".to_string(), "ST-2".into(), "ST-0".into()])
    );
    assert_eq!(ids(1, 1), (2, vec!["ST-2".to_string()]));
    assert_eq!(ids(2, 5), (2, vec!["ST-0".to_string()]));
}

#[test]
fn excluding_a_word_whose_parts_occur_apart_is_safe_and_exact() {
    let e = engine(&[]);
    // 客户 and 户说 both occur ("客户说"), 说退 does not follow it anywhere: the
    // excluded phrase's scorer starts exhausted, which once tripped tantivy's
    // debug assertion inside the exclusion.
    for q in [
        "客户 -户说退款",
        "客户 -客户情绪",
        "客户 -情绪激动的客户",
        "E04 -压缩机启动",
    ] {
        let plain = q.split(" -").next().unwrap();
        let excluded = q.split(" -").nth(1).unwrap();
        let with = ids(&e, q);
        let without = ids(&e, plain);
        let expected: Vec<String> = without
            .into_iter()
            .filter(|id| {
                let d = fixtures().into_iter().find(|d| &d.id == id).unwrap();
                !format!("{} {} {}", d.title, d.summary, d.body).contains(excluded)
            })
            .collect();
        assert_eq!(with, expected, "{q}");
    }
}

#[test]
fn bodies_stay_out_of_the_index_and_come_back_for_snippets() {
    let e = engine(&[]);
    let req = SearchRequest {
        q: "启动电容".into(),
        ..SearchRequest::default()
    };
    let ranked = e.engine.search(&req).unwrap();
    let hit = &ranked.hits[0];
    assert_eq!(hit.id, "FC-1");
    assert!(hit.fragment.starts_with("text/"), "{}", hit.fragment);
    assert!(
        !hit.snippet.contains("<mark>"),
        "before the body arrives the snippet is the summary's lead: {}",
        hit.snippet
    );
    let full = e.search(&req).unwrap();
    assert!(
        full.hits[0].snippet.contains("<mark>启动电容</mark>"),
        "{}",
        full.hits[0].snippet
    );
    // The body text is not in the index bundle at all.
    let body_piece = "启动电容".as_bytes();
    assert!(!e
        .bundle
        .index
        .windows(body_piece.len())
        .any(|w| w == body_piece));
}

#[test]
fn segments_split_the_work_but_not_the_ranking() {
    let synonyms = [vec!["保修".to_string(), "质保".to_string()]];
    let one = open(build_bundle(&fixtures(), &synonyms).unwrap());
    let split = open(crate::writer::build_bundle_split(&fixtures(), &synonyms, 4).unwrap());
    assert_eq!(split.engine.num_docs(), fixtures().len() as u64);
    for q in [
        "E04",
        "情绪激动",
        "保修",
        "维修 客户",
        "XR-200 噪音",
        "kind:script 退款",
    ] {
        let req = SearchRequest {
            q: q.into(),
            ..SearchRequest::default()
        };
        let (a, b) = (one.search(&req).unwrap(), split.search(&req).unwrap());
        let scored = |r: &SearchResponse| {
            r.hits
                .iter()
                .map(|h| {
                    (
                        h.id.clone(),
                        (h.score * 1e4).round() as i64,
                        h.snippet.clone(),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert!(!a.hits.is_empty(), "{q}");
        assert_eq!(scored(&a), scored(&b), "{q}");
        assert_eq!(a.facets, b.facets, "{q}");
    }
    // The parallel segments are merged into one, documents in their order.
    let split_bundle = crate::writer::build_bundle_split(&fixtures(), &synonyms, 4).unwrap();
    let (_, entries) = crate::bundle::unpack_index(&split_bundle.index).unwrap();
    let idx_files = entries.iter().filter(|(n, _)| n.ends_with(".idx")).count();
    assert_eq!(idx_files, 1, "one segment after the merge");
    let ram = tantivy::directory::RamDirectory::create();
    for (name, range) in entries {
        tantivy::Directory::atomic_write(
            &ram,
            std::path::Path::new(&name),
            &split_bundle.index[range],
        )
        .unwrap();
    }
    let index = tantivy::Index::open(ram).unwrap();
    let searcher = index.reader().unwrap().searcher();
    let id_field = index.schema().get_field("id").unwrap();
    let ids: Vec<String> = (0..fixtures().len() as u32)
        .map(|d| {
            let doc: tantivy::TantivyDocument =
                searcher.doc(tantivy::DocAddress::new(0, d)).unwrap();
            use tantivy::schema::Value;
            doc.get_first(id_field)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let want: Vec<String> = fixtures().iter().map(|d| d.id.clone()).collect();
    assert_eq!(ids, want, "the merge keeps the documents' order");
    let twice = crate::writer::build_bundle_split(&fixtures(), &synonyms, 4).unwrap();
    assert_eq!(
        twice.index,
        crate::writer::build_bundle_split(&fixtures(), &synonyms, 4)
            .unwrap()
            .index,
        "parallel segment building must still give the same bytes"
    );
}

// ---- issue 14: typed fields, filters, syntax, counting, as-you-type, typos, sections ----

fn search(e: &TestEngine, q: &str) -> SearchResponse {
    e.search(&SearchRequest {
        q: q.into(),
        ..SearchRequest::default()
    })
    .unwrap()
}

fn typed_fixtures() -> Vec<SearchDoc> {
    let mut docs = fixtures();
    docs[0].facts = vec!["外机粗管结霜".into(), "连接管喇叭口".into()];
    docs[0].kind_aliases = vec!["fault-cases".into(), "故障案例".into()];
    docs[0].pinyin = vec!["buzhileng".into(), "bzl".into(), "yasuoji".into()];
    docs[1].kind_aliases = vec!["fault-cases".into(), "故障案例".into()];
    docs[2].kind_aliases = vec!["procedures".into(), "维修流程".into()];
    docs[2].body = "## 出发前\n确认客户地址。\n## 现场\n先与客户沟通，安抚情绪激动的客户，再检查设备。\n## 收尾\n维修完成后请客户签字。".into();
    docs[2].sections = vec![
        Section {
            heading: "出发前".into(),
            anchor: "chu-fa-qian".into(),
            start: 3,
        },
        Section {
            heading: "现场".into(),
            anchor: "xian-chang".into(),
            start: 38,
        },
        Section {
            heading: "收尾".into(),
            anchor: "shou-wei".into(),
            start: 118,
        },
    ];
    docs
}

fn typed() -> TestEngine {
    open(build_bundle(&typed_fixtures(), &[]).unwrap())
}

#[test]
fn typed_fields_find_their_article() {
    let e = typed();
    assert_eq!(
        ids(&e, "外机粗管结霜").first().map(String::as_str),
        Some("FC-1")
    );
    assert_eq!(ids(&e, "喇叭口").first().map(String::as_str), Some("FC-1"));
}

#[test]
fn filters_ignore_case_and_take_aliases() {
    let e = typed();
    for q in [
        "kind:故障案例 噪音",
        "kind:FAULT-CASES 噪音",
        "kind:Fault_Case 噪音",
        "product:xr-300 噪音",
        "product:xr300 噪音",
    ] {
        let r = search(&e, q);
        assert!(r.unknown_filters.is_empty(), "{q}: {:?}", r.unknown_filters);
        assert_eq!(r.hits.first().map(|h| h.id.as_str()), Some("FC-2"), "{q}");
    }
    let r = search(&e, "kind:procedures 客户");
    assert!(r.hits.iter().all(|h| h.kind == "procedure"), "{:?}", r.hits);
    assert!(!r.hits.is_empty());
}

#[test]
fn unknown_filter_value_lists_the_valid_ones() {
    let e = typed();
    let r = search(&e, "kind:bogus 客户");
    assert!(r.hits.is_empty());
    let u = &r.unknown_filters[0];
    assert_eq!((u.dimension.as_str(), u.value.as_str()), ("kind", "bogus"));
    assert!(
        u.valid
            .iter()
            .any(|v| v.starts_with("fault_case") && v.contains("故障案例")),
        "{:?}",
        u.valid
    );
    assert!(u.message().contains("procedure"), "{}", u.message());
}

#[test]
fn a_dash_in_pasted_text_never_excludes() {
    use crate::query::{parse, WordOccur};
    let excluded = |q: &str| {
        parse(q)
            .words
            .iter()
            .filter(|w| w.occur == WordOccur::MustNot)
            .count()
    };
    assert_eq!(excluded("投诉 -物流"), 1);
    assert_eq!(excluded("usage: -h, --help 显示帮助"), 0);
    assert_eq!(excluded("温度 -5℃"), 0);
    assert_eq!(excluded("a - b"), 0);
    assert_eq!(excluded("显示帮助，-h 退出"), 0);
    // A page holding the query as typed is never excluded by it.
    let docs = vec![doc("A", "page", "清理目录", "用 rm -rf 删除目录。", "正文")];
    let e = open(build_bundle(&docs, &[]).unwrap());
    assert_eq!(ids(&e, "rm -rf"), vec!["A"]);
}

#[test]
fn complete_matches_first_and_counted_partial_marked() {
    let e = typed();
    let r = search(&e, "客户 zzqqxx");
    assert_eq!(r.total, 0);
    assert!(r.partial_total > 0);
    assert!(r.hits.iter().all(|h| h.partial));
    let r = search(&e, "zzqqxx");
    assert_eq!((r.total, r.hits.len()), (0, 0));
    let r = search(&e, "客户 退款");
    assert_eq!(r.total, 1, "{:?}", r.hits);
    assert_eq!(r.hits[0].id, "SC-1");
    assert!(!r.hits[0].partial);
    assert!(r.hits[1..].iter().all(|h| h.partial));
    assert!(r.partial_total > 0);
    // The facets count what the count counts: the one complete match.
    let kinds: u64 = r.facets.kind.values().sum();
    assert_eq!(kinds, 1, "{:?}", r.facets.kind);
    assert_eq!(r.facets.kind.get("script"), Some(&1));
    // With only partial matches, the facets count those (what is shown).
    let r = search(&e, "客户 zzqqxx");
    let kinds: u64 = r.facets.kind.values().sum();
    assert_eq!(kinds, r.partial_total, "{:?}", r.facets.kind);
}

#[test]
fn last_word_matches_as_a_prefix_while_typing() {
    let e = typed();
    for q in ["XR-2", "XR-20", "xr2", "E0", "E4"] {
        let r = search(&e, q);
        assert_eq!(
            r.hits.first().map(|h| h.id.as_str()),
            Some("FC-1"),
            "{q}: {:?}",
            r.hits
        );
        assert!(r.total > 0, "{q}");
    }
    // A finished word (space after it) is not a prefix.
    assert!(search(&e, "XR-2 ").hits.iter().all(|h| h.partial));
}

#[test]
fn one_typo_in_a_code_ranks_below_exact() {
    let e = typed();
    for q in ["XR-2OO", "XR-201 ", "E-103 "] {
        let r = search(&e, q);
        assert!(!r.hits.is_empty(), "{q}");
        assert!(r.hits[0].partial, "{q}");
    }
    // Both FC-1 and PR-1 are about the XR-200.
    assert!(search(&e, "XR-2OO").hits[0]
        .products
        .contains(&"XR-200".to_string()));
    assert_eq!(
        search(&e, "XR-201 ").did_you_mean.as_deref(),
        Some("XR-200")
    );
}

#[test]
fn did_you_mean_offers_the_index_spelling_of_a_mistyped_word() {
    let mut docs = fixtures();
    docs.push(doc(
        "PR-2",
        "procedure",
        "Compressor 启动电容更换",
        "更换 compressor 的启动电容。",
        "断电后拆下电容。",
    ));
    docs.push(doc(
        "PR-3",
        "procedure",
        "Compressor 绝缘检测",
        "检测 compressor 绕组绝缘。",
        "用兆欧表测量。",
    ));
    docs.push(doc(
        "PR-4",
        "procedure",
        "Compress 工具说明",
        "工具。",
        "略。",
    ));
    let e = open(build_bundle(&docs, &[]).unwrap());
    // One edit from both `compressor` (2 pages) and nothing else held by more pages.
    let r = search(&e, "compresor 电容");
    assert_eq!(r.total, 0, "{:?}", r.hits);
    assert!(!r.hits.is_empty());
    assert_eq!(r.did_you_mean.as_deref(), Some("compressor 电容"));
    assert_eq!(
        search(&e, "Compresor 电容").did_you_mean.as_deref(),
        Some("Compressor 电容")
    );
    // A word the index holds as typed is never "corrected", even one edit
    // from a more frequent term; a word with no neighbour gives nothing.
    let r = search(&e, "compress zzqqxx ");
    assert_eq!(r.total, 0);
    assert_eq!(r.did_you_mean, None, "{:?}", r.did_you_mean);
    // Codes keep their written form from the hits.
    assert_eq!(
        search(&e, "XR-201 ").did_you_mean.as_deref(),
        Some("XR-200")
    );
}

#[test]
fn skipping_facets_changes_nothing_but_the_facets() {
    let e = typed();
    for q in [
        "噪音",
        "XR-200",
        "客户 退款",
        "kind:故障案例 噪音",
        "XR-2OO",
    ] {
        let with = search(&e, q);
        let without = e
            .search(&SearchRequest {
                q: q.into(),
                skip_facets: true,
                ..SearchRequest::default()
            })
            .unwrap();
        assert!(!with.hits.is_empty(), "{q}");
        assert!(!with.facets.kind.is_empty(), "{q}: {:?}", with.facets);
        assert_eq!(without.facets, Facets::default(), "{q}");
        let strip = |mut r: SearchResponse| {
            r.facets = Facets::default();
            serde_json::to_string(&r).unwrap()
        };
        assert_eq!(strip(with), strip(without), "{q}");
    }
}

#[test]
fn pinyin_spellings_find_the_article() {
    let e = typed();
    for q in ["buzhileng", "bzl", "buzhil", "yasuo"] {
        assert_eq!(ids(&e, q).first().map(String::as_str), Some("FC-1"), "{q}");
    }
}

#[test]
fn hits_list_their_best_sections() {
    let e = typed();
    let r = search(&e, "安抚情绪");
    let hit = &r.hits[0];
    assert_eq!(hit.id, "PR-1");
    assert_eq!(hit.sections[0].anchor, "xian-chang", "{:?}", hit.sections);
    assert!(
        hit.sections[0].snippet.contains("<mark>"),
        "{:?}",
        hit.sections
    );
    let r = search(&e, "客户");
    assert!(
        r.hits
            .iter()
            .find(|h| h.id == "PR-1")
            .unwrap()
            .sections
            .len()
            == 3
    );
}

/// A lazily read index answers a query in two round trips at most (the
/// query's postings and positions, then the shown hits' stored documents),
/// whatever fields and term dictionaries it touches, and the snippet call that
/// follows needs none: every round trip is a network wait on a phone.
#[test]
fn lazy_search_takes_two_round_trips_and_snippets_none() {
    use crate::chunks::{chunk_index, ChunkStore};
    use std::sync::Arc;
    const WORDS: &[&str] = &[
        "压缩机",
        "不启动",
        "漏水",
        "排水泵",
        "噪音",
        "结霜",
        "电容",
        "主板",
        "传感器",
        "上门",
        "客户",
        "情绪",
        "激动",
        "退款",
        "保修",
        "返厂",
        "维修",
        "多久",
        "冰箱",
        "洗衣机",
    ];
    // Enough pages that the index spans many chunks (a tiny one fits in the warm file).
    let docs: Vec<SearchDoc> = (0..600)
        .map(|i| {
            let pick = |k: usize| WORDS[(i * 7 + k * 13 + i / 5) % WORDS.len()];
            let body: String = (0..40)
                .map(|k| {
                    format!(
                        "第{k}步{}{}，XR-{}0 报 E{:02}。",
                        pick(k),
                        pick(k + 3),
                        i % 9,
                        k % 30
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            let mut d = doc(
                &format!("FC-{i:04}"),
                "fault_case",
                &format!("{}{}故障{i}", pick(1), pick(2)),
                &format!("{}后{}", pick(4), pick(5)),
                &body,
            );
            d.products = vec![format!("XR-{}0", i % 9)];
            if i % 3 == 0 {
                // As src/pinyin.rs spells a title: syllables, then initials.
                d.pinyin = vec!["bu zhi leng".into(), "bzl".into()];
            }
            d
        })
        .collect();
    let bundle = build_bundle(&docs, &[]).unwrap();
    let full = Engine::open(&bundle.index).unwrap();
    let chunked = chunk_index(bundle.index.clone()).unwrap();
    let table = chunked.table.clone();
    assert!(table.chunk_count() > 20, "{} chunks", table.chunk_count());
    let script = |name: &str| {
        let path = crate::chunks::ChunkTable::script_name(name);
        let (_, bytes) = chunked.files.iter().find(|(n, _)| *n == path).unwrap();
        bytes.clone()
    };
    let queries = [
        "压缩机 不启动",
        "客户情绪激动",
        "E04",
        "漏水排水泵",
        "XR-30",
        "bzl",
        "结",
    ];
    // As the search box's first query (no facet counts) and with its filter
    // panel open (facets counted: the facet column is not in the warm file).
    for (q, skip_facets) in queries.iter().flat_map(|q| [(*q, true), (*q, false)]) {
        let store = Arc::new(ChunkStore::new(table.clone(), None).unwrap());
        store.add_warm_script(&script(&table.warm)).unwrap();
        let engine = Engine::open_lazy(store.clone()).expect("the warm file opens the index");
        let req = SearchRequest {
            q: q.into(),
            skip_facets,
            ..SearchRequest::default()
        };
        let mut rounds = 0;
        let mut response = loop {
            match engine.search(&req) {
                Ok(r) => break r,
                Err(SearchError::NeedChunks(need)) => {
                    rounds += 1;
                    for n in need {
                        store
                            .add_chunk_script(n, &script(&table.chunk_name(n)))
                            .unwrap();
                    }
                }
                Err(e) => panic!("{q}: {e}"),
            }
        };
        // A word of letters only may be pinyin: its dictionary (171 KB at 10k
        // articles) is left out of the warm file and costs one more trip.
        let most = if q.chars().all(|c| c.is_ascii_lowercase()) {
            3
        } else {
            2
        };
        assert!(rounds <= most, "{q}: {rounds} round trips");
        assert_eq!(
            serde_json::to_string(&response).unwrap(),
            serde_json::to_string(&full.search(&req).unwrap()).unwrap(),
            "{q}"
        );
        let bodies: Vec<Option<String>> = response
            .hits
            .iter()
            .map(|h| docs.iter().find(|d| d.id == h.id).map(|d| d.body.clone()))
            .collect();
        engine
            .snippets(&mut response, &bodies)
            .unwrap_or_else(|e| panic!("{q}: snippets after the search: {e}"));
        assert!(!response.hits.is_empty(), "{q}");
    }
}
