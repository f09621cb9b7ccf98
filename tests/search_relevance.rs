//! Relevance report on the demo knowledge base: queries written the way field
//! engineers and hotline staff ask (not copied from titles), each with the
//! articles that answer it. Prints MRR@10, recall@10 and the zero-result rate.
//!
//! These numbers are a report, not a target: the only assertions are that the
//! judgements still point at real articles, and a floor far below the measured
//! value that only a broken engine would fall under.
//!
//! Run with `cargo test --test search_relevance -- --nocapture` to see the table.

mod common;

use std::collections::HashSet;

use common::{demo_search, every_article};
use svcbook_search::SearchRequest;

/// (query, articles that answer it; the best-ranked of them counts).
const JUDGEMENTS: &[(&str, &[&str])] = &[
    ("空调不凉了 报E04", &["FC-0001"]),
    ("空调出风不冷 吹常温风", &["FC-0001"]),
    ("空调内机嗡嗡响", &["FC-0002"]),
    ("内机有咔咔的声音", &["FC-0002"]),
    ("e01 自动停机", &["FC-0003"]),
    ("挂机开一会就停", &["FC-0003"]),
    ("移机以后外机不转", &["FC-0004"]),
    ("内外机通信故障", &["FC-0004"]),
    ("app连不上wifi", &["FC-0005"]),
    ("E-102 路由器", &["FC-0005"]),
    ("冬天开暖风不出风", &["FC-0006"]),
    ("h1是什么意思", &["FC-0006"]),
    ("冰箱冷藏不冷 后面结冰", &["FC-0007"]),
    ("冰箱温度显示乱跳", &["FC-0008"]),
    ("FR-500 固件升级", &["FC-0008"]),
    ("热水器出水不热", &["FC-0009"]),
    ("热水器漏电跳闸", &["FC-0010"]),
    ("洗碗机不进水", &["FC-0011"]),
    ("洗碗机里面有积水排不掉", &["FC-0012"]),
    ("傍晚空调老停机 电压低", &["FC-0013"]),
    ("升级失败 定时不能用", &["FC-0014"]),
    ("客户说东西和网上描述不一样", &["PB-0001"]),
    ("工程师态度不好被投诉", &["PB-0002"]),
    ("少发了配件", &["PB-0003", "SC-0005"]),
    ("快递一直不到", &["PB-0004", "SC-0005"]),
    ("收到货箱子破了", &["PB-0005"]),
    ("客户认为质量有问题要退货", &["PB-0006", "PR-0009"]),
    ("客户情绪激动怎么安抚", &["PB-0007"]),
    ("媒体曝光 危机", &["PB-0008"]),
    ("修了好几次还是坏", &["PB-0009"]),
    ("上门维修的步骤", &["PR-0001", "SC-0006"]),
    ("返厂维修多久能修好", &["PR-0002", "ST-0002"]),
    ("配件没货怎么办", &["PR-0003"]),
    ("怎么判断在不在保修期", &["PR-0004"]),
    ("新机安装调试", &["PR-0005"]),
    ("维修完电话回访", &["PR-0006", "SC-0003"]),
    ("排查故障的方法", &["PR-0007"]),
    ("换压缩机电容", &["PR-0008"]),
    ("退货退款流程", &["PR-0009"]),
    ("接报修电话怎么说", &["SC-0001"]),
    ("客户催进度", &["SC-0002"]),
    ("在线客服第一次回复", &["SC-0004"]),
    ("跟客户说要收费", &["SC-0007"]),
    ("书面回复投诉的信", &["SC-0008"]),
    ("维修延期通知短信", &["SC-0009"]),
    ("差评怎么处理", &["SC-0010"]),
    ("投诉多久要回复", &["ST-0001"]),
    ("上门多久到", &["ST-0001", "PR-0001"]),
    ("三包规定 几天可以退", &["ST-0004"]),
    ("上门着装要求", &["ST-0005"]),
    ("2024版时限标准", &["ST-0006"]),
    ("质保期内免费维修吗", &["ST-0004", "PR-0004"]),
    ("师傅迟到", &["PB-0002", "ST-0005"]),
    ("XR-300 报 E05", &["FC-0004"]),
    ("HW60 F3", &["FC-0009"]),
];

#[test]
fn relevance_report_on_the_demo_kb() {
    let (_tmp, engine) = demo_search();
    let known: HashSet<String> = every_article(&engine).into_iter().map(|h| h.id).collect();

    let mut rr_sum = 0.0;
    let mut found = 0;
    let mut zero = 0;
    let mut lines = Vec::new();
    for (q, expected) in JUDGEMENTS {
        for id in *expected {
            assert!(
                known.contains(*id),
                "judgement for {q:?} names {id}, which the demo site no longer has"
            );
        }
        let res = engine
            .search(&SearchRequest {
                q: q.to_string(),
                limit: 10,
                ..Default::default()
            })
            .unwrap();
        if res.hits.is_empty() {
            zero += 1;
        }
        let rank = res
            .hits
            .iter()
            .position(|h| expected.contains(&h.id.as_str()))
            .map(|r| r + 1);
        if let Some(r) = rank {
            rr_sum += 1.0 / r as f64;
            found += 1;
        }
        let top: Vec<&str> = res.hits.iter().take(3).map(|h| h.id.as_str()).collect();
        let shown = rank.map_or("-".to_string(), |r| r.to_string());
        lines.push(format!("{shown:>3}  {q}  → {top:?}"));
    }
    let n = JUDGEMENTS.len() as f64;
    let mrr = rr_sum / n;
    println!("rank  query → top 3\n{}", lines.join("\n"));
    println!(
        "relevance: {} queries, MRR@10 {mrr:.3}, recall@10 {:.3}, zero-result rate {:.3}",
        JUDGEMENTS.len(),
        found as f64 / n,
        zero as f64 / n
    );
    assert!(JUDGEMENTS.len() >= 40);
    assert!(mrr > 0.3, "MRR@10 {mrr:.3}: search is badly broken");
}
