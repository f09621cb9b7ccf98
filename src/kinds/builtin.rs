//! The built-in kinds: the entries [`super::BUILTIN`] lists. A new built-in
//! kind is one more constant here, added to `BUILTIN`, and its archetype in
//! `themes/default/archetypes/`; the registry's tests check the rest.

use super::{BodyLayout, FieldSpec, FieldType, KindSpec, Show, Tone};

const fn field(key: &'static str, label: &'static str, ty: FieldType) -> FieldSpec {
    FieldSpec {
        key,
        label,
        ty,
        required: false,
        searched: false,
    }
}

const fn searched(key: &'static str, label: &'static str, ty: FieldType) -> FieldSpec {
    FieldSpec {
        searched: true,
        ..field(key, label, ty)
    }
}

const STRING: FieldType = FieldType::String;
const LIST: FieldType = FieldType::List;
const DURATION: FieldType = FieldType::Duration;

pub(super) const FAULT_CASE: KindSpec = KindSpec {
    name: "fault_case",
    folder: Some("fault-cases"),
    id_prefix: "FC",
    label: "故障案例",
    tone: Tone::Danger,
    fields: &[
        field("error_codes", "故障代码", LIST),
        searched("symptoms", "症状", LIST),
        field(
            "category",
            "故障类别",
            FieldType::Enum(&[
                ("hardware", "硬件"),
                ("software", "软件"),
                ("network", "网络"),
                ("usage", "使用"),
            ]),
        ),
        field(
            "severity",
            "严重程度",
            FieldType::Enum(&[
                ("low", "低"),
                ("medium", "中"),
                ("high", "高"),
                ("critical", "严重"),
            ]),
        ),
        searched("parts", "涉及配件", LIST),
    ],
    panel: &[
        ("severity", Show::Row),
        ("category", Show::Row),
        ("symptoms", Show::Row),
        ("parts", Show::Row),
    ],
    sections: &["现象", "环境", "原因", "处理", "预防"],
    steps: false,
    layout: BodyLayout::Plain,
    group_by: None,
    order: 0,
};

pub(super) const PROCEDURE: KindSpec = KindSpec {
    name: "procedure",
    folder: Some("procedures"),
    id_prefix: "PR",
    label: "维修流程",
    tone: Tone::Ok,
    fields: &[
        field("time_limit", "完成时限", DURATION),
        searched("tools", "所需工具", LIST),
        searched("parts", "涉及配件", LIST),
        searched("safety", "安全要求", LIST),
    ],
    panel: &[
        ("time_limit", Show::Row),
        ("parts", Show::Row),
        ("tools", Show::Row),
        ("safety", Show::Bullets),
    ],
    sections: &[],
    steps: true,
    layout: BodyLayout::Plain,
    group_by: None,
    order: 1,
};

pub(super) const SCRIPT: KindSpec = KindSpec {
    name: "script",
    folder: Some("scripts"),
    id_prefix: "SC",
    label: "沟通话术",
    tone: Tone::Violet,
    fields: &[
        field(
            "channel",
            "沟通渠道",
            FieldType::Enum(&[
                ("phone", "电话"),
                ("online", "在线"),
                ("in_person", "面对面"),
                ("written", "书面"),
            ]),
        ),
        searched("scenario", "适用场景", STRING),
    ],
    panel: &[("channel", Show::Row), ("scenario", Show::Row)],
    sections: &[],
    steps: false,
    layout: BodyLayout::Plain,
    group_by: None,
    order: 2,
};

pub(super) const PLAYBOOK: KindSpec = KindSpec {
    name: "playbook",
    folder: Some("playbooks"),
    id_prefix: "PB",
    label: "投诉处理",
    tone: Tone::Warn,
    fields: &[
        searched("complaint_type", "投诉类型", STRING),
        searched("escalation", "升级路径", FieldType::Escalation),
        field("response_time", "响应时限", DURATION),
        field("resolution_time", "解决时限", DURATION),
    ],
    panel: &[
        ("complaint_type", Show::Row),
        ("response_time", Show::Row),
        ("resolution_time", Show::Row),
        ("escalation", Show::Escalation),
    ],
    sections: &["原因分析", "处理技巧", "预防措施"],
    steps: false,
    layout: BodyLayout::Plain,
    group_by: None,
    order: 3,
};

pub(super) const STANDARD: KindSpec = KindSpec {
    name: "standard",
    folder: Some("standards"),
    id_prefix: "ST",
    label: "服务标准",
    tone: Tone::Accent,
    fields: &[searched("sla", "服务时限（SLA）", FieldType::Sla)],
    panel: &[("sla", Show::Sla)],
    sections: &[],
    steps: false,
    layout: BodyLayout::Plain,
    group_by: None,
    order: 4,
};

pub(super) const FAQ: KindSpec = KindSpec {
    name: "faq",
    folder: Some("faqs"),
    id_prefix: "FAQ",
    label: "常见问题",
    tone: Tone::Neutral,
    fields: &[searched("topic", "主题", STRING)],
    panel: &[("topic", Show::Row)],
    sections: &[],
    steps: false,
    layout: BodyLayout::Accordion,
    group_by: Some("topic"),
    order: 5,
};

pub(super) const PAGE: KindSpec = KindSpec {
    name: "page",
    folder: None,
    id_prefix: "PG",
    label: "页面",
    tone: Tone::Neutral,
    fields: &[],
    panel: &[],
    sections: &[],
    steps: false,
    layout: BodyLayout::Plain,
    group_by: None,
    order: u16::MAX,
};
